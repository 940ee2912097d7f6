"""Leak detection quality on synthetic scenarios with known leaks.

    .venv/bin/python bench/leaks.py [--meters 2000] [--days 90] [--districts 12]

1. Customer meters: `--meters` households × `--days` of hourly volumes
   (territoria/sensors/simulator.py), 10 % of them with a constant leak of 2–20 L/h
   starting at a random hour. Rule (a), evaluated once a day on the previous
   24 hours: precision, recall, F1, detection delay, € score.
2. Districts: `--districts` WNTR simulations of Net3 over 60 days with the day's
   demand varying (σ = 2 %), half of them with one network leak of 3 %, 5 %, 10 % or
   20 % of the night flow starting on day 30–45; rule (b) (MNF > 1.1 × min of 10
   previous nights) and a CUSUM on MNF: detections, delays, false alarms per district
   and month, € score.

BattLeDIM-style score: a leak found earns the water it would still have lost until
the end of the period × €/m³; each false alarm costs €500 (crew sent for nothing).
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from territoria.sensors import leaks, simulator  # noqa: E402

HOUR, DAY = 3600, 86400
START = 1735689600  # 2025-01-01T00:00:00Z
CUSTOMER_PRICE = 4.34  # €/m³ water + sewerage, French average at 1 Jan 2022 (OFB)
NETWORK_PRICE = 2.13  # €/m³ drinking water only


def customer_bench(meters: int, days: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    ts = START + HOUR * np.arange(days * 24)
    t0 = time.perf_counter()
    volumes = simulator.household_volumes(rng, meters, ts)
    truth = simulator.inject_customer_leaks(rng, volumes, ts, max(meters // 10, 1))
    generated = time.perf_counter() - t0
    t0 = time.perf_counter()
    severity = leaks.continuous_flow_days(volumes)  # [meters, days]
    elapsed = time.perf_counter() - t0
    by_meter: dict[int, list[float]] = {}
    for meter, day in zip(*np.nonzero(severity), strict=True):
        # The daily run at the end of day `day` raises the alarm.
        by_meter.setdefault(int(meter), []).append(float(START + (day + 1) * DAY))
    results = {}
    for label, low in (("all leaks (2–20 L/h)", 2.0), ("leaks ≥ 5 L/h", 5.0)):
        subset = [t for t in truth if t["lph"] >= low]
        leaking = {t["meter"] for t in truth}
        hits, false, missed = [], [], 0
        for leak in subset:
            matched = leaks.match_events(
                [leak], by_meter.get(leak["meter"], []), tolerance_s=7 * DAY
            )
            hits += matched["hits"]
            missed += matched["missed"]
        for meter, times in by_meter.items():
            if meter not in leaking:
                false += leaks.first_alarms(
                    np.isin(np.arange(days), [(t - START) // DAY - 1 for t in times])
                )
        score = leaks.scores(
            {"hits": hits, "missed": missed, "false": false},
            len(subset),
            price_per_m3=CUSTOMER_PRICE,
            period_end=START + days * DAY,
        )
        results[label] = score
    return {
        "meters": meters,
        "days": days,
        "leaks": len(truth),
        "generate_s": round(generated, 2),
        "detect_s": round(elapsed, 3),
        "results": results,
    }


def district_bench(districts: int, days: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    fractions = [0.03, 0.05, 0.10, 0.20]
    rows = []
    t0 = time.perf_counter()
    for d in range(districts):
        leaky = d % 2 == 1
        plan = []
        if leaky:
            start_day = int(rng.integers(30, 46))
            plan = [
                {
                    "start_hour": start_day * 24 + int(rng.integers(24)),
                    "fraction": fractions[(d // 2) % 4],
                }
            ]
        flow, leak_flow, truth = simulator.district_flows(days, seed=seed * 100 + d, leaks=plan)
        grid = flow.reshape(days, 24)
        mnf = leaks.night_minimum(grid)
        rows.append({"mnf": mnf, "truth": truth, "leak_flow": leak_flow, "plan": plan})
    simulated = time.perf_counter() - t0
    out = {"districts": districts, "days": days, "simulate_s": round(simulated, 1), "methods": {}}
    for method, detect in (
        ("MNF > 1.1 × min(10 nuits)", lambda m: leaks.mnf_alarms(m, window=10, gamma=0.1)),
        ("CUSUM sur MNF (k=0.5, h=4)", lambda m: leaks.mnf_cusum(m, window=10, floor=0.02)),
    ):
        per_size: dict = {}
        false_alarms = 0
        euros = 0.0
        for row in rows:
            alarms = detect(row["mnf"])
            starts = [START + day * DAY + 4 * HOUR for day in leaks.first_alarms(alarms)]
            truth = []
            for plan, t in zip(row["plan"], row["truth"], strict=True):
                start = START + plan["start_hour"] * HOUR
                flow_m3h = float(np.median(row["leak_flow"][plan["start_hour"] :]))
                truth.append(
                    {
                        "start": start,
                        "end": START + days * DAY,
                        "m3_per_hour": flow_m3h,
                        "fraction": t["fraction"],
                    }
                )
            matched = leaks.match_events(truth, starts, tolerance_s=7 * DAY)
            score = leaks.scores(
                matched, len(truth), price_per_m3=NETWORK_PRICE, period_end=START + days * DAY
            )
            euros += score["euros"]
            false_alarms += score["fp"]
            for leak in truth:
                size = f"{leak['fraction']:.0%}"
                hit = next((t for lk, t in matched["hits"] if lk is leak), None)
                per_size.setdefault(size, []).append(
                    None if hit is None else (hit - leak["start"]) / 3600
                )
        months = len(rows) * days / 30.4
        out["methods"][method] = {
            "by_leak_size": {
                size: {
                    "found": sum(d is not None for d in delays),
                    "of": len(delays),
                    "delays_h": [None if d is None else round(d, 1) for d in delays],
                }
                for size, delays in sorted(per_size.items())
            },
            "false_alarms": false_alarms,
            "false_alarms_per_district_month": round(false_alarms / months, 3),
            "euros": round(euros, 0),
        }
    return out


WORK_MEM = "256MB"


def _rule_a_stream(url: str, sql: str) -> tuple[float, dict[int, int]]:
    """Run a (meter, day, minimum, count) query through a server-side cursor; returns
    the time taken and each alarming meter's first day."""
    import psycopg

    t0 = time.perf_counter()
    flagged: dict[int, int] = {}
    with psycopg.connect(url) as conn, conn.cursor(name="rule_a") as cursor:
        # Enough memory for the (meter, day) hash table not to spill to disk.
        conn.execute(f"SET work_mem = '{WORK_MEM}'")
        cursor.itersize = 200_000
        cursor.execute(sql)
        while chunk := cursor.fetchmany(200_000):
            array = np.array(chunk, dtype=float)
            alarm = (array[:, 2] > 0) & (array[:, 3] >= 20)
            for device, day in array[alarm][:, :2].astype(np.int64).tolist():
                if device not in flagged or day < flagged[device]:
                    flagged[device] = day
    return time.perf_counter() - t0, flagged


