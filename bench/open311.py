"""Open311 GET requests on a large collectivité, against Django's own floor.

A temporary database (SQLite by default, or --database-url) gets one collectivité,
Cahors, with 100,000 published reports spread over the last 365 days, and Arras
with 10,000 open reports for the public map. The real application is served by
granian with the options of `territoria serve` on 127.0.0.1; wrk (20 connections,
bounded duration) loads, in the same run:

- /bench/ok: a Django view returning "ok" (the framework floor);
- GET requests.json filtered by status and dates, with page_size 50 and with the
  spec's default page (up to 1,000 requests): the same address again and again
  (served from the cache after the first request), and a start_date one second
  earlier at each request (never the same parameters twice: always computed);
- the public map's GeoJSON of Arras (10,000 open reports: bounded to 1,000 points).

Prints p50/p95/p99 and requests/s (medians over the runs) as Markdown for
docs/benchmarks.md, with the machine's facts.

    .venv/bin/python bench/open311.py [--runs 3] [--duration 10] [--workers 2]
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import environment, free_port  # noqa: E402

REPORTS = 100_000
MAP_REPORTS = 10_000
CONNECTIONS = 20
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %d %d %d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status, summary.duration))
end
"""


def prepare() -> dict:
    """Runs in a child process with the bench environment: migrate and fill."""
    import random

    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from territoria.reports.enums import Publication, Source, Status
    from territoria.reports.models import Category, Report, ReportZone, Service
    from territoria.territories.enums import CollectiviteKind
    from territoria.territories.models import Collectivite, Commune, Departement, Region

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    region, _ = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})
    dep, _ = Departement.objects.get_or_create(
        code="46", defaults={"name": "Lot", "region": region}
    )
    rng = random.Random(311)  # noqa: S311 - synthetic data
    statuses = list(Status.values)
    now = timezone.now()
    started = time.perf_counter()
    places = {"cahors": ("46042", 44.4475, 1.4419, REPORTS), "arras": ("62041", 50.291, 2.7775, 0)}
    for slug, (code, lat, lon, count) in places.items():
        commune = Commune.objects.create(
            code=code, name=slug.title(), population=20_000, departement=dep, region=region
        )
        collectivite = Collectivite.objects.create(
            slug=slug, name=slug.title(), kind=CollectiviteKind.COMMUNE, commune=commune
        )
        ReportZone.around(collectivite, lat, lon, metres=6000).save()
        service = Service.objects.create(collectivite=collectivite, name="Voirie")
        categories = [
            Category.objects.create(
                collectivite=collectivite, code=f"c{index}", name=f"Catégorie {index}",
                service=service,
            )
            for index in range(8)
        ]  # fmt: skip
        total = count or MAP_REPORTS
        batch = []
        for index in range(total):
            created = now - timedelta(seconds=rng.randint(0, 365 * 86400))
            status = rng.choice(statuses) if count else Status.NEW
            batch.append(
                Report(
                    collectivite=collectivite,
                    category=categories[index % 8],
                    service=service,
                    commune=commune,
                    description=f"Description d'un signalement de test numéro {index}",
                    address=f"{index % 90} rue de la République",
                    latitude=lat + rng.uniform(-0.03, 0.03),
                    longitude=lon + rng.uniform(-0.04, 0.04),
                    status=status,
                    publication=Publication.PUBLISHED,
                    source=Source.WEB,
                    reporter_email=f"personne{index}@exemple.fr",
                    created_at=created,
                    updated_at=created,
                )
            )
            if len(batch) == 5000:
                Report.objects.bulk_create(batch)
                batch = []
        Report.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "fill_seconds": time.perf_counter() - started,
        "vendor": connection.vendor,
        "db_version": ".".join(map(str, connection.Database.sqlite_version_info))
        if connection.vendor == "sqlite"
        else str(connection.pg_version),
    }


# Each request moves start_date one second back (the two wrk threads interleave):
# the parameters never repeat, so no response comes from the cache.
DISTINCT_LUA = """
local threads = 0
setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end
init = function(args)
  counter = first
end
request = function()
  counter = counter + 2
  local start = os.date("!%Y-%m-%dT%H:%M:%S", START - counter) .. "%2B00:00"
  return wrk.format(nil, PATH .. "&start_date=" .. start)
end
"""


