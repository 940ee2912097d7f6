"""Sensor ingestion throughput: the HTTP API against the raw bulk insert into the same
table, on SQLite and PostgreSQL, with InfluxDB 1.6 as the peer.

    .venv/bin/python bench/ingest.py [--readings 2000000] [--batch 5000] [--clients 2]
        [--workers 5] [--threads 2] [--pg postgres://postgres@127.0.0.1:54403/bench]
        [--influxd /usr/bin/influxd] [--only sqlite,postgresql,influxdb,layout] [--repeat 1]

Workload (docs/benchmarks.md, « Capteurs »): `readings` = devices × hours, 20,000
devices, hourly timestamps, arriving in time order (every device for hour 0, then hour
1…), batches of `batch` readings; `clients` client processes send batches i, i+clients…;
fresh tables for every run. The API runs behind the production server (granian, on
127.0.0.1) with validation, idempotency and the hourly rollups; the daily rollups it
leaves pending are then built (as the scheduler does every minute) and timed, and the
rate "in all" counts that time too. The raw baselines write the same rows into the
same readings table (SQLite executemany in one transaction per batch; PostgreSQL
COPY), without rollups, then with each reading's hourly rollup row; a bound follows
from the first: its time plus that of building the daily rollups from its readings in
SQL, the least any design keeping daily rollups pays even without hourly ones, HTTP,
JSON or validation. InfluxDB 1.6
(Debian package) is started by this script with a private configuration and written
with line protocol over HTTP. The clients live in bench/ingest_clients.py.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_clients import run_clients  # noqa: E402
from bench.serve import environment, free_port  # noqa: E402
from territoria.server import (  # noqa: E402
    DEFAULT_THREADS,
    default_workers,
    server_command,
    wait_until_answering,
)

DEVICES = 20_000

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_collectivite, make_commune
from territoria.sensors.models import Device, Fleet
commune = make_commune("18197", "Saint-Amand-Montrond")
collectivite = make_collectivite(commune, "saint-amand-montrond")
Fleet.objects.filter(name="bench").delete() if not Device.objects.exists() else None
fleet = Fleet.objects.filter(name="bench").first()
if fleet is None:
    fleet = Fleet(collectivite=collectivite, name="bench")
key = fleet.new_key()
fleet.save()
if not Device.objects.filter(fleet=fleet).exists():
    Device.objects.bulk_create(
        (Device(collectivite=collectivite, fleet=fleet, kind="water_meter", name=f"M{i}",
                external_id=f"M{i}") for i in range(%d)),
        batch_size=5000,
    )
ids = dict(Device.objects.filter(fleet=fleet).values_list("external_id", "pk"))
print(json.dumps({"key": key, "first_id": ids["M0"], "last_id": ids["M%d"]}))
"""


