"""Roadmap optimiser: time to plan, and the value it adds over a greedy rule.

Run from the repository root:

    .venv/bin/python bench/roadmap_solve.py

Generates seeded synthetic instances shaped like a town's catalogue (investments from
2 k€ to 200 k€, 40 % of projects with savings paying back in 1 to 8 years, running
costs of 5 to 20 % of the investment a year, priority values, one project in ten
requiring another, a yearly budget that binds) and solves them with HiGHS through
territoria.roadmap.optimiser.solve:

- "mandate": 80 use cases × 6 years, several seeds; the target is proven optimality
  in under 2 s each;
- "large": 1,000 candidate projects × 10 years with a 30 s limit; the target is the
  optimal plan, or the best plan found with its optimality gap, within 30 s.

The baseline, run on the same instances in the same process, is the greedy rule
"best value per euro first, each project at its earliest feasible year"
(optimiser.greedy). The objective compared is the optimiser's own: priority value
plus net present value of savings minus costs over the horizon. Exits with status 1
when a target is missed. Options: --seeds N (default 5), --skip-large.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")

import django  # noqa: E402

django.setup()

from territoria.roadmap.optimiser import Candidate, Instance, greedy, solve  # noqa: E402

MANDATE_TARGET_S = 2.0
LARGE_LIMIT_S = 30.0


def make_instance(seed: int, n: int, years: int, *, time_limit: float) -> Instance:
    rng = random.Random(seed)
    candidates = []
    for i in range(n):
        capex = round(rng.lognormvariate(9.8, 0.9), -2)  # median ~18 k€
        capex = min(max(capex, 2_000), 200_000)
        opex = capex * rng.uniform(0.05, 0.20)
        saving = 0.0
        if rng.random() < 0.4:
            saving = opex + capex / rng.uniform(1, 8)
        value = capex * rng.uniform(0.02, 0.25)
        requires = ()
        if i > 5 and rng.random() < 0.1:
            requires = (f"uc{rng.randrange(i)}",)
        candidates.append(
            Candidate(
                key=f"uc{i}",
                label=f"Cas d'usage {i}",
                capex=capex,
                opex=opex,
                saving=saving,
                value=value,
                requires=requires,
            )  # fmt: skip
        )
    total = sum(c.capex for c in candidates)
    return Instance(
        first_year=2027,
        years=years,
        budget=round(total / (n / 4) / years * 3, -3),  # binds: a few projects a year at first
        capacity=max(2, n // 25),
        discount_rate=0.03,
        candidates=tuple(candidates),
        time_limit=time_limit,
    )


def run(label, instances):
    rows = []
    for inst in instances:
        began = time.perf_counter()
        best = solve(inst)
        seconds = time.perf_counter() - began
        began = time.perf_counter()
        base = greedy(inst)
        greedy_seconds = time.perf_counter() - began
        added = (best.objective - base.objective) / abs(base.objective) * 100
        rows.append((seconds, best.status, best.gap, len(best.starts), greedy_seconds, added))
        print(
            f"  {label}: {seconds:6.2f} s, {best.status:10s} gap {best.gap * 100:5.2f} %, "
            f"{len(best.starts):4d} projects; greedy {greedy_seconds:6.2f} s, "
            f"{len(base.starts):4d} projects; optimiser adds {added:5.1f} % value"
        )
    return rows


def machine() -> str:
    ram = ""
    try:
        with open("/proc/meminfo") as meminfo:
            ram = f"{int(meminfo.readline().split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    import highspy

    version = getattr(highspy.Highs(), "version", lambda: "?")()
    return (
        f"{os.cpu_count()} CPU, {ram}, Python {platform.python_version()}, HiGHS {version} "
        f"(1 thread)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    print(machine())
    ok = True
    print("80 use cases × 6 years:")
    mandate = run(
        "mandate",
        [make_instance(seed, 80, 6, time_limit=LARGE_LIMIT_S) for seed in range(args.seeds)],
    )
    times = [r[0] for r in mandate]
    print(
        f"  median {statistics.median(times):.2f} s, max {max(times):.2f} s, "
        f"all optimal: {all(r[1] == 'optimal' for r in mandate)}, "
        f"median value added over greedy {statistics.median(r[5] for r in mandate):.1f} %"
    )
    if max(times) > MANDATE_TARGET_S or not all(r[1] == "optimal" for r in mandate):
        ok = False
    if not args.skip_large:
        print("1,000 candidates × 10 years (30 s limit):")
        instances = [
            make_instance(1000 + seed, 1000, 10, time_limit=LARGE_LIMIT_S) for seed in range(2)
        ]
        large = run("large", instances)
        if max(r[0] for r in large) > LARGE_LIMIT_S:
            ok = False
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
