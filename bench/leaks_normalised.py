"""Rule (b2)'s test on the night flow once the day's demand is regressed out (night /
day ratio, day minus night, the hours before the night…), on leak-free simulated years
with added leaks and on the district bench of bench/leaks.py: a study, not an
application rule (docs/benchmarks.md, « Détection des fuites »).

    .venv/bin/python bench/leaks_normalised.py [--calibration-years 2]
        [--calibration-leaks 200] [--districts 24] [--seed 1]
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.leaks import (  # noqa: E402
    FRACTIONS,
    WARM_UP_NIGHTS,
    district_scenario,
    district_scenarios,
)
from territoria.sensors import leaks  # noqa: E402


def _theil_sen(x, y) -> float:
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    return float(np.median((y[j] - y[i])[keep] / dx[keep])) if keep.any() else 0.0


def residual_significant(
    mnf, covariate, *, window=14, one_night=4.0, two_nights=2.75, floor=0.015, min_nights=10
):
    """Rule (b2)'s test on the residual of MNF regressed (Theil–Sen slope, median
    intercept) on a covariate over the `window` nights before: what the demand of the
    day does not explain. The spread floor stays 1.5 % of the median MNF."""
    mnf, covariate = np.asarray(mnf, dtype=float), np.asarray(covariate, dtype=float)
    alarms = np.zeros(len(mnf), dtype=bool)

    def scores(day, nights):
        y, x = mnf[max(day - window, 0) : day], covariate[max(day - window, 0) : day]
        keep = np.isfinite(y) & np.isfinite(x)
        if keep.sum() < min_nights:
            return None
        y, x = y[keep], x[keep]
        slope = _theil_sen(x, y)
        intercept = float(np.median(y - slope * x))
        residual = y - intercept - slope * x
        spread = max(1.4826 * float(np.median(np.abs(residual))), floor * float(np.median(y)))
        return [(mnf[n] - intercept - slope * covariate[n]) / spread for n in nights]

    known = np.isfinite(mnf) & np.isfinite(covariate)
    for d in range(window, len(mnf)):
        if not known[d]:
            continue
        z = scores(d, [d])
        alarms[d] = bool(z) and z[0] > one_night
        if d - 1 >= window and known[d - 1]:
            z = scores(d - 1, [d - 1, d])
            alarms[d] |= bool(z) and (z[0] + z[1]) / 2 > two_nights / np.sqrt(2)
    return alarms


def _prior_day(grid, mnf):
    """Mean flow of the 22 hours before the night (04:00 the day before to 02:00), less
    the MNF: known when the night is, and a constant leak adds nothing to it."""
    flat = grid.reshape(-1)
    prior = np.full(len(grid), np.nan)
    for d in range(1, len(grid)):
        prior[d] = np.nanmean(flat[(d - 1) * 24 + 4 : d * 24 + 2])
    return prior - mnf


# name: (covariate of each night from its [days, 24] grid and MNF, hours after 04:00
# when it is known). The day's multiplier of the simulator covers one calendar day.
NORMALISED = {
    "(b2) sur le MNF (règle actuelle)": (None, 0),
    "(b2) sur MNF ~ débit moyen du jour (rapport nuit / jour)": (
        lambda grid, mnf: np.nanmean(grid, axis=1),
        20,
    ),
    "(b2) sur MNF ~ débit moyen du jour − MNF": (
        lambda grid, mnf: np.nanmean(grid, axis=1) - mnf,
        20,
    ),
    "(b2) sur MNF ~ débit moyen 06 h – 10 h − MNF": (
        lambda grid, mnf: np.nanmean(grid[:, 6:10], axis=1) - mnf,
        6,
    ),
    "(b2) sur MNF ~ débit des 22 h précédant la nuit − MNF": (_prior_day, 0),
    "(b2) sur MNF ~ débit 01 h − débit 04 h (artefact du simulateur)": (
        lambda grid, mnf: grid[:, 1] - grid[:, 4],
        1,
    ),
}


def _normalised_detector(covariate):
    def detect(grid):
        mnf = leaks.night_minimum(grid)
        if covariate is None:
            return leaks.mnf_significant(mnf)[0]
        return residual_significant(mnf, covariate(grid, mnf))

    return detect


def _out_of_sample_noise(grid, covariate, window=14) -> float:
    """Robust spread (1.4826 × MAD) of each night's residual from the fit on the
    `window` nights before it, as a share of the median MNF."""
    mnf = leaks.night_minimum(grid)
    x = np.zeros(len(mnf)) if covariate is None else covariate(grid, mnf)
    errors = []
    for d in range(window + 1, len(mnf)):
        y, c = mnf[d - window : d], x[d - window : d]
        slope = 0.0 if covariate is None else _theil_sen(c, y)
        intercept = float(np.median(y - slope * c))
        errors.append((mnf[d] - intercept - slope * x[d]) / np.median(y))
    errors = np.asarray(errors)
    return float(1.4826 * np.median(np.abs(errors - np.median(errors))))


def normalised_bench(years: int, seed: int, leaks_per_size: int, districts: int) -> dict:
    """Rule (b2)'s test on the night flow as the day's demand leaves it, on the
    calibration years (a constant leak added to every hour from a random one, alarms
    dated when the covariate is known) and on the district bench (WNTR leaks)."""
    days = 365
    grids = [
        district_scenario(days, 9001 + seed * 100 + y, [])["baseline"].reshape(days, 24)
        for y in range(years)
    ]
    rows, _ = district_scenarios(districts, 60, seed)
    months = sum(len(g) - 30 for g in grids) / 30.4
    bench_months = districts * (60 - WARM_UP_NIGHTS) / 30.4
    out = {}
    for name, (covariate, latency) in NORMALISED.items():
        detect = _normalised_detector(covariate)

        def either(grid, detect=detect):
            return detect(grid) | leaks.mnf_alarms(leaks.night_minimum(grid))

        result = {
            "latency_h": latency,
            "night_noise_sd": [round(_out_of_sample_noise(g, covariate), 4) for g in grids],
        }
        for label, rule in (("alone", detect), ("with_b", either)):
            false = 0
            for g in grids:
                alarms = rule(g)
                alarms[:30] = False
                false += len(leaks.first_alarms(alarms))
            result[f"calibration_{label}_false_per_district_month"] = round(false / months, 3)
        rng = np.random.default_rng(seed)
        found = {}
        for fraction in FRACTIONS:
            hits = 0
            for i in range(leaks_per_size):
                grid = grids[i % years]
                day, hour = int(rng.integers(32, days - 10)), int(rng.integers(24))
                first = day if hour <= 2 else day + 1
                step = fraction * np.median(leaks.night_minimum(grid)[day - 14 : day])
                leaking = grid.reshape(-1).copy()
                leaking[day * 24 + hour :] += step
                leaking = leaking.reshape(days, 24)
                times = [
                    d * 24 + 4 + lag
                    for alarms, lag in (
                        (detect(leaking), latency),
                        (leaks.mnf_alarms(leaks.night_minimum(leaking)), 0),
                    )
                    for d in leaks.first_alarms(alarms)
                    if first <= d < first + 7
                ]
                hits += bool(times) and min(times) - (day * 24 + hour) <= 48
            found[f"{fraction:.0%}"] = round(hits / leaks_per_size, 3)
        result["calibration_with_b_within_48h"] = found
        false, per_size = 0, {}
        for row in rows:
            quiet = either(row["baseline"].reshape(60, 24))
            quiet[:WARM_UP_NIGHTS] = False
            false += len(leaks.first_alarms(quiet))
            grid = row["flow"].reshape(60, 24)
            start = row["plan"][0]["start_hour"]
            times = [
                d * 24 + 4 + lag
                for alarms, lag in (
                    (detect(grid), latency),
                    (leaks.mnf_alarms(leaks.night_minimum(grid)), 0),
                )
                for d in leaks.first_alarms(alarms)
                if start <= d * 24 + 4 + lag <= start + 7 * 24
            ]
            size = f"{row['truth'][0]['fraction']:.0%}"
            per_size.setdefault(size, 0)
            per_size[size] += bool(times) and min(times) - start <= 48
        result["bench_with_b_within_48h"] = per_size
        result["bench_with_b_false_per_district_month"] = round(false / bench_months, 3)
        out[name] = result
        print(json.dumps({name: result}, ensure_ascii=False), flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibration-years", type=int, default=2)
    parser.add_argument("--calibration-leaks", type=int, default=200)
    parser.add_argument("--districts", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    normalised_bench(args.calibration_years, args.seed, args.calibration_leaks, args.districts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
