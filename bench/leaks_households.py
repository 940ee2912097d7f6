"""Leak detection after the customer meter, on the household simulator
(territoria/sensors/households.py): the night-baseline rule beside the former rule (a),
per archetype and per seed, then one timed detection run on SQLite (and PostgreSQL).

    .venv/bin/python bench/leaks_households.py [--household-seeds 1,2,3,4,5]
        [--household-meters 2000] [--household-days 150] [--pg URL] [--json FILE]
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

from bench.leaks import DAY, HOUR  # noqa: E402
from territoria.sensors import baseline, households, leaks  # noqa: E402

GATE = os.environ.get("LEAKS_GATE", "1") == "1"
EVAL_FROM_NIGHT = 10  # nights before only build each meter's normal
MIN_LPH = 2.0


def _night_ends(ts, hour, day, nights) -> np.ndarray:
    """Epoch second at which each local night (00:00–06:00) is complete."""
    in_night = hour < baseline.NIGHT_HOURS
    last = np.full(len(nights), 0, dtype=np.int64)
    np.maximum.at(last, np.searchsorted(nights, day[in_night]), ts[in_night])
    return last + HOUR


def _episodes(alarm: np.ndarray) -> list[tuple[int, int]]:
    """(meter, night) where an alarm begins (an alarm held from the night before is the
    same open alert)."""
    starts = alarm.copy()
    starts[:, 1:] &= ~alarm[:, :-1]
    return list(zip(*np.nonzero(starts), strict=True))


def _score(truth, events, meters_of, months_of, keys) -> dict:
    """events: [(meter, t, lost_estimate or None)]; truth: leaks ≥ 2 L/h to find,
    others (smaller, or started in the warm-up) only excuse their own alarms."""
    out = {}
    for key in keys:
        sel_truth = [leak for leak in truth if key is None or leak["key"] == key]
        sel_events = [e for e in events if key is None or e["key"] == key]
        by_meter: dict[int, list] = {}
        for e in sel_events:
            by_meter.setdefault(e["meter"], []).append(e)
        hits, late, false, lost_ok, lost_n = [], 0, 0, 0, 0
        excused = set()
        for leak in sel_truth:
            mine = by_meter.get(leak["meter"], [])
            found = next(
                (e for e in mine if leak["start"] <= e["t"] <= leak["start"] + 7 * DAY), None
            )
            for e in mine:
                if leak["start"] <= e["t"] <= leak["end"] + 2 * DAY:
                    excused.add(id(e))
            if not leak["scored"]:
                continue
            if found is None:
                late += any(leak["start"] <= e["t"] <= leak["end"] for e in mine)
                continue
            hits.append(found["t"] - leak["start"])
            if found.get("lost") is not None:
                lost_n += 1
                lost_ok += (
                    abs(found["lost"] - found["true_lost"][id(leak)])
                    <= 0.25 * found["true_lost"][id(leak)]
                )
        false = sum(id(e) not in excused for e in sel_events)
        scored = int(sum(leak["scored"] for leak in sel_truth))
        tp = len(hits)
        precision = tp / (tp + false) if tp + false else 1.0
        recall = tp / scored if scored else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if recall is not None and precision + recall
            else None
        )
        months = months_of(key)
        out[key or "all"] = {
            "meters": meters_of(key),
            "leaks": scored,
            "found_7d": tp,
            "found_later": late,
            "false": false,
            "precision": round(precision, 3),
            "recall": None if recall is None else round(recall, 3),
            "f1": None if f1 is None else round(f1, 3),
            "false_per_1000_meter_months": round(1000 * false / months, 1) if months else None,
            "delay_h_median": round(float(np.median(hits)) / 3600, 1) if hits else None,
            "lost_within_25pct": round(lost_ok / lost_n, 3) if lost_n else None,
        }
    return out


def household_seed(seed: int, meters: int, days: int) -> dict:
    t0 = time.perf_counter()
    sim = households.simulate(seed, meters, days)
    generated = time.perf_counter() - t0
    ts, volumes, archetype = sim["ts"], sim["volumes"], sim["archetype"]
    hour, day = households.local_clock(ts)
    t0 = time.perf_counter()
    minimum, total, count, nights = baseline.night_aggregates(volumes, hour, day)
    coarse = baseline.coarse_meters(volumes)
    levels = baseline.night_levels(minimum, total, count, coarse)
    ends = _night_ends(ts, hour, day, nights)
    alarm = np.zeros(levels.shape, dtype=bool)
    found = {}
    for d in range(EVAL_FROM_NIGHT, len(nights)):
        window = levels[:, max(0, d + 1 - baseline.WINDOW - baseline.MAX_RUN - 2) : d + 1]
        result = baseline.detect(window)
        if GATE:
            last_day = volumes[:, slice(*np.searchsorted(ts, [ends[d] - DAY, ends[d]]))]
            result["alarm"] &= baseline.still_running(
                last_day, result["normal"], result["rate"], coarse
            )
        alarm[:, d] = result["alarm"]
        for m in np.flatnonzero(result["alarm"] & ~alarm[:, d - 1]):
            first = d + 1 - window.shape[1] + int(result["first"][m])
            prev_start = ends[first - 1] - 6 * HOUR if first > 0 else ts[0]
            a, b = np.searchsorted(ts, [prev_start, ends[first]])
            start = baseline.leak_start(
                volumes[m, a:b],
                ts[a:b],
                result["normal"][m],
                result["rate"][m],
                coarse=bool(coarse[m]),
            )
            found[(int(m), d)] = (start, float(result["rate"][m]))
    detect_s = time.perf_counter() - t0
    # Rule (a), as the application ran it: the last 24 h never at zero, once a day.
    severity = leaks.continuous_flow_days(volumes)
    old_alarm = severity > 0
    eval_from = ends[EVAL_FROM_NIGHT - 1]
    truth = []
    for leak in sim["leaks"]:
        truth.append(
            {
                **leak,
                "key": archetype[leak["meter"]],
                "scored": leak["lph"] >= MIN_LPH and leak["start"] >= eval_from,
            }
        )
    new_events = []
    for m, d in _episodes(alarm):
        start, rate = found[(int(m), int(d))]
        t = int(ends[d])
        new_events.append(
            {
                "meter": int(m),
                "t": t,
                "key": archetype[m],
                "lost": rate * max(t - start, 0) / HOUR,
                "true_lost": {
                    id(leak): households.lost_litres(leak, ts, t)
                    for leak in truth
                    if leak["meter"] == m
                },
            }
        )
    day_ends = ts[0] + DAY * (np.arange(old_alarm.shape[1]) + 1)
    old_events = [
        {"meter": int(m), "t": int(day_ends[d]), "key": archetype[m]}
        for m, d in _episodes(old_alarm)
        if day_ends[d] > eval_from
    ]
    months_total = (ts[-1] + HOUR - eval_from) / (30.4 * DAY)
    keys = [None, *households.ARCHETYPES]

    def meters_of(key):
        return int(meters if key is None else (archetype == key).sum())

    def months_of(key):
        return meters_of(key) * months_total

    return {
        "seed": seed,
        "meters": meters,
        "days": days,
        "coarse_meters": int(coarse.sum()),
        "coarse_detected_right": int((coarse == (sim["resolution"] == 10)).sum()),
        "leaks": len(sim["leaks"]),
        "generate_s": round(generated, 1),
        "detect_s_all_nights": round(detect_s, 2),
        "baseline": _score(truth, new_events, meters_of, months_of, keys),
        "rule_a": _score(truth, old_events, meters_of, months_of, keys),
    }


DETECT_SQLITE = """
import json, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import datetime
import numpy as np
from django.db import connection, transaction
from tests.factories import make_collectivite, make_commune
from territoria.sensors import detection, households
from territoria.sensors.models import Device, Fleet
meters, days = %d, %d
commune = make_commune("18197", "Saint-Amand-Montrond")
collectivite = make_collectivite(commune, "saint-amand-montrond")
fleet = Fleet.objects.create(collectivite=collectivite, name="bench")
Device.objects.bulk_create(
    (Device(collectivite=collectivite, fleet=fleet, kind="water_meter", name=f"M{i}",
            external_id=f"M{i}") for i in range(meters)),
    batch_size=5000,
)
ids = np.array(sorted(Device.objects.filter(fleet=fleet).values_list("pk", flat=True)))
sim = households.simulate(7, meters, days, start=1741651200)  # 2025-03-11
t0 = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    for h, hour in enumerate(sim["ts"].tolist()):
        column = sim["volumes"][:, h]
        keep = np.isfinite(column)
        cursor.executemany(
            "INSERT INTO sensors_hourly (hour, device_id, quantity, n, total, minimum, "
            "maximum, last_ts, last_value) VALUES (%%s, %%s, 1, 1, %%s, %%s, %%s, %%s, %%s)",
            [(hour, int(d), v, v, v, hour, v)
             for d, v in zip(ids[keep].tolist(), column[keep].tolist())],
        )
