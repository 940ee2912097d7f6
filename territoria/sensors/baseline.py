"""Customer-meter leaks against each meter's own night (plain NumPy, all meters at once).

A leak is water that should stop and does not. Each meter's night level is read
in local time (00:00–06:00, so a clock change does not move it): the smallest
hourly volume of the night for meters read to the litre, the smaller
block mean over 00:00–03:00 and 03:00–06:00 for meters read to 10 L (a small
flow shows there only as a 10 L step every few hours; ordinary use rarely fills
both blocks). A night with fewer than `MIN_HOURS` readings is unknown, never
taken as flow. The meter's normal is the median of its levels over the previous
`WINDOW` nights and their robust spread (1.4826 × MAD). A leak is raised when the
last `RUN` nights with data (more for meters whose nights are often high, see
`detect`) all stand above that normal by more than max(`FLOOR` L/h, `K`
spreads): the change point is the first of those nights,
the rate is their median level minus the normal, and the start is the hour after
the last hour that stayed below half of that rise, between the night before the
change and the change itself.
"""

import warnings

import numpy as np

NIGHT_HOURS = 6  # local 00:00–06:00
BLOCK_HOURS = 3
BLOCKS = NIGHT_HOURS // BLOCK_HOURS
MIN_HOURS = 4
WINDOW = 28
MIN_BASELINE = 7
RUN = 2
MAX_RUN = 6
ALPHA = 1e-4  # chance that ordinary nights pass for a leak, per meter and night
P_MIN = 0.01
K = 4.0
FLOOR = 1.0  # L/h
COARSE_LITRES = 10.0


def coarse_from_counts(nonzero: np.ndarray, off_grid: np.ndarray) -> np.ndarray:
    """A meter read to 10 L: several non-zero hourly volumes, none off the 10 L grid."""
    return (np.asarray(nonzero) >= 3) & (np.asarray(off_grid) == 0)


def coarse_meters(volumes: np.ndarray) -> np.ndarray:
    """The same rule on an hourly matrix [meters, hours] (NaN when missing)."""
    v = np.nan_to_num(np.asarray(volumes, dtype=float))
    off = np.abs(v - COARSE_LITRES * np.round(v / COARSE_LITRES)) > 1e-3
    return coarse_from_counts((v > 0).sum(axis=1), off.sum(axis=1))


def night_aggregates(volumes: np.ndarray, hour: np.ndarray, day: np.ndarray):
    """Hourly volumes [meters, hours] with each column's local hour and local day ->
    (minimum, total, count) [meters, nights, BLOCKS] per block of `BLOCK_HOURS` local
    hours of the night, and the nights' local day numbers. The detection run's SQL
    computes the same figures."""
    volumes = np.asarray(volumes, dtype=float)
    hour = np.asarray(hour)
    in_night = hour < NIGHT_HOURS
    nights, column = np.unique(np.asarray(day)[in_night], return_inverse=True)
    cell = column * BLOCKS + hour[in_night] // BLOCK_HOURS
    v = volumes[:, in_night]
    present = np.isfinite(v)
    shape = (volumes.shape[0], len(nights) * BLOCKS)
    count, total, minimum = np.zeros(shape), np.zeros(shape), np.full(shape, np.inf)
    np.add.at(count.T, cell, present.T)
    np.add.at(total.T, cell, np.where(present, v, 0.0).T)
    np.minimum.at(minimum.T, cell, np.where(present, v, np.inf).T)
    cube = (volumes.shape[0], len(nights), BLOCKS)
    return minimum.reshape(cube), total.reshape(cube), count.reshape(cube), nights