def wrk(url: str, duration: int, script: Path) -> dict:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    p50, p95, p99, requests, errors, micros = line.split()[1:]
    return {
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "rps": int(requests) / (int(micros) / 1e6),
        "errors": int(errors),
    }


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{url} répond {response.status}")
        return response.read()


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    if os.environ.get("BENCH_OPEN311_PREPARE"):
        import json

        print(json.dumps(prepare()))
        return 0

    from territoria.server import server_command, wait_until_answering

    with tempfile.TemporaryDirectory(prefix="bench-open311-") as folder:
        var_dir = Path(folder)
        env = environment(var_dir, args.database_url)
        print(f"Préparation : {REPORTS} signalements (Cahors) + {MAP_REPORTS} (Arras)…", flush=True)
        prepared = subprocess.run(
            [sys.executable, __file__],
            env={**env, "BENCH_OPEN311_PREPARE": "1"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        import json

        facts = json.loads(prepared.stdout.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = server_command(
            "granian", host="127.0.0.1", port=port, workers=args.workers, threads=args.threads
        )
        log = (var_dir / "server.log").open("w")
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            if not wait_until_answering(server, "127.0.0.1", port):
                raise SystemExit("le serveur ne démarre pas")
            now = datetime.now().astimezone()
            start = now.replace(microsecond=0) - __import__("datetime").timedelta(days=30)
            end = f"end_date={now.replace(microsecond=0).isoformat().replace('+', '%2B')}"
            dates = f"start_date={start.isoformat().replace('+', '%2B')}&{end}"
            base_query = "/open311/v2/requests.json?jurisdiction_id=cahors&status=open"
            query = f"{base_query}&{dates}"
            targets = {
                "vue Django minimale (plancher)": "/bench/ok",
                "GET requests.json, état + dates, page_size=50 (cache)": query + "&page_size=50",
                "GET requests.json, état + dates, page_size=50 (sans cache)": (
                    f"{base_query}&{end}&page_size=50"
                ),
                "GET requests.json, état + dates, page par défaut ≤ 1 000 (cache)": query,
                "GET requests.json, état + dates, page par défaut ≤ 1 000 (sans cache)": (
                    f"{base_query}&{end}"
                ),
                "carte publique d'Arras (GeoJSON, 10 000 signalements ouverts)": (
                    "/signalements/arras/carte.geojson"
                ),
            }
            sizes = {}
            scripts = {}
            for name, path in targets.items():
                if "sans cache" in name:
                    scripts[name] = var_dir / f"distinct-{len(scripts)}.lua"
                    scripts[name].write_text(
                        f"START = {int(start.timestamp())}\nPATH = {json.dumps(path)}\n"
                        + DISTINCT_LUA
                        + LUA
                    )
                    path += f"&start_date={start.isoformat().replace('+', '%2B')}"
                body = fetch(base + path)
                sizes[name] = len(body)
                if "requests" in path:
                    items = json.loads(body)
                    sizes[name + " items"] = len(items)
                if path.endswith("geojson"):
                    sizes[name + " items"] = len(json.loads(body)["features"])
            script = var_dir / "p95.lua"
            script.write_text(LUA)
            results = {name: [] for name in targets}
            load_before = os.getloadavg()[0]
            for run in range(args.runs):
                for name, path in targets.items():
                    results[name].append(wrk(base + path, args.duration, scripts.get(name, script)))
                print(f"série {run + 1}/{args.runs} terminée", flush=True)
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()

    floor = statistics.median(r["p95"] for r in results["vue Django minimale (plancher)"])
    print()
    print(
        f"Machine : {os.cpu_count()} cœurs, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30, 1)} Gio, "
        f"Python {platform.python_version()}, base {facts['vendor']} {facts['db_version']}, "
        f"granian {args.workers} processus × {args.threads} fils, wrk {CONNECTIONS} connexions, "
        f"{args.runs} séries de {args.duration} s, le {datetime.now():%Y-%m-%d}. "
        f"Remplissage : {fmt(facts['fill_seconds'])} s. Charge moyenne de la machine "
        f"(1 min) : {fmt(load_before, 2)} au début, {fmt(load_after, 2)} à la fin."
    )
    print()
    print("| requête | réponse | p50 | p95 | p99 | req/s | p95 / plancher |")
    print("|---|---|---|---|---|---|---|")
    for name in targets:
        runs = results[name]
        p50 = statistics.median(r["p50"] for r in runs)
        p95 = statistics.median(r["p95"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        rps = statistics.median(r["rps"] for r in runs)
        errors = sum(r["errors"] for r in runs)
        items = sizes.get(name + " items")
        size = f"{fmt(sizes[name] / 1024)} Kio" + (
            f", {items} éléments" if items is not None else ""
        )
        print(
            f"| {name} | {size} | {fmt(p50)} ms | {fmt(p95)} ms | {fmt(p99)} ms | "
            f"{fmt(rps, 0)} | {fmt(p95 / floor, 2)} |" + (f" ({errors} erreurs)" if errors else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