def env_for(var_dir: Path, database_url: str | None = None) -> dict:
    """A throwaway instance's environment (bench/serve.py), with plain static files:
    the API renders no page that needs collected ones."""
    return environment(var_dir, database_url) | {
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


def run_django(code: str, var_dir: Path, database_url: str | None) -> dict:
    """Run Python code in a Django process on that database; its last line is JSON."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env_for(var_dir, database_url),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(var_dir: Path, database_url: str | None, devices: int) -> dict:
    info = run_django("import json\n" + SETUP % (devices, devices - 1), var_dir, database_url)
    # Ids from one bulk_create are consecutive: the raw baseline computes them.
    assert info["last_id"] - info["first_id"] == devices - 1
    return info


REFRESH = """
import json, time
import django
django.setup()
from django.db import connection
from territoria.sensors import rollups
start = time.perf_counter()
days = rollups.refresh()
seconds = time.perf_counter() - start
with connection.cursor() as cursor:
    cursor.execute("SELECT SUM(n) FROM sensors_daily")
    rolled_up = cursor.fetchone()[0]
print(json.dumps({"seconds": seconds, "days": days, "rolled_up": rolled_up}))
"""


def refresh_daily(var_dir: Path, database_url: str | None, readings: int) -> float:
    """Seconds the pending daily rollups take to rebuild after an API run (measured
    inside the process, without its start-up); checks that they count every reading."""
    out = run_django(REFRESH, var_dir, database_url)
    assert out["rolled_up"] == readings, out
    return out["seconds"]


# The daily rollups straight from the readings, one statement per day, without the day's
# last value (max(value) stands in): a lower bound on what building them costs.
DAILY_FROM_READINGS = (
    "INSERT INTO sensors_daily (day, device_id, quantity, n, total, minimum, maximum, "
    "last_ts, last_value) SELECT {p}, device_id, quantity, count(*), sum(value), min(value), "
    "max(value), max(ts), max(value) FROM sensors_reading WHERE ts >= {p} AND ts < {p} "
    "GROUP BY device_id, quantity"
)


def daily_bound(results, db: str, label: str, execute, raw_rate: float, readings: int) -> None:
    """The raw rate once the daily rollups of the raw run's readings are built in SQL."""
    ((first, last),) = execute("SELECT MIN(ts), MAX(ts) FROM sensors_reading", ())
    start = time.perf_counter()
    for day in range(first - first % 86400, last + 1, 86400):
        execute(DAILY_FROM_READINGS, (day, day, day + 86400))
    seconds = time.perf_counter() - start
    ((rolled_up,),) = execute("SELECT SUM(n) FROM sensors_daily", ())
    assert rolled_up == readings, rolled_up
    rate = readings / (readings / raw_rate + seconds)
    results[f"{db}_raw_daily_bound"] = round(rate)
    print(
        f"{label} raw, then daily rollups from the readings ({seconds:.2f} s): "
        f"{rate:,.0f} readings/s",
        flush=True,
    )


def report_api(results, key, label, workers, threads, rate, refresh_s, readings) -> None:
    """The API's rate, and the rate once the daily rollups it left pending are built."""
    overall = readings / (readings / rate + refresh_s)
    results.setdefault(key, {})[f"{workers} workers"] = round(rate)
    results.setdefault(f"{key}_with_daily", {})[f"{workers} workers"] = round(overall)
    print(
        f"{label} API, {workers} workers × {threads} threads: {rate:,.0f} readings/s; "
        f"daily rollups after it {refresh_s:.2f} s, {overall:,.0f} readings/s in all",
        flush=True,
    )


def wait_port(port: int, process: subprocess.Popen) -> None:
    """Until the server answers on 127.0.0.1, however long a loaded machine takes."""
    if not wait_until_answering(process, "127.0.0.1", port):
        raise SystemExit(f"the server on {port} stopped before answering")


def start_server(var_dir, database_url, workers, threads) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        server_command(host="127.0.0.1", port=port, workers=workers, threads=threads),
        cwd=ROOT, env=env_for(var_dir, database_url), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_port(port, process)
    return process, port


def stop(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


# -------------------------------------------------------------------- stores


def _sizes(args) -> dict:
    return {
        "readings": args.readings,
        "batch": args.batch,
        "clients": args.clients,
        "devices": args.devices,
    }


def sqlite_count(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM sensors_reading").fetchone()[0]


def pg_exec(url, *statements, fetch=False):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        result = None
        for statement in statements:
            result = conn.execute(statement)
        return result.fetchone() if fetch else None


def pg_reset(url) -> None:
    pg_exec(
        url,
        "TRUNCATE sensors_reading, sensors_hourly, sensors_daily, sensors_pending_day",
        "CHECKPOINT",
    )


def run_sqlite(args, template: Path, info: dict, results: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as tmp:
        for workers in args.workers:
            var = Path(tmp) / f"api-{workers}"
            var.mkdir()
            shutil.copy(template / "territoria.sqlite3", var / "territoria.sqlite3")
            server, port = start_server(var, None, workers, args.threads)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {info['key']}"}
            try:
                rate = run_clients(
                    "api", ("127.0.0.1", port, "/api/capteurs/releves", headers),
                    **_sizes(args),
                )  # fmt: skip
            finally:
                stop(server)
            assert sqlite_count(var / "territoria.sqlite3") == args.readings
            refresh_s = refresh_daily(var, None, args.readings)
            report_api(
                results, "sqlite_api", "SQLite", workers, args.threads, rate, refresh_s,
                args.readings,
            )  # fmt: skip
        raw = Path(tmp) / "raw.sqlite3"
        shutil.copy(template / "territoria.sqlite3", raw)
        rate = run_clients(
            "sqlite", str(raw), **_sizes(args), extra=info,
        )  # fmt: skip
        assert sqlite_count(raw) == args.readings
        results["sqlite_raw"] = round(rate)
        print(f"SQLite raw executemany into sensors_reading: {rate:,.0f} readings/s", flush=True)
        with sqlite3.connect(raw, isolation_level=None) as db:
            daily_bound(
                results, "sqlite", "SQLite", lambda sql, params: db.execute(
                    sql.format(p="?"), params).fetchall(), rate, args.readings,
            )  # fmt: skip
        # The least any ingestion keeping hourly rollups writes: a reading and its row.
        both = Path(tmp) / "raw-hourly.sqlite3"
        shutil.copy(template / "territoria.sqlite3", both)
        rate = run_clients("sqlite", str(both), **_sizes(args), extra=info | {"hourly": True})
        results["sqlite_raw_hourly"] = round(rate)
        print(f"SQLite raw executemany, readings + hourly rows: {rate:,.0f} readings/s", flush=True)


def run_layouts(args, results: dict) -> None:
    """Key layout on the raw SQLite insert: (ts, device) against (device, ts)."""
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        for name, key in (
            ("(ts, device, quantity)", "ts, device_id, quantity"),
            ("(device, quantity, ts)", "device_id, quantity, ts"),
        ):
            path = Path(tmp) / f"{len(results)}.sqlite3"
            with sqlite3.connect(path) as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(
                    "CREATE TABLE layout (ts INTEGER NOT NULL, device_id INTEGER NOT NULL, "
                    "quantity INTEGER NOT NULL, "
                    f"value REAL NOT NULL, PRIMARY KEY ({key})) WITHOUT ROWID"
                )
            rate = run_clients(
                "sqlite", str(path), **_sizes(args), extra={"first_id": 1, "table": "layout"},
            )  # fmt: skip
            results.setdefault("sqlite_layout", {})[name] = round(rate)
            print(f"SQLite raw, key {name}: {rate:,.0f} readings/s", flush=True)
            path.unlink()


def run_postgresql(args, info: dict, results: dict, var: Path) -> None:
    for workers in args.workers:
        pg_reset(args.pg)
        server, port = start_server(var, args.pg, workers, args.threads)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {info['key']}"}
        try:
            rate = run_clients(
                "api", ("127.0.0.1", port, "/api/capteurs/releves", headers),
                **_sizes(args),
            )  # fmt: skip
        finally:
            stop(server)
        assert (
            pg_exec(args.pg, "SELECT COUNT(*) FROM sensors_reading", fetch=True)[0] == args.readings
        )
        refresh_s = refresh_daily(var, args.pg, args.readings)
        report_api(
            results, "postgresql_api", "PostgreSQL", workers, args.threads, rate, refresh_s,
            args.readings,
        )  # fmt: skip
    pg_reset(args.pg)
    rate = run_clients(
        "postgresql", args.pg, readings=args.readings, batch=args.batch, clients=args.clients,
        devices=args.devices, extra=info,
    )  # fmt: skip
    assert pg_exec(args.pg, "SELECT COUNT(*) FROM sensors_reading", fetch=True)[0] == args.readings
    results["postgresql_raw"] = round(rate)
    print(f"PostgreSQL raw COPY into sensors_reading: {rate:,.0f} readings/s", flush=True)
    import psycopg

    with psycopg.connect(args.pg, autocommit=True) as db:

        def execute(sql, params):
            cursor = db.execute(sql.format(p="%s"), params)
            return cursor.fetchall() if cursor.description else None

        daily_bound(results, "postgresql", "PostgreSQL", execute, rate, args.readings)
    pg_reset(args.pg)
    rate = run_clients(
        "postgresql", args.pg, **_sizes(args), extra=info | {"hourly": True},
    )  # fmt: skip
    results["postgresql_raw_hourly"] = round(rate)
    print(f"PostgreSQL raw COPY, readings + hourly rows: {rate:,.0f} readings/s", flush=True)
    pg_reset(args.pg)


PG_LAYOUTS = {
    "PK (ts, device, quantity)": ["PRIMARY KEY (ts, device_id, quantity)"],
    "PK (device, quantity, ts)": ["PRIMARY KEY (device_id, quantity, ts)"],
    "heap + BRIN (ts) + unique (device, quantity, ts)": [
        "UNIQUE (device_id, quantity, ts)",
        "INDEX BRIN",
    ],
}


def run_pg_layouts(args, results: dict) -> None:
    """Raw COPY into the same columns with other keys: which layout keeps up."""
    for name, parts in PG_LAYOUTS.items():
        constraint = parts[0]
        pg_exec(
            args.pg,
            "DROP TABLE IF EXISTS bench_layout",
            "CREATE TABLE bench_layout (ts bigint NOT NULL, device_id bigint NOT NULL, "
            f"quantity smallint NOT NULL, value double precision NOT NULL, {constraint})",
            "CHECKPOINT",
        )
        if "INDEX BRIN" in parts:
            pg_exec(args.pg, "CREATE INDEX bench_layout_brin ON bench_layout USING brin (ts)")
        rate = run_clients(
            "postgresql", args.pg, **_sizes(args), extra={"first_id": 1, "table": "bench_layout"}
        )
        results.setdefault("postgresql_layout", {})[name] = round(rate)
        print(f"PostgreSQL raw COPY, {name}: {rate:,.0f} readings/s", flush=True)
    pg_exec(args.pg, "DROP TABLE IF EXISTS bench_layout")


def run_influxdb(args, results: dict) -> None:
    influxd = shutil.which(args.influxd) or args.influxd
    if not Path(influxd).exists():
        results["influxdb"] = "not installed (apt-get install influxdb)"
        print("InfluxDB: not installed", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="bench-influx-") as tmp:
        port = free_port()
        conf = Path(tmp) / "influxdb.conf"
        conf.write_text(
            "reporting-disabled = true\n"
            f'bind-address = "127.0.0.1:{free_port()}"\n'
            f'[meta]\n  dir = "{tmp}/meta"\n'
            f'[data]\n  dir = "{tmp}/data"\n  wal-dir = "{tmp}/wal"\n  query-log-enabled = false\n'
            f'[http]\n  bind-address = "127.0.0.1:{port}"\n  log-enabled = false\n'
            "[monitor]\n  store-enabled = false\n"
        )
        process = subprocess.Popen(  # noqa: S603
            [influxd, "-config", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_port(port, process)
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("POST", "/query?q=CREATE%20DATABASE%20bench")
            connection.getresponse().read()
            rate = run_clients(
                "influx", ("127.0.0.1", port, "/write?db=bench&precision=s", {}),
                **_sizes(args),
            )  # fmt: skip
        finally:
            stop(process)
    results["influxdb"] = round(rate)
    print(f"InfluxDB 1.6 line protocol: {rate:,.0f} readings/s", flush=True)


def facts(args) -> dict:
    import psycopg

    out = {
        "nproc": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "psycopg": psycopg.__version__,
        "readings": args.readings,
        "devices": args.devices,
        "batch": args.batch,
        "clients": args.clients,
        "threads_per_worker": args.threads,
    }
    if args.pg:
        admin = urlparse(args.pg)._replace(path="/postgres").geturl()
        out["postgresql"] = pg_exec(admin, "SHOW server_version", fetch=True)[0]
    return out


def medians(rounds: list[dict]) -> dict:
    """The median of each figure over the rounds (same keys in every round)."""
    out = {}
    for key, value in rounds[0].items():
        if isinstance(value, dict):
            out[key] = medians([r[key] for r in rounds])
        elif isinstance(value, int | float):
            out[key] = round(statistics.median(r[key] for r in rounds))
        else:
            out[key] = value
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=2_000_000)
    parser.add_argument("--devices", type=int, default=DEVICES)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=2)
    # The production server's defaults (territoria/server.py): 2 × cores + 1 processes
    # of 2 request threads. With one thread, two clients' keep-alive connections may
    # land on the same process and wait on each other for the whole run.
    parser.add_argument(
        "--workers", type=lambda s: [int(x) for x in s.split(",")], default=[default_workers()]
    )
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--pg", help="URL of a PostgreSQL database to use (created if absent)")
    parser.add_argument("--influxd", default="influxd")
    parser.add_argument("--only", default="sqlite,postgresql,influxdb,layout,pglayout")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; medians are reported")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    only = set(args.only.split(","))
    results: dict = {"machine": facts(args)}
    print(json.dumps(results["machine"]), flush=True)
    rounds = [{} for _ in range(args.repeat)]
    with tempfile.TemporaryDirectory(prefix="bench-template-") as template:
        template = Path(template)
        if "sqlite" in only:
            info = prepare(template, None, args.devices)
            for done in rounds:
                run_sqlite(args, template, info, done)
        if "layout" in only:
            run_layouts(args, results)
        if "postgresql" in only and args.pg:
            url = urlparse(args.pg)
            admin = url._replace(path="/postgres").geturl()
            name = url.path.lstrip("/")
            if not pg_exec(
                admin,
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608
                fetch=True,  # noqa: S608
            ):  # noqa: S608
                pg_exec(admin, f'CREATE DATABASE "{name}"')
            info = prepare(template, args.pg, args.devices)
            for done in rounds:
                run_postgresql(args, info, done, template)
        if "pglayout" in only and args.pg:
            run_pg_layouts(args, results)
    if "influxdb" in only:
        for done in rounds:
            run_influxdb(args, done)
    results |= medians(rounds)
    if args.repeat > 1:
        results["rounds"] = rounds
    for db in ("sqlite", "postgresql"):
        api, raw = results.get(f"{db}_api"), results.get(f"{db}_raw")
        if api and raw:
            results[f"{db}_ratio"] = {k: round(v / raw, 2) for k, v in api.items()}
            bound = results.get(f"{db}_raw_daily_bound")
            if bound:
                results[f"{db}_raw_daily_bound_ratio"] = round(bound / raw, 2)
            both = results.get(f"{db}_raw_hourly")
            if both:
                results[f"{db}_ratio_to_raw_hourly"] = {
                    k: round(v / both, 2) for k, v in api.items()
                }
    print(json.dumps(results, indent=1), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