def night_levels(minimum, total, count, coarse) -> np.ndarray:
    """Night level in L/h per meter and night (NaN when unknown): the smallest hourly
    volume for meters read to the litre (at least MIN_HOURS readings); for meters
    read to 10 L, the smallest block mean (every block with two readings or more)."""
    count = np.asarray(count, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.asarray(total, dtype=float) / count
    fine = np.where(count.sum(axis=2) >= MIN_HOURS, np.min(minimum, axis=2), np.nan)
    blocks = np.where((count >= 2).all(axis=2), np.min(mean, axis=2), np.nan)
    return np.where(np.asarray(coarse)[:, None], blocks, fine)


def _normal(levels, known, last_run, window):
    """Median and robust spread of each meter's levels over the `window` nights before
    its last `last_run` known nights; the position of the first of those nights."""
    n = levels.shape[1]
    rank = np.cumsum(known[:, ::-1], axis=1)[:, ::-1] * known
    hit = rank == np.asarray(last_run)[:, None]
    first = np.where(hit.any(axis=1), np.argmax(hit, axis=1), -1)
    position = np.arange(n)[None, :]
    before = (position < first[:, None]) & (position >= first[:, None] - window) & known
    history = np.where(before, levels, np.nan)
    # Meters without history give all-NaN rows: their NaN medians are expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        normal = np.nanmedian(history, axis=1)
        spread = 1.4826 * np.nanmedian(np.abs(history - normal[:, None]), axis=1)
    return history, normal, np.nan_to_num(spread), first, rank


def detect(levels: np.ndarray, *, window=WINDOW, k=K, floor=FLOOR, alpha=ALPHA) -> dict:
    """Levels [meters, nights] (last column = the last complete night) -> per meter:
    `alarm`, `rate` (L/h above normal), `normal`, `spread`, `first` (index of the
    change night, -1 when none) and `run` (nights the rise had to hold).

    A meter whose ordinary nights often stand high (night users) must hold the rise
    longer: `run` is the fewest nights (RUN to MAX_RUN) for which the share of its
    normal nights above the bar, raised to that power, falls under `alpha`."""
    levels = np.asarray(levels, dtype=float)
    meters, n = levels.shape
    known = np.isfinite(levels)
    # How often this meter's nights stand high, judged before any recent rise.
    history, normal, spread, _, _ = _normal(levels, known, np.full(meters, MAX_RUN), window)
    bar = normal + np.maximum(floor, k * spread)
    seen = np.isfinite(history).sum(axis=1)
    share = np.maximum((history > bar[:, None]).sum(axis=1) / np.maximum(seen, 1), P_MIN)
    run = np.clip(np.ceil(np.log(alpha) / np.log(share)), RUN, MAX_RUN).astype(int)
    history, normal, spread, first, rank = _normal(levels, known, run, window)
    bar = normal + np.maximum(floor, k * spread)
    in_run = known & (rank >= 1) & (rank <= run[:, None])
    # The run must be recent: at most two unknown nights inside or after it.
    recent = (first >= 0) & (first >= n - run - 2)
    enough = np.isfinite(history).sum(axis=1) >= MIN_BASELINE
    above = np.where(in_run, levels > bar[:, None], True).all(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.nanmedian(np.where(in_run, levels, np.nan), axis=1)
    rise = level - np.nan_to_num(normal)
    alarm = recent & enough & above
    return {
        "alarm": alarm,
        "rate": np.where(alarm, rise, 0.0),
        "normal": np.nan_to_num(normal),
        "spread": spread,
        "first": np.where(alarm, first, -1),
        "run": run,
    }


def still_running(last_day: np.ndarray, normal, rise, coarse) -> np.ndarray:
    """A leak runs every hour: per meter, whether its last 24 hourly volumes (NaN when
    missing) agree. Read to the litre: no hour below normal + half the rise. Read to
    10 L: no run of empty hours longer than one 10 L step at that rate allows."""
    last_day = np.asarray(last_day, dtype=float)
    normal, rise = np.asarray(normal, dtype=float), np.asarray(rise, dtype=float)
    known = np.isfinite(last_day)
    with np.errstate(invalid="ignore"):
        below = (known & (last_day < (normal + rise / 2)[:, None])).any(axis=1)
    empty = known & (last_day <= 0)
    longest = np.zeros(len(last_day), dtype=int)
    current = np.zeros(len(last_day), dtype=int)
    for column in empty.T:
        current = np.where(column, current + 1, 0)
        longest = np.maximum(longest, current)
    with np.errstate(divide="ignore"):
        allowed = np.ceil(COARSE_LITRES / np.maximum(rise, 1e-9)) + 1
    return np.where(np.asarray(coarse), longest <= allowed, ~below)


def leak_start(volumes, ts, normal: float, rate: float, *, coarse: bool = False) -> int:
    """Hourly volumes running from the night before the change (local 00:00) to the end
    of the change night -> the leak's start: the hour after the last hour that stayed
    below `normal + rate / 2`; the window's first hour when none did. A meter read to
    10 L shows small flows as rare steps, so its start is the middle of the day
    between the two nights."""
    volumes, ts = np.asarray(volumes, dtype=float), np.asarray(ts)
    if coarse:
        return int(ts[0] + (NIGHT_HOURS * 3600 + 24 * 3600) // 2)
    low = np.flatnonzero(np.isfinite(volumes) & (volumes < normal + rate / 2))
    if not len(low):
        return int(ts[0])
    return int(ts[low[-1]]) + 3600
