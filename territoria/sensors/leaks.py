"""Leak detection and fill forecasts on plain NumPy arrays (no database, no Django).

- Customer meters, continuous flow: a meter whose water never stood still for a
  whole hour over 24 h leaks at least its smallest hourly volume (Kamstrup-style
  "leak" code; reference: docs/sensors.md).
- District meters (DMA), minimum night flow (MNF, 02:00–04:00): day d alarms when
  MNF(d) exceeds the minimum of the previous `window` days by more than `gamma`
  of it (KIOS LeakDB baseline, γ = 0.1, w = 10); for small leaks, the MNF compared
  with the median and robust spread of the previous nights (one night far above, or
  two nights in a row clearly above), or a CUSUM on the same standardised MNF.
- Bins: fill rate from a robust slope since the last emptying, date when full.
"""

import numpy as np

HOURS_PER_DAY = 24


def continuous_flow(volumes: np.ndarray, *, min_hours: int = 20) -> np.ndarray:
    """Per meter (rows) over 24 hourly volumes (columns, litres, NaN when missing): the
    smallest hourly volume when the meter never stopped, else 0. Severity in L/h."""
    volumes = np.asarray(volumes, dtype=float)
    present = np.isfinite(volumes).sum(axis=1)
    with np.errstate(all="ignore"):
        minimum = np.where(
            present > 0, np.nanmin(np.where(np.isfinite(volumes), volumes, np.inf), axis=1), 0.0
        )
    minimum = np.where(np.isfinite(minimum), minimum, 0.0)
    return np.where((present >= min_hours) & (minimum > 0), minimum, 0.0)


def continuous_flow_days(volumes: np.ndarray, *, min_hours: int = 20) -> np.ndarray:
    """Rule 1 applied day by day: volumes [meters, days × 24] -> severity [meters, days]."""
    meters, hours = volumes.shape
    days = hours // HOURS_PER_DAY
    cube = np.asarray(volumes[:, : days * HOURS_PER_DAY], dtype=float).reshape(
        meters, days, HOURS_PER_DAY
    )
    present = np.isfinite(cube).sum(axis=2)
    minimum = np.min(np.where(np.isfinite(cube), cube, np.inf), axis=2)
    return np.where((present >= min_hours) & np.isfinite(minimum) & (minimum > 0), minimum, 0.0)


def night_minimum(flow: np.ndarray, *, night=(2, 3)) -> np.ndarray:
    """Minimum night flow per day: `flow` [days, 24] hourly mean flow indexed by local
    hour (NaN when missing); the minimum over the hours starting at 02:00 and 03:00."""
    window = np.asarray(flow, dtype=float)[:, list(night)]
    present = np.isfinite(window)
    lowest = np.min(np.where(present, window, np.inf), axis=1)
    return np.where(present.any(axis=1), lowest, np.nan)


def mnf_alarms(mnf: np.ndarray, *, window: int = 10, gamma: float = 0.1) -> np.ndarray:
    """Day d alarms when MNF(d) − min(MNF over the previous `window` days) > γ × that
    minimum. The first `window` days only build the baseline."""
    mnf = np.asarray(mnf, dtype=float)
    alarms = np.zeros(len(mnf), dtype=bool)
    for d in range(window, len(mnf)):
        previous = mnf[d - window : d]
        previous = previous[np.isfinite(previous)]
        if len(previous) < window // 2 or not np.isfinite(mnf[d]):
            continue
        baseline = previous.min()
        alarms[d] = mnf[d] - baseline > gamma * baseline
    return alarms


def mnf_excess(mnf: np.ndarray, day: int, *, window: int = 10) -> float:
    """MNF(day) above the previous days' minimum: the leak's flow estimate."""
    previous = np.asarray(mnf[max(day - window, 0) : day], dtype=float)
    previous = previous[np.isfinite(previous)]
    if not len(previous):
        return 0.0
    return max(float(mnf[day] - previous.min()), 0.0)


