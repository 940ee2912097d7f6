"""Realistic synthetic sensor data with known leaks (plain NumPy; WNTR for districts).

- Customer meters: hourly volumes with a daily and weekly rhythm, lognormal household
  sizes, hours without any use (mostly at night), 1 L quantisation and ~5 % lost
  frames; customer-side leaks add a constant 2–20 L/h from their start.
- District (DMA) inflow: a WNTR pressure-driven simulation of the Net3 network
  shipped inside the `wntr` package (92 junctions, 2 sources, 3 tanks), demands
  varied day to day; network leaks are WNTR leaks (Q = Cd·A·√(2gh)) sized as a
  fraction of the night flow, so the flows stay hydraulically consistent.
- Other devices (bins, parking, people counters, energy, air quality) follow simple
  daily patterns for the dashboards.
"""

import math
import warnings
from pathlib import Path

import numpy as np

HOUR = 3600
DAY = 86400

# Share of a day's household water drawn in each local hour (sums to 1).
HOURLY_PROFILE = np.array(
    [
        1,
        0.6,
        0.5,
        0.5,
        0.6,
        1.5,
        4,
        7.5,
        8,
        6.5,
        5.5,
        5,
        5.5,
        5,
        4,
        3.5,
        4,
        5,
        6.5,
        7.5,
        6.5,
        4.5,
        3,
        2,
    ],
    dtype=float,
)
HOURLY_PROFILE /= HOURLY_PROFILE.sum()
# Probability that nobody draws water during a local hour.
IDLE_PROBABILITY = np.array(
    [0.85, 0.9, 0.92, 0.92, 0.9, 0.7, 0.35, 0.2, 0.2, 0.3, 0.35, 0.35]
    + [0.3, 0.35, 0.45, 0.45, 0.4, 0.3, 0.2, 0.2, 0.25, 0.35, 0.5, 0.7]
)