def pg_scale_bench(url: str, meters: int, days: int) -> dict:
    """Rule (a) over `meters` × `days` of hourly volumes held in PostgreSQL: one grouped
    query (minimum and count per meter and day) streamed through a server-side cursor,
    alarms computed on arrays chunk by chunk, so memory stays bounded."""
    import resource

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_hourly")
        # Same columns as sensors_hourly; unlogged and without its key, to load fast.
        conn.execute(
            "CREATE UNLOGGED TABLE bench_hourly (hour bigint, device_id bigint, quantity smallint, "
            "n integer, total double precision, minimum double precision, "
            "maximum double precision, last_ts bigint, last_value double precision)"
        )
        t0 = time.perf_counter()
        hours = days * 24
        # 1 % of meters leak 5 L/h from an hour of their own; households draw nothing in
        # most night hours (local time ~ UTC+1).
        for start in range(0, hours, 24 * 30):
            end = min(start + 24 * 30, hours) - 1
            conn.execute(
                "INSERT INTO bench_hourly SELECT h, d, 1, 1, v, v, v, h, v FROM ("  # noqa: S608
                f"SELECT {START} + 3600 * hh AS h, d, "
                "CASE WHEN random() < CASE WHEN (hh + 1) % 24 < 6 THEN 0.9 ELSE 0.35 END "
                "THEN 0 ELSE floor(random() * 40) END "
                "+ CASE WHEN d % 100 = 7 AND hh >= (d * 37) % "
                f"{hours - 72} THEN 5 ELSE 0 END AS v "
                f"FROM generate_series({start}, {end}) hh, generate_series(1, {meters}) d) x"
            )
        loaded = time.perf_counter() - t0
        rows = conn.execute("SELECT count(*) FROM bench_hourly").fetchone()[0]
        size = conn.execute("SELECT pg_total_relation_size('bench_hourly')").fetchone()[0]
        conn.execute("VACUUM ANALYZE bench_hourly")
        version = conn.execute("SHOW server_version").fetchone()[0]
        work_mem = conn.execute("SHOW work_mem").fetchone()[0]
    detect_hourly, flagged = _rule_a_stream(
        url,
        "SELECT device_id, hour / 86400 AS day, MIN(total), COUNT(*) FROM bench_hourly "
        "WHERE quantity = 1 GROUP BY 1, 2",
    )
    # The daily rollup that ingestion keeps up to date: for hourly meters, its minimum
    # is the day's smallest hourly volume and n the hours received.
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET work_mem = '{WORK_MEM}'")
        conn.execute("DROP TABLE IF EXISTS bench_daily")
        conn.execute(
            "CREATE UNLOGGED TABLE bench_daily AS SELECT hour - hour % 86400 AS day, device_id, "
            "quantity, COUNT(*) AS n, SUM(total) AS total, MIN(total) AS minimum, "
            "MAX(total) AS maximum FROM bench_hourly GROUP BY 1, 2, 3"
        )
        conn.execute("VACUUM ANALYZE bench_daily")
    built = time.perf_counter() - t0
    detect_daily, flagged_daily = _rule_a_stream(
        url, "SELECT device_id, day / 86400, minimum, n FROM bench_daily WHERE quantity = 1"
    )
    assert flagged_daily == flagged
    days_seen = meters * days
    truth = {d for d in range(1, meters + 1) if d % 100 == 7}
    found = set(flagged)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_hourly, bench_daily")
    return {
        "postgresql": version,
        "work_mem": f"{work_mem} (server), {WORK_MEM} (detection session)",
        "rows": rows,
        "table_gb": round(size / 2**30, 2),
        "load_s": round(loaded, 1),
        "detect_from_hourly_s": round(detect_hourly, 1),
        "daily_rollup_built_once_s": round(built, 1),
        "detect_from_daily_rollup_s": round(detect_daily, 1),
        "meter_days": days_seen,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "leaking_meters": len(truth),
        "found": len(found & truth),
        "false_meters": len(found - truth),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--districts", type=int, default=16)
    parser.add_argument("--district-days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--pg", help="PostgreSQL URL: also run rule (a) at scale there")
    parser.add_argument("--scale-meters", type=int, default=10_000)
    parser.add_argument("--scale-days", type=int, default=365)
    parser.add_argument("--only-scale", action="store_true")
    args = parser.parse_args()
    if args.only_scale:
        print(json.dumps(pg_scale_bench(args.pg, args.scale_meters, args.scale_days), indent=1))
        return 0
    facts = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    customer = customer_bench(args.meters, args.days, args.seed)
    print(json.dumps({"machine": facts, "customer": customer}, indent=1, ensure_ascii=False))
    district = district_bench(args.districts, args.district_days, args.seed)
    print(json.dumps({"district": district}, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"machine": facts, "customer": customer, "district": district},
                indent=1,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