def mnf_cusum(
    mnf: np.ndarray, *, window: int = 10, k: float = 0.5, h: float = 4.0, floor: float = 0.01
) -> np.ndarray:
    """One-sided CUSUM on MNF standardised by the median and robust spread (1.4826 ×
    MAD, at least `floor` × median) of the previous `window` days. The baseline is
    frozen while the sum is positive, so a slow leak does not become the norm."""
    mnf = np.asarray(mnf, dtype=float)
    alarms = np.zeros(len(mnf), dtype=bool)
    total, frozen = 0.0, None
    for d in range(window, len(mnf)):
        if not np.isfinite(mnf[d]):
            continue
        if frozen is None:
            previous = mnf[d - window : d]
            previous = previous[np.isfinite(previous)]
            if len(previous) < window // 2:
                continue
            median = float(np.median(previous))
            spread = max(1.4826 * float(np.median(np.abs(previous - median))), floor * median, 1e-9)
            reference = (median, spread)
        else:
            reference = frozen
        z = (mnf[d] - reference[0]) / reference[1]
        total = max(0.0, total + z - k)
        frozen = reference if total > 0 else None
        if total > h:
            alarms[d] = True
    return alarms


def robust_baseline(previous: np.ndarray, *, floor: float = 0.01) -> tuple[float, float] | None:
    """Median and robust spread (1.4826 × MAD, at least `floor` × median) of previous
    nights' MNF; None with fewer than two nights."""
    previous = np.asarray(previous, dtype=float)
    previous = previous[np.isfinite(previous)]
    if len(previous) < 2:
        return None
    median = float(np.median(previous))
    mad = float(np.median(np.abs(previous - median)))
    return median, max(1.4826 * mad, floor * abs(median), 1e-9)


def mnf_significant(
    mnf: np.ndarray,
    *,
    window: int = 14,
    one_night: float = 4.0,
    two_nights: float = 2.75,
    floor: float = 0.015,
    min_nights: int = 10,
) -> tuple[np.ndarray, np.ndarray]:
    """Statistically calibrated night-flow rule. Night d alarms when its MNF stands
    more than `one_night` robust spreads above the median of the `window` nights before
    it, or when the mean of it and the night before stands more than `two_nights`
    spreads of a two-night mean (spread / √2) above the median of the `window` nights
    before those two (a baseline free of the leak if the leak began then). Thresholds
    were calibrated on simulated districts (docs/benchmarks.md). Returns the alarms
    and, for each alarming night, the first night of the excess (-1 elsewhere)."""
    mnf = np.asarray(mnf, dtype=float)
    alarms = np.zeros(len(mnf), dtype=bool)
    onset = np.full(len(mnf), -1)
    for d in range(window, len(mnf)):
        if not np.isfinite(mnf[d]):
            continue
        single = _baseline_before(mnf, d, window, floor, min_nights)
        if single and mnf[d] - single[0] > one_night * single[1]:
            alarms[d], onset[d] = True, d
        if d - 1 < window or not np.isfinite(mnf[d - 1]):
            continue
        pair = _baseline_before(mnf, d - 1, window, floor, min_nights)
        if pair and (mnf[d - 1] + mnf[d]) / 2 - pair[0] > two_nights * pair[1] / np.sqrt(2):
            alarms[d], onset[d] = True, d - 1
    return alarms, onset


def _baseline_before(mnf, day, window, floor, min_nights):
    previous = mnf[max(day - window, 0) : day]
    if np.isfinite(previous).sum() < min_nights:
        return None
    return robust_baseline(previous, floor=floor)


def run_start(alarms: np.ndarray, day: int) -> int:
    """The first night of the run of alarming nights that ends on `day`."""
    first = day
    while first > 0 and alarms[first - 1]:
        first -= 1
    return first


