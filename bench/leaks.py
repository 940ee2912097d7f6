"""Leak detection quality on synthetic scenarios with known leaks.

    .venv/bin/python bench/leaks.py [--meters 2000] [--days 90] [--districts 24]

1. Customer meters: `--meters` households × `--days` of hourly volumes
   (territoria/sensors/simulator.py), 10 % of them with a constant leak of 2–20 L/h
   starting at a random hour. Rule (a), evaluated once a day on the previous
   24 hours: precision, recall, F1, detection delay, € score.
2. Districts: `--districts` WNTR simulations of Net3 over 60 days with the day's
   demand varying (σ = 2 %), each run without and with one network leak of 3 %, 5 %,
   10 % or 20 % of the night flow (sizes taking turns) starting on day 30–45; rule (b)
   (MNF > 1.1 × min of 10 previous nights), rule (b2) (MNF significantly above the
   median of the 14 previous nights) and a CUSUM on MNF: detections within 48 h and
   7 days, delays, false alarms per district and month (leak-free runs), € score.
   Simulations are cached under var/cache/bench-leaks/ (they are deterministic).
3. bench/leaks_normalised.py: the night flow normalised by the day's demand (a study).
4. bench/leaks_households.py: customer meters on the household simulator, the
   night-baseline rule beside rule (a).

BattLeDIM-style score: a leak found earns the water it would still have lost until
the end of the period × €/m³; each false alarm costs €500 (crew sent for nothing).
"""

import argparse
import functools
import hashlib
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


FRACTIONS = (0.03, 0.05, 0.10, 0.20)
CACHE = Path(__file__).resolve().parent.parent / "var" / "cache" / "bench-leaks"


def district_scenario(days: int, seed: int, plan: list[dict]) -> dict:
    """One district simulated without and with its leak (same demands). The simulation
    is deterministic, so it is cached under var/cache/, keyed by its inputs, the WNTR
    version and the simulator's source."""
    import wntr

    key = hashlib.sha256(
        json.dumps(
            [days, seed, plan, wntr.__version__, Path(simulator.__file__).read_text()]
        ).encode()
    ).hexdigest()[:20]
    path = CACHE / f"district-{key}.npz"
    if path.exists():
        with np.load(path) as data:
            return {
                "flow": data["flow"],
                "leak_flow": data["leak_flow"],
                "baseline": data["baseline"],
                "truth": json.loads(str(data["truth"])),
                "cached": True,
            }
    if plan:
        flow, leak_flow, truth, baseline = simulator.district_flows(
            days, seed=seed, leaks=plan, baseline_too=True
        )
    else:
        flow, leak_flow, truth = simulator.district_flows(days, seed=seed)
        baseline = flow
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, flow=flow, leak_flow=leak_flow, baseline=baseline, truth=json.dumps(truth))
    return {
        "flow": flow,
        "leak_flow": leak_flow,
        "baseline": baseline,
        "truth": truth,
        "cached": False,
    }


def district_scenarios(districts: int, days: int, seed: int) -> tuple[list[dict], float]:
    """`districts` leaks, sizes taking turns among FRACTIONS, each starting at a random
    hour of days 30–45."""
    rng = np.random.default_rng(seed)
    rows = []
    t0 = time.perf_counter()
    for d in range(districts):
        start_day = int(rng.integers(30, 46))
        plan = [
            {
                "start_hour": start_day * 24 + int(rng.integers(24)),
                "fraction": FRACTIONS[d % len(FRACTIONS)],
            }
        ]
        scenario = district_scenario(days, seed * 100 + d, plan)
        scenario["plan"] = plan
        rows.append(scenario)
    return rows, time.perf_counter() - t0


DISTRICT_METHODS = {
    "règle (b) : MNF > 1,1 × min des 10 nuits": lambda m: leaks.mnf_alarms(m, window=10, gamma=0.1),
    "règle (b2) : écart significatif à la médiane des 14 nuits": lambda m: leaks.mnf_significant(m)[
        0
    ],
    "CUSUM sur le MNF (k = 0,5, h = 4)": lambda m: leaks.mnf_cusum(m, window=10, floor=0.02),
    "alertes de l'application : (b) ou (b2)": lambda m: (
        leaks.mnf_alarms(m, window=10, gamma=0.1) | leaks.mnf_significant(m)[0]
    ),
}


def _significant(mnf, **options):
    return leaks.mnf_significant(mnf, **options)[0]


# Thresholds of rule (b2) around the chosen one (2.75), for the calibration table.
CALIBRATION_METHODS = {
    **DISTRICT_METHODS,
    **{
        f"règle (b2), seuil deux nuits {two}": functools.partial(_significant, two_nights=two)
        for two in (2.5, 3.0)
    },
}
WARM_UP_NIGHTS = 14  # every method has its baseline from then on


