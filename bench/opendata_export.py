"""Open-data exports at scale: 100,000 citizen reports and one year of daily aggregates
for 10,000 sensors (3.65 million rows), written to CSV and Parquet by the streaming
exporter; time and peak memory (RSS) of each export, in its own process.

Baseline in the same run: the same reports export with every row materialised in a list
first (what a naive exporter does), to show what streaming saves.

Usage: .venv/bin/python bench/opendata_export.py [--reports 100000] [--sensors 10000]
       [--days 365]
Uses a throwaway SQLite database under /tmp (or DATABASE_URL if set).
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _django(var_dir: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    os.environ["TERRITORIA_VAR_DIR"] = var_dir
    import django

    django.setup()


def prepare(var_dir: str, reports: int, sensors: int, days: int) -> None:
    _django(var_dir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from territoria.reports.models import Category, Report
    from territoria.sensors.enums import DeviceKind, Quantity, SiteKind
    from territoria.sensors.models import Device, Fleet, Site
    from tests.factories import make_collectivite, make_commune

    call_command("migrate", "--no-input", verbosity=0)
    town = make_collectivite(make_commune("47001", "Agen", population=32_000, dep="47", reg="75"))
    category = Category.objects.create(collectivite=town, code="voirie", name="Voirie")
    now = datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC)
    batch = []
    for i in range(reports):
        when = now - datetime.timedelta(minutes=5 * i)
        batch.append(Report(
            collectivite=town, category=category, description=f"Nid-de-poule n° {i}",
            address=f"{i % 300} avenue Jean Jaurès", latitude=44.2 + (i % 1000) / 1e5,
            longitude=0.61 + (i % 977) / 1e5, status="new", publication="published",
            source="web", reporter_email=f"personne{i}@exemple.fr", created_at=when,
            updated_at=when,
        ))  # fmt: skip
        if len(batch) == 5000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)
    fleet = Fleet(collectivite=town, name="Compteurs")
    fleet.new_key()
    fleet.save()
    site = Site.objects.create(collectivite=town, name="Centre", kind=SiteKind.STREET)
    Device.objects.bulk_create(
        [Device(collectivite=town, fleet=fleet, site=site, kind=DeviceKind.PEOPLE_COUNTER,
                name=f"Compteur {i}", external_id=f"CPT-{i:05d}") for i in range(sensors)],
        batch_size=2000,
    )  # fmt: skip
    ids = list(Device.objects.values_list("pk", flat=True))
    start = int(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC).timestamp())
    sql = (
        "INSERT INTO sensors_daily (day, device_id, quantity, n, total, minimum, maximum, "
        "last_ts, last_value) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    for d in range(days):
        day = start + d * 86400
        rows = [(day, pk, int(Quantity.PEOPLE_COUNT), 96, float(100 + (pk * 7 + d) % 400),
                 0.0, 40.0, day + 85500, 3.0) for pk in ids]  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def export(var_dir: str, what: str, out: str, materialise: bool, batch: int) -> dict:
    _django(var_dir)
    from territoria.opendata import exports, sources
    from territoria.opendata.summary import Summary
    from territoria.territories.models import Collectivite

    town = Collectivite.objects.get(slug="agen")
    rss_before = _rss_now_mb()
    table = (sources.reports_table if what == "reports" else sources.people_counts_table)(town)
    started = time.perf_counter()  # the database read counts in both modes
    rows = list(table.rows) if materialise else table.rows
    # The page summary (chart series, map points) is gathered on the way, as in production.
    schema = "territoria-signalements" if what == "reports" else "comptage-measure"
    rows = Summary(rows, schema, table.lat, table.lon)
    written = exports.write_all(
        exports.Table(table.fields, rows, table.lat, table.lon), Path(out), what,
        ["csv", "parquet"], batch_rows=batch,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "what": what, "materialise": materialise, "batch_rows": batch,
        "rows": written["csv"].row_count,
        "seconds": round(seconds, 2), "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(rss_mb, 1),
        "csv_mb": round(written["csv"].byte_size / 1e6, 1),
        "parquet_mb": round(written["parquet"].byte_size / 1e6, 1),
    }  # fmt: skip


def _child(var_dir, what, out, materialise, batch):
    command = [sys.executable, __file__, "--child", what, "--var", var_dir, "--out", out,
               "--batch", str(batch)]  # fmt: skip
    if materialise:
        command.append("--materialise")
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> str:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return (
        f"{os.cpu_count()} CPU, {int(mem) // 1024} MB RAM, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--sensors", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child")
    parser.add_argument("--var")
    parser.add_argument("--out")
    parser.add_argument("--materialise", action="store_true")
    parser.add_argument("--batch", type=int, default=2_500, help="rows per written batch")
    parser.add_argument("--only", choices=["reports", "sensors"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(export(args.var, args.child, args.out, args.materialise, args.batch)))
        return
    var_dir = tempfile.mkdtemp(prefix="bench-opendata-")
    out = os.path.join(var_dir, "out")
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
             f"sys.argv=['x']; import bench.opendata_export as b; "
             f"b.prepare({var_dir!r}, {args.reports}, {args.sensors}, {args.days})"],
            check=True, cwd=ROOT,
        )  # fmt: skip
        print(f"# {machine()}")
        print(f"# data prepared in {time.perf_counter() - started:.0f} s")
        for _ in range(args.runs):
            plan = [("reports", True, args.batch), ("reports", False, args.batch),
                    ("reports", False, 2000), ("sensors", False, args.batch)]  # fmt: skip
            for what, materialise, batch in plan:
                if args.only and what != args.only:
                    continue
                print(json.dumps(_child(var_dir, what, out, materialise, batch)), flush=True)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
