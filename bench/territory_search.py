"""Territory search latency over the full COG (34,969 communes, 1,255 EPCI).

Run from the repository root:

    .venv/bin/python bench/territory_search.py                 # temporary SQLite file
    DATABASE_URL=postgres://user@127.0.0.1:5432/db .venv/bin/python bench/territory_search.py

Without DATABASE_URL the data is imported into a fresh SQLite file under /tmp, removed
afterwards; with it, that database is migrated and imported into unless it already holds
the full data. A fixed list of realistic queries (names typed letter by letter, postal
codes, INSEE codes, SIREN, former codes) runs through territories.search.search many
times; the script prints p50/p95/max per kind of query, compares with a primary-key
lookup and with a naive LIKE scan of the communes measured in the same run, and exits
with status 1 when a p95 exceeds 20 ms. Options: --rounds N (default 30).
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 20.0

QUERIES = {
    "name": [
        # Typed letter by letter, as the autocomplete sends them.
        "sa",
        "sai",
        "sain",
        "saint",
        "saint a",
        "saint am",
        "saint ama",
        "saint amand",
        "saint amand m",
        "saint amand montrond",
        "st amand montrond",
        "ni",
        "nio",
        "nior",
        "niort",
        "ar",
        "arr",
        "arra",
        "arras",
        "la",
        "la b",
        "la ba",
        "la bau",
        "la baule",
        # Whole names and partial words.
        "saint etienne",
        "paris",
        "lyon",
        "marseille",
        "cahors",
        "agen",
        "bordeaux",
        "l'isle adam",
        "lisle",
        "ste marie",
        "st denis 93",
        "aix en pro",
        "chateau",
        "mont",
        "ville",
        "bourg en",
        "sur mer",
        "coeur de france",
        "communaute de com",
        "metropole",
        "grand",
        "val de",
        "les",
        "le",
        "de",
    ],
    "postal code": ["18200", "75001", "33000", "06400", "97400", "182", "75", "13", "974", "2000"],
    "INSEE code": ["18197", "2A004", "2B033", "75056", "42218", "13055", "79191", "97411"],
    "SIREN": ["211801972", "200036135", "200046977", "217500016", "243300316"],
    "former code": ["01340", "13201", "55273", "75101", "69381"],
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup_django() -> str | None:
    """Configure Django on DATABASE_URL or on a temporary SQLite file (returned for cleanup)."""
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="territoria-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ.setdefault("TERRITORIA_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()
    return scratch


def load_data() -> None:
    from django.core.management import call_command

    from territoria.territories.models import Commune, Epci

    call_command("migrate", verbosity=0)
    if Commune.objects.count() != 34_969 or Epci.objects.count() != 1_255:
        started = time.perf_counter()
        call_command("import_territories", stdout=StringIO(), stderr=StringIO())
        print(f"import: {time.perf_counter() - started:.1f} s")


def measure(function, queries: list[str], rounds: int) -> list[float]:
    """Milliseconds per call, queries shuffled each round after one warm-up pass."""
    for query in queries:
        function(query)
    timings = []
    rng = random.Random(42)
    for _round in range(rounds):
        order = list(queries)
        rng.shuffle(order)
        for query in order:
            started = time.perf_counter()
            function(query)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description="Territory search latency benchmark")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    scratch = setup_django()
    try:
        return run(args.rounds)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run(rounds: int) -> int:
    from django.db import connection

    from territoria.territories.models import Commune
    from territoria.territories.normalize import fold
    from territoria.territories.search import search

    load_data()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"database: {vendor} {version}; rounds: {rounds}")

    table = Commune._meta.db_table

    def primary_key_lookup(code: str):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code, name FROM {table} WHERE code = %s", [code])  # noqa: S608
            return cursor.fetchall()

    def naive_scan(query: str):
        """The simplest alternative: every word as a LIKE over the communes' folded names."""
        queryset = Commune.objects.all()
        for word in fold(query).split():
            queryset = queryset.filter(search_text__contains=word)
        return list(queryset.order_by("-population").values_list("code", flat=True)[:10])

    rows = []
    worst = 0.0
    for kind, queries in QUERIES.items():
        timings = measure(lambda q: search(q, limit=10), queries, rounds)
        rows.append((f"search: {kind}", timings))
        worst = max(worst, percentile(timings, 0.95))
    everything = [t for _kind, timings in rows for t in timings]
    rows.append(("search: all queries", everything))
    baseline = measure(primary_key_lookup, QUERIES["INSEE code"], rounds * 4)
    rows.append(("baseline: primary key lookup", baseline))
    rows.append(("alternative: LIKE scan of names", measure(naive_scan, QUERIES["name"], 3)))

    print(f"{'':34} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, timings in rows:
        print(
            f"{label:34} {len(timings):6d} {statistics.median(timings):8.2f} "
            f"{percentile(timings, 0.95):8.2f} {max(timings):8.2f}"
        )
    base_p95 = percentile(baseline, 0.95)
    all_p95 = percentile(everything, 0.95)
    print(f"search p95 / primary key p95: {all_p95 / base_p95:.1f}x")
    if worst > TARGET_MS:
        print(f"FAIL: a p95 of {worst:.2f} ms exceeds {TARGET_MS:.0f} ms")
        return 1
    print(f"OK: every p95 is under {TARGET_MS:.0f} ms (worst {worst:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