loaded = time.perf_counter() - t0
with connection.cursor() as cursor:
    # A live database has statistics (autovacuum, or ANALYZE on SQLite after loads).
    cursor.execute("ANALYZE sensors_hourly")
now = datetime.datetime.fromtimestamp(int(sim["ts"][-1]) + 3600, tz=datetime.UTC)
runs = []
for _ in range(3):
    t0 = time.perf_counter()
    opened = detection.continuous_flow(collectivite, now)
    runs.append({"seconds": round(time.perf_counter() - t0, 2),
                 "opened": len([a for a in opened if a])})
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM sensors_hourly")
    rows = cursor.fetchone()[0]
print(json.dumps({"meters": meters, "days": days, "hourly_rows": rows,
                  "load_s": round(loaded, 1), "runs": runs}))
"""


def detection_timing(meters: int, days: int, database_url: str | None = None) -> dict:
    """One hourly run of the customer-meter rule (`detection.continuous_flow`) on a
    fresh database holding `days` of hourly volumes of `meters` simulated meters:
    the first run opens the alerts, the next ones find them already open."""
    import tempfile

    from bench.ingest import run_django

    with tempfile.TemporaryDirectory(prefix="bench-leaks-") as var_dir:
        return run_django(DETECT_SQLITE % (meters, days), Path(var_dir), database_url)


def households_bench(args) -> dict:
    """Every seed of the household simulator, the new rule and rule (a) side by side,
    then one timed detection run on SQLite (and PostgreSQL with --pg)."""
    out = {
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
        },
        "seeds": [],
    }
    for seed in (int(x) for x in args.household_seeds.split(",")):
        result = household_seed(seed, args.household_meters, args.household_days)
        out["seeds"].append(result)
        print(json.dumps(result, ensure_ascii=False, default=int), flush=True)
    out["timing_sqlite"] = detection_timing(args.timing_meters, args.timing_days)
    print(json.dumps({"timing_sqlite": out["timing_sqlite"]}), flush=True)
    if args.pg:
        out["timing_postgresql"] = detection_timing(args.timing_meters, args.timing_days, args.pg)
        print(json.dumps({"timing_postgresql": out["timing_postgresql"]}), flush=True)
    out["machine"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--household-seeds", default="1,2,3,4,5")
    parser.add_argument("--household-meters", type=int, default=2000)
    parser.add_argument("--household-days", type=int, default=150)
    parser.add_argument("--timing-meters", type=int, default=10_000)
    parser.add_argument("--timing-days", type=int, default=36)
    parser.add_argument("--pg", help="PostgreSQL URL: also time one detection run there")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    out = households_bench(args)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