def local_hours(ts: np.ndarray, utc_offset_hours: int = 1) -> np.ndarray:
    return ((np.asarray(ts) // HOUR) + utc_offset_hours) % 24


def weekdays(ts: np.ndarray) -> np.ndarray:
    """0 = Monday (1970-01-01 was a Thursday)."""
    return ((np.asarray(ts) // DAY) + 3) % 7


def household_volumes(rng, meters: int, ts: np.ndarray, *, gap_rate=0.05, daily_litres=250.0):
    """Hourly volumes in litres [meters, len(ts)], NaN for lost frames."""
    ts = np.asarray(ts)
    hours = local_hours(ts)
    weekend = np.where(weekdays(ts) >= 5, 1.1, 1.0)
    daily = rng.lognormal(math.log(daily_litres), 0.45, size=meters)
    idle = IDLE_PROBABILITY[hours]
    expected = daily[:, None] * (HOURLY_PROFILE[hours] * weekend)[None, :] / (1 - idle)[None, :]
    used = rng.random((meters, len(ts))) >= idle[None, :]
    drawn = rng.gamma(2.0, expected / 2.0)
    volumes = np.where(used, np.round(drawn), 0.0)
    volumes[rng.random(volumes.shape) < gap_rate] = np.nan
    return volumes


def inject_customer_leaks(rng, volumes, ts, count: int, *, rates=(2.0, 20.0), earliest=2 * DAY):
    """Add constant leaks to `count` distinct meters; returns their ground truth."""
    ts = np.asarray(ts)
    meters = rng.choice(volumes.shape[0], size=count, replace=False)
    truth = []
    for meter in meters.tolist():
        start_index = int(rng.integers(earliest // HOUR, len(ts) - 2 * 24))
        rate = float(rng.uniform(*rates))
        leak = np.zeros(len(ts))
        leak[start_index:] = rate
        # Whole litres, as the meter's register counts them.
        volumes[meter] = np.where(
            np.isfinite(volumes[meter]), np.round(volumes[meter] + leak), np.nan
        )
        truth.append(
            {
                "meter": meter,
                "start": int(ts[start_index]),
                "end": int(ts[-1]) + HOUR,
                "lph": rate,
                "m3_per_hour": rate / 1000,
            }
        )
    return truth


# ----------------------------------------------------------------- districts


def network_path(name: str = "Net3") -> Path:
    import wntr

    return Path(wntr.__file__).parent / "library" / "networks" / f"{name}.inp"


def _network(days: int, seed: int, day_sigma: float):
    import wntr

    wn = wntr.network.WaterNetworkModel(str(network_path()))
    wn.options.time.duration = days * DAY
    wn.options.time.hydraulic_timestep = HOUR
    wn.options.time.pattern_timestep = HOUR
    wn.options.time.report_timestep = HOUR
    wn.options.hydraulic.demand_model = "PDD"
    wn.options.hydraulic.required_pressure = 20.0
    wn.options.hydraulic.minimum_pressure = 0.0
    rng = np.random.default_rng(seed)
    # Day-to-day variation of every demand; weekends busier in daytime only (nights
    # stay alike, which is what the night-flow rules rely on).
    daily = np.repeat(rng.lognormal(0.0, day_sigma, size=days), 24)
    hour = np.tile(np.arange(24), days)
    weekend = np.repeat(np.arange(days) % 7 >= 5, 24) & (hour >= 7)
    factors = daily * np.where(weekend, 1.05, 1.0)
    # Each demand pattern becomes `days` long, scaled hour by hour.
    for name in list(wn.pattern_name_list):
        pattern = wn.get_pattern(name)
        base = np.resize(np.asarray(pattern.multipliers, dtype=float), 24)
        pattern.multipliers = (np.tile(base, days) * factors).tolist()
    return wn


def _consumption(results, wn) -> np.ndarray:
    """Net district inflow = sum of junction demands + leak flows (m³/h): the
    sources' outflow once tank storage changes are set aside."""
    junctions = wn.junction_name_list
    demand = results.node["demand"][junctions].sum(axis=1).to_numpy()
    leak = _leak_flow(results)
    return (demand + leak) * HOUR, leak * HOUR


def _leak_flow(results) -> np.ndarray:
    frame = results.node.get("leak_demand")
    if frame is None:
        return np.zeros(len(results.node["demand"].index))
    return frame.sum(axis=1).to_numpy()


def _run(wntr, wn):
    """WNTR's hydraulic run. Fitting Net3's pump curve (three points, three unknowns)
    leaves SciPy no degree of freedom for a covariance, which it warns about: harmless,
    and silenced here so the warning does not depend on what ran before."""
    from scipy.optimize import OptimizeWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        return wntr.sim.WNTRSimulator(wn).run_sim()


def district_flows(
    days: int,
    *,
    seed: int = 0,
    leaks=(),
    day_sigma: float = 0.02,
    scale: float = 1.0,
    baseline_too=False,
):
    """Hourly district inflow (m³/h, `days` × 24 values from 00:00) simulated with WNTR
    on Net3, with leaks given as dicts {"start_hour", "end_hour" (optional),
    "fraction"} — the leak flow as a fraction of the night flow at its start.
    Returns (flow, leak_flow, truth)."""
    import wntr

    baseline = _run(wntr, _network(days, seed, day_sigma))
    wn = _network(days, seed, day_sigma)
    flow, _ = _consumption(baseline, wn)
    if not leaks:
        return flow[: days * 24] * scale, np.zeros(days * 24), []
    baseline_flow = flow[: days * 24] * scale
    junctions = wn.junction_name_list
    pressure = baseline.node["pressure"][junctions]
    rng = np.random.default_rng(seed + 1000)
    truth = []
    for leak in leaks:
        start = int(leak["start_hour"])
        night = start - start % 24 + 3
        node = leak.get("node")
        if node is None:
            # A junction with ordinary pressure, not a pump suction or a tank inlet.
            candidates = [n for n in junctions if 25 < float(pressure[n].iloc[night]) < 70]
            node = candidates[int(rng.integers(len(candidates)))]
        head = max(float(pressure[node].iloc[night]), 1.0)
        target = leak["fraction"] * flow[night] / HOUR  # m³/s
        area = target / (0.75 * math.sqrt(2 * 9.81 * head))
        end = leak.get("end_hour")
        wn.get_node(node).add_leak(
            wn,
            area=area,
            discharge_coeff=0.75,
            start_time=start * HOUR,
            end_time=end * HOUR if end else None,
        )
        truth.append(
            {"node": node, "start_hour": start, "area_m2": area, "fraction": leak["fraction"]}
        )
    results = _run(wntr, wn)
    flow, leak_flow = _consumption(results, wn)
    found = flow[: days * 24] * scale, leak_flow[: days * 24] * scale, truth
    return (*found, baseline_flow) if baseline_too else found


# ------------------------------------------------------------- other devices


def bin_levels(rng, bins: int, ts: np.ndarray, *, empty_every_days=(3, 7)):
    """Fill level % rising by day, emptied every few days."""
    ts = np.asarray(ts)
    levels = np.zeros((bins, len(ts)))
    daytime = np.isin(local_hours(ts), np.arange(7, 21))
    for b in range(bins):
        rate = rng.uniform(0.6, 2.2)  # points per daytime hour
        period = int(rng.integers(*empty_every_days)) * 24
        offset = int(rng.integers(period))
        level = float(rng.uniform(0, 40))
        for i in range(len(ts)):
            if (i + offset) % period == 0:
                level = rng.uniform(0, 5)
            elif daytime[i]:
                level = min(level + rate * rng.uniform(0.5, 1.5), 100.0)
            levels[b, i] = round(level, 1)
    return levels


def people_counts(rng, counters: int, ts: np.ndarray, *, peak=900.0):
    """Passages per hour at a beach: afternoon peak, more at weekends."""
    ts = np.asarray(ts)
    hours = local_hours(ts)
    shape = np.exp(-((hours - 15.5) ** 2) / 8.0) * (hours >= 7) * (hours <= 22)
    weekend = np.where(weekdays(ts) >= 5, 1.6, 1.0)
    expected = peak * shape * weekend
    return rng.poisson(np.broadcast_to(expected, (counters, len(ts)))).astype(float)


def parking_occupancy(rng, spots: int, ts: np.ndarray):
    """Per spot 0/1 per hour: busy on working days' daytime."""
    ts = np.asarray(ts)
    hours = local_hours(ts)
    busy = np.where((hours >= 8) & (hours <= 19), 0.8, 0.15) * np.where(weekdays(ts) >= 5, 0.7, 1.0)
    return (rng.random((spots, len(ts))) < busy[None, :]).astype(float)


def energy_kwh(rng, meters: int, ts: np.ndarray, *, base=4.0):
    ts = np.asarray(ts)
    hours = local_hours(ts)
    shape = np.where((hours >= 7) & (hours <= 18), 3.0, 1.0) * np.where(weekdays(ts) >= 5, 0.5, 1.0)
    return np.round(base * shape[None, :] * rng.lognormal(0, 0.15, size=(meters, len(ts))), 2)


def air_pollution(rng, sensors: int, ts: np.ndarray) -> dict[str, np.ndarray]:
    """Hourly µg/m³ by pollutant name: NO₂ and PM10 rise with the working days' rush
    hours, PM10 also drifts from day to day (weather), PM2.5 is about 0.6 of PM10."""
    ts = np.asarray(ts)
    hours = local_hours(ts)
    rush = np.exp(-((hours - 8.5) ** 2) / 2.0) + np.exp(-((hours - 18) ** 2) / 3.0)
    traffic = rush * np.where(weekdays(ts) >= 5, 0.4, 1.0)
    days = (ts - ts[0]) // DAY
    weather = rng.lognormal(0, 0.3, size=(sensors, int(days.max()) + 1))[:, days]
    noise = rng.lognormal(0, 0.15, size=(3, sensors, len(ts)))
    pm10 = (12 + 8 * traffic) * weather * noise[0]
    return {
        "pm10": np.round(pm10, 1),
        "pm25": np.round(0.6 * pm10 * noise[1], 1),
        "no2": np.round((10 + 25 * traffic) * noise[2], 1),
    }