def district_bench(districts: int, days: int, seed: int) -> dict:
    """Each district is simulated twice with the same demands: without a leak (false
    alarms are counted there, over every night after the warm-up) and with its leak
    (detections: the first alarm starting within 7 days of the leak's start)."""
    rows, simulated = district_scenarios(districts, days, seed)
    out = {
        "districts": districts,
        "days": days,
        "simulate_s": round(simulated, 1),
        "from_cache": sum(row["cached"] for row in rows),
        "methods": {},
    }
    months = districts * (days - WARM_UP_NIGHTS) / 30.4
    period_end = START + days * DAY
    for method, detect in DISTRICT_METHODS.items():
        per_size: dict = {}
        false_alarms, euros = 0, 0.0
        for row in rows:
            quiet = detect(leaks.night_minimum(row["baseline"].reshape(days, 24)))
            quiet[:WARM_UP_NIGHTS] = False
            false_alarms += len(leaks.first_alarms(quiet))
            alarms = detect(leaks.night_minimum(row["flow"].reshape(days, 24)))
            # Night d is known once its 02:00–04:00 window is over.
            starts = [START + day * DAY + 4 * HOUR for day in leaks.first_alarms(alarms)]
            plan, truth = row["plan"][0], row["truth"][0]
            leak = {
                "start": START + plan["start_hour"] * HOUR,
                "end": period_end,
                "m3_per_hour": float(np.median(row["leak_flow"][plan["start_hour"] :])),
            }
            matched = leaks.match_events([leak], starts, tolerance_s=7 * DAY)
            # False alarms before the leak are those of the leak-free twin: not twice.
            matched["false"] = []
            euros += leaks.scores(matched, 1, price_per_m3=NETWORK_PRICE, period_end=period_end)[
                "euros"
            ]
            delay = (matched["hits"][0][1] - leak["start"]) / 3600 if matched["hits"] else None
            per_size.setdefault(f"{truth['fraction']:.0%}", []).append(delay)
        euros -= 500 * false_alarms
        by_size = {}
        for size, delays in sorted(per_size.items(), key=lambda item: float(item[0][:-1])):
            found = sorted(d for d in delays if d is not None)
            by_size[size] = {
                "leaks": len(delays),
                "within_48h": sum(d <= 48 for d in found),
                "within_7_days": len(found),
                "delay_h_median": round(float(np.median(found)), 1) if found else None,
                "delay_h_max": round(max(found), 1) if found else None,
                "delays_h": [None if d is None else round(d, 1) for d in delays],
            }
        out["methods"][method] = {
            "by_leak_size": by_size,
            "false_alarms": false_alarms,
            "leak_free_district_months": round(months, 1),
            "false_alarms_per_district_month": round(false_alarms / months, 3),
            "euros": round(euros, 0),
        }
    return out


def calibration_bench(years: int, seed: int, leaks_per_size: int) -> dict:
    """Leak-free WNTR years of Net3 (cached): false alarms per month of each method;
    then constant steps of 3–20 % of the median night flow added to those nights at
    random hours (a leak at night pressure), detections within 48 h."""
    days = 365
    t0 = time.perf_counter()
    nights = []
    for y in range(years):
        scenario = district_scenario(days, 9001 + seed * 100 + y, [])
        nights.append(leaks.night_minimum(scenario["baseline"].reshape(days, 24)))
    simulated = time.perf_counter() - t0
    spread = [float(np.std(np.diff(np.log(m))) / np.sqrt(2)) for m in nights]
    months = sum(len(m) - 30 for m in nights) / 30.4
    out = {
        "years": years,
        "simulate_s": round(simulated, 1),
        "night_noise_sd": [round(x, 4) for x in spread],
        "leak_free_district_months": round(months, 1),
        "leaks_per_size": leaks_per_size,
        "methods": {},
    }
    for method, detect in CALIBRATION_METHODS.items():
        false_alarms = 0
        for m in nights:
            alarms = detect(m)
            alarms[:30] = False
            false_alarms += len(leaks.first_alarms(alarms))
        rng = np.random.default_rng(seed)
        by_size = {}
        for fraction in FRACTIONS:
            delays = []
            for i in range(leaks_per_size):
                m = nights[i % years].copy()
                day, hour = int(rng.integers(32, days - 10)), int(rng.integers(24))
                first = day if hour <= 2 else day + 1
                m[first:] += fraction * np.median(m[day - 14 : day])
                found = [d for d in leaks.first_alarms(detect(m)) if first <= d < first + 7]
                delays.append(found[0] * 24 + 4 - (day * 24 + hour) if found else None)
            hits = sorted(d for d in delays if d is not None)
            by_size[f"{fraction:.0%}"] = {
                "within_48h": round(sum(d <= 48 for d in hits) / leaks_per_size, 3),
                "within_7_days": round(len(hits) / leaks_per_size, 3),
                "delay_h_median": float(np.median(hits)) if hits else None,
            }
        out["methods"][method] = {
            "false_alarms": false_alarms,
            "false_alarms_per_district_month": round(false_alarms / months, 3),
            "by_leak_size": by_size,
        }
    return out


# ---------------------------------------------------------------- household archetypes


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
    parser.add_argument("--districts", type=int, default=24)
    parser.add_argument("--district-days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calibration-years", type=int, default=2)
    parser.add_argument("--calibration-leaks", type=int, default=200)
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
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
    }
    customer = customer_bench(args.meters, args.days, args.seed)
    print(json.dumps({"machine": facts, "customer": customer}, indent=1, ensure_ascii=False))
    district = district_bench(args.districts, args.district_days, args.seed)
    print(json.dumps({"district": district}, indent=1, ensure_ascii=False))
    calibration = calibration_bench(args.calibration_years, args.seed, args.calibration_leaks)
    facts["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps({"calibration": calibration, "machine": facts}, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": facts,
                    "customer": customer,
                    "district": district,
                    "calibration": calibration,
                },
                indent=1,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
