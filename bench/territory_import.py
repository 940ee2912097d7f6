"""Time of the COG import (`territoria import-territories`): a first import into an empty
database and a re-import of the same file, against a raw executemany insert of the same
rows (the floor for writing them through the database driver).

Run from the repository root:

    .venv/bin/python bench/territory_import.py            # fresh SQLite files under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/territory_import.py

SQLite is always measured, on fresh files. When DATABASE_URL is a PostgreSQL URL,
PostgreSQL is measured too, each run in a throwaway database created on that server
(CREATEDB right needed) and dropped afterwards. Each measurement runs in its own
process; --repeat N (default 3) gives medians. Exits with status 1 when a median
import takes 30 s or more.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 30.0


def child(mode: str) -> dict:
    """Inside a fresh database (DATABASE_URL): migrate, then time `mode`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if mode == "import":
        timings = {}
        for run in ("first", "again"):
            out = StringIO()
            started = time.perf_counter()
            call_command("import_territories", stdout=out, stderr=StringIO())
            timings[run] = time.perf_counter() - started
        assert "Aucun changement" in out.getvalue(), out.getvalue()
        return timings
    return {"baseline": raw_insert()}


def raw_insert() -> float:
    """The rows the import writes (search index included), inserted with executemany in
    one transaction, without reading the database first."""
    from django.db import connection, transaction

    from territoria.territories import cog
    from territoria.territories.models import (
        Commune,
        Departement,
        Epci,
        FormerCode,
        Region,
        SearchToken,
    )

    rows = cog.validate(cog.read_extract(cog.default_extract_path()))
    tokens = list(cog.token_rows(rows))

    def insert(cursor, model, columns, values):
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        insert(
            cursor,
            Region,
            ["code", "name", "zone"],
            [(k, v["name"], v["zone"]) for k, v in rows.regions.items()],
        )
        insert(
            cursor,
            Departement,
            ["code", "name", "region_id", "zone"],
            [(k, v["name"], v["region_id"], v["zone"]) for k, v in rows.departements.items()],
        )
        insert(
            cursor,
            Epci,
            ["siren", "name", "kind", "population", "search_text"],
            [
                (k, v["name"], v["kind"], v["population"], v["search_text"])
                for k, v in rows.epcis.items()
            ],
        )
        insert(
            cursor,
            Commune,
            [
                "code",
                "name",
                "population",
                "postal_codes",
                "siren",
                "departement_id",
                "region_id",
                "epci_id",
                "search_text",
            ],
            [
                (
                    k,
                    v["name"],
                    v["population"],
                    json.dumps(v["postal_codes"]),
                    v["siren"],
                    v["departement_id"],
                    v["region_id"],
                    v["epci_id"],
                    v["search_text"],
                )
                for k, v in rows.communes.items()
            ],
        )
        insert(
            cursor,
            FormerCode,
            ["code", "name", "commune_id"],
            [(k, v["name"], v["commune_id"]) for k, v in rows.former_codes.items()],
        )
        insert(
            cursor,
            SearchToken,
            cog.TOKEN_COLUMNS,
            tokens,
        )
    return time.perf_counter() - started


def run_child(mode: str, database_url: str, var_dir: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "TERRITORIA_VAR_DIR": var_dir}
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{mode} on {database_url.split('@')[-1]} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def sqlite_run(mode: str) -> dict:
    scratch = tempfile.mkdtemp(prefix="territoria-bench-")
    try:
        return run_child(mode, f"sqlite:///{scratch}/bench.sqlite3", scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def postgres_run(mode: str, url: str, index: int) -> dict:
    import psycopg

    parts = urlsplit(url)
    name = f"territoria_bench_{os.getpid()}_{index}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    scratch = tempfile.mkdtemp(prefix="territoria-bench-")
    try:
        return run_child(mode, urlunsplit(parts._replace(path=f"/{name}")), scratch)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
        shutil.rmtree(scratch, ignore_errors=True)


def report(label: str, runs: list[dict]) -> float:
    first = statistics.median(r["first"] for r in runs if "first" in r)
    again = statistics.median(r["again"] for r in runs if "again" in r)
    base = statistics.median(r["baseline"] for r in runs if "baseline" in r)
    print(
        f"{label:12} first import {first:6.2f} s | re-import {again:6.2f} s | "
        f"raw executemany {base:6.2f} s | first/raw {first / base:4.1f}x"
    )
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description="COG import benchmark")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["import", "baseline"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0

    database_url = os.environ.get("DATABASE_URL", "")
    backends = [("SQLite", sqlite_run)]
    if database_url.startswith(("postgres://", "postgresql://")):
        backends.append(("PostgreSQL", lambda mode, i: postgres_run(mode, database_url, i)))
    worst = 0.0
    for label, runner in backends:
        runs = []
        for index in range(args.repeat):
            if label == "SQLite":
                runs += [runner("import"), runner("baseline")]
            else:
                runs += [runner("import", 2 * index), runner("baseline", 2 * index + 1)]
        worst = max(worst, report(label, runs))
    print(f"({args.repeat} runs each, medians)")
    if worst >= TARGET_S:
        print(f"FAIL: an import took {worst:.1f} s (target: under {TARGET_S:.0f} s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