def mnf_significant_event(
    mnf: np.ndarray, alarms: np.ndarray, onset: np.ndarray, day: int, *, window: int = 14
) -> tuple[int, float, float]:
    """For an alarming night `day`: the onset of its run of alarming nights, the
    baseline median before that onset and the excess flow (median MNF since the onset
    minus that baseline): the leak's flow estimate."""
    first = run_start(alarms, day)
    start = int(onset[first]) if onset[first] >= 0 else first
    median = float(np.nanmedian(mnf[max(start - window, 0) : start]))
    since = np.asarray(mnf[start : day + 1], dtype=float)
    return start, median, max(float(np.nanmedian(since)) - median, 0.0)


def first_alarms(alarms: np.ndarray) -> list[int]:
    """Indexes where an alarm starts (an alarm continuing from the day before is the
    same event)."""
    alarms = np.asarray(alarms, dtype=bool)
    starts = alarms.copy()
    starts[1:] &= ~alarms[:-1]
    return np.flatnonzero(starts).tolist()


def theil_sen_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Median of pairwise slopes: robust to a few bad readings."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2:
        return 0.0
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        return 0.0
    return float(np.median((y[j] - y[i])[keep] / dx[keep]))


def predicted_full(ts: np.ndarray, levels: np.ndarray, threshold: float, *, drop: float = 30.0):
    """When a bin reaches `threshold` % given its levels since the last emptying (a fall
    of more than `drop` points); None when it does not fill or is already full."""
    ts, levels = np.asarray(ts, dtype=float), np.asarray(levels, dtype=float)
    if len(ts) < 3:
        return None
    falls = np.flatnonzero(np.diff(levels) < -drop)
    start = falls[-1] + 1 if len(falls) else 0
    x, y = ts[start:], levels[start:]
    if len(x) < 3 or y[-1] >= threshold:
        return None
    rate = theil_sen_slope(x[-200:], y[-200:])
    if rate <= 0:
        return None
    return float(x[-1] + (threshold - y[-1]) / rate)


# ------------------------------------------------------------------ evaluation


def match_events(truth: list[dict], detections: list[float], *, tolerance_s: float) -> dict:
    """Pair detections with true leaks: a detection counts for the first leak it follows
    within `tolerance_s` of its start; others are false alarms; a leak's later
    detections are repeats (scored 0, as in BattLeDIM)."""
    detections = sorted(detections)
    used = set()
    hits = []
    for leak in sorted(truth, key=lambda leak: leak["start"]):
        match = next(
            (
                i
                for i, t in enumerate(detections)
                if i not in used and leak["start"] <= t <= leak["start"] + tolerance_s
            ),
            None,
        )
        if match is not None:
            used.add(match)
            hits.append((leak, detections[match]))
            # Later detections inside the same leak are repeats, not false alarms.
            for i, t in enumerate(detections):
                if leak["start"] <= t <= leak.get("end", float("inf")):
                    used.add(i)
    false = [t for i, t in enumerate(detections) if i not in used]
    return {"hits": hits, "missed": len(truth) - len(hits), "false": false}


def scores(
    matched: dict,
    truth_count: int,
    *,
    price_per_m3: float,
    false_cost: float = 500.0,
    period_end: float,
) -> dict:
    """Precision, recall, F1, mean delay and the BattLeDIM-style € score: for each leak
    found, the water saved from detection to the end of the period × €/m³; −€500 per
    false alarm (no localisation term: alerts name the meter or the district)."""
    tp, fp = len(matched["hits"]), len(matched["false"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / truth_count if truth_count else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    delays = [t - leak["start"] for leak, t in matched["hits"]]
    euros = (
        sum(
            leak["m3_per_hour"]
            * max(min(leak.get("end", period_end), period_end) - t, 0)
            / 3600
            * price_per_m3
            for leak, t in matched["hits"]
        )
        - false_cost * fp
    )
    return {
        "tp": tp,
        "fp": fp,
        "fn": matched["missed"],
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "delay_hours_median": float(np.median(delays)) / 3600 if delays else None,
        "delay_hours_max": max(delays) / 3600 if delays else None,
        "euros": euros,
    }
