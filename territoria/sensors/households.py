"""Customer meters that are hard to fool: household archetypes, meter resolution,
missing readings in bursts, Europe/Paris clock changes and leaks that start, grow
and are repaired, with their ground truth (plain NumPy, seeded).

Archetypes and their shares (the detector never sees the archetype); "hypothesis"
marks a share we could not source:

- ordinary, 52 % (the remainder): nights mostly still, a flush now and then.
- night users, 15 %: water drawn in about a third of night hours (shift work,
  babies, night toilets). 10.9 % of people in work work at night at least once in
  four weeks (DARES, « Le travail de nuit », 2024); 15.4 % of employees in 2012
  (DARES Analyses 2014-062); babies and toilets: hypothesis.
- small continuous consumers, 6 % (hypothesis): a steady 1–6 L/h from the start
  (cistern that runs, livestock trough, fountain); half also have a softener that
  regenerates with 75–250 L at 02:00 every 2–7 nights (20–65 US gallons per
  regeneration, usually at 02:00: manufacturers' and retailers' guides).
- secondary homes, 10 %: empty (zero) for weeks, occupied some weekends and two
  holiday weeks. 9.9 % of ordinary dwellings are secondary or occasional homes in
  2021 (SDES, « Chiffres clés du logement 2022 », from Insee).
- seasonal watering, 12 % (hypothesis): automatic watering of 30–300 L in one hour
  (04:00, 05:00, 21:00 or 22:00 local) every 1–3 days from April to September.
- large consumers, 5 % (hypothesis): schools, care homes, campsites; a day profile
  ×10–120 and a night base of 20–300 L/h of their own that varies night to night.

Bigger households leave fewer hours without water (the idle probability of an
hour is raised to the power daily volume / 250 L).

Meters: 70 % read to the litre, 30 % to 10 L (the hourly volume is the
difference of a truncated index, so small flows arrive in 10 L steps);
hypothesis. Readings are lost in bursts (one every four days on average, lasting
1–48 h, 8 h on average) and 2 % of meters fall silent for 3–10 days (hypothesis).
Leaks: each meter leaks on average `leaks_per_year` times a year (Poisson), at a
random hour; initial rate log-uniform over 1–60 L/h; 30 % grow linearly up to 3×
their initial rate; each is repaired (ends) after 2–60 days, or runs to the end.
"""

import datetime
import zoneinfo

import numpy as np

HOUR = 3600
DAY = 86400
TIME_ZONE = "Europe/Paris"

ARCHETYPES = {
    "ordinary": 0.52,
    "night_user": 0.15,
    "continuous_small": 0.06,
    "secondary_home": 0.10,
    "seasonal_watering": 0.12,
    "large_consumer": 0.05,
}
COARSE_SHARE = 0.30  # meters read to 10 L

# Share of a day's water drawn in each local hour for a sleeping household.
_PROFILE = np.array(
    [1, 0.6, 0.5, 0.5, 0.6, 1.5, 4, 7.5, 8, 6.5, 5.5, 5]
    + [5.5, 5, 4, 3.5, 4, 5, 6.5, 7.5, 6.5, 4.5, 3, 2],
    dtype=float,
)
_PROFILE /= _PROFILE.sum()
_IDLE = np.array(
    [0.88, 0.93, 0.95, 0.95, 0.93, 0.75, 0.35, 0.2, 0.2, 0.3, 0.35, 0.35]
    + [0.3, 0.35, 0.45, 0.45, 0.4, 0.3, 0.2, 0.2, 0.25, 0.35, 0.5, 0.7]
)


def local_clock(ts: np.ndarray, time_zone: str = TIME_ZONE) -> tuple[np.ndarray, np.ndarray]:
    """Local hour (0–23) and local day number (days since 1970-01-01 local) of each
    UTC epoch second, clock changes included."""
    tz = zoneinfo.ZoneInfo(time_zone)
    ts = np.asarray(ts, dtype=np.int64)
    hours = ts // HOUR
    unique, inverse = np.unique(hours, return_inverse=True)
    offsets = np.array(
        [
            datetime.datetime.fromtimestamp(int(h) * HOUR, tz=tz).utcoffset().total_seconds()
            for h in unique
        ],
        dtype=np.int64,
    )[inverse]
    local = ts + offsets
    return (local // HOUR) % 24, local // DAY


def simulate(
    seed: int,
    meters: int,
    days: int,
    *,
    start: int = 1738368000,  # 2025-02-01T00:00:00Z: the run spans the March clock change
    leaks_per_year: float = 1.0,
) -> dict:
    """Hourly volumes [meters, hours] in litres (NaN when the reading is lost), the
    UTC hour starts `ts`, each meter's archetype and resolution, and the true leaks:
    dicts with meter, start, end (epoch s), mean L/h, growth and litres lost."""
    rng = np.random.default_rng(seed)
    ts = start + HOUR * np.arange(days * 24, dtype=np.int64)
    hour, day = local_clock(ts)
    names = list(ARCHETYPES)
    kind = rng.choice(len(names), size=meters, p=list(ARCHETYPES.values()))
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
    weekend = weekday >= 5
    month = np.array([datetime.date.fromordinal(719163 + int(d)).month for d in np.unique(day)])[
        np.searchsorted(np.unique(day), day)
    ]

    daily = rng.lognormal(np.log(250.0), 0.45, size=meters)
    # Bigger households leave fewer hours without any water.
    idle = _IDLE[hour][None, :] ** np.clip(daily / 250.0, 0.5, 3.0)[:, None]
    # Night users draw water in about a third of night hours.
    night = hour < 6
    is_night_user = kind == names.index("night_user")
    idle[np.ix_(is_night_user, night)] = rng.uniform(0.55, 0.75, size=(is_night_user.sum(), 1))
    expected = daily[:, None] * (_PROFILE[hour] * np.where(weekend, 1.1, 1.0))[None, :]
    expected = expected / (1 - idle)
    used = rng.random((meters, len(ts))) >= idle
    flow = np.where(used, rng.gamma(2.0, expected / 2.0), 0.0)

    # Small continuous consumers: a steady flow; half also have a softener.
    small = np.flatnonzero(kind == names.index("continuous_small"))
    flow[small] += rng.uniform(1.0, 6.0, size=(len(small), 1))
    for m in small[: len(small) // 2]:
        every = int(rng.integers(2, 8))
        regen = (hour == 2) & ((day + m) % every == 0)
        flow[m, regen] += rng.uniform(75, 250)

    # Secondary homes: occupied some weekends and two holiday weeks, else empty.
    for m in np.flatnonzero(kind == names.index("secondary_home")):
        week = (day - day[0]) // 7
        occupied_weeks = rng.random(week.max() + 1) < 0.25
        holiday = int(rng.integers(0, max(days - 14, 1)))
        occupied = (occupied_weeks[week] & (weekday >= 4)) | (
            (day - day[0] >= holiday) & (day - day[0] < holiday + 14)
        )
        flow[m, ~occupied] = 0.0

    # Seasonal watering: one automatic hour every 1–3 days, April to September.
    for m in np.flatnonzero(kind == names.index("seasonal_watering")):
        at = int(rng.choice([4, 5, 21, 22]))
        every = int(rng.integers(1, 4))
        on = (hour == at) & (month >= 4) & (month <= 9) & ((day + m) % every == 0)
        flow[m, on] += rng.uniform(30, 300)

    # Large consumers: a day profile ×10–120 and a night base that varies.
    for m in np.flatnonzero(kind == names.index("large_consumer")):
        scale = rng.uniform(10, 120)
        base = rng.uniform(20, 300) * rng.lognormal(0, 0.15, size=days)
        flow[m] = flow[m] * scale + np.repeat(base, 24)[: len(ts)] * night

    truth = _add_leaks(rng, flow, ts, leaks_per_year)

    # A meter reports its index truncated to its resolution.
    resolution = np.where(rng.random(meters) < COARSE_SHARE, 10.0, 1.0)
    index = np.floor(np.cumsum(flow, axis=1) / resolution[:, None]) * resolution[:, None]
    volumes = np.diff(index, axis=1, prepend=0.0)
    volumes[:, 0] = np.floor(flow[:, 0] / resolution) * resolution

    volumes[_gaps(rng, meters, len(ts))] = np.nan
    return {
        "ts": ts,
        "volumes": volumes,
        "archetype": np.array(names)[kind],
        "resolution": resolution,
        "leaks": truth,
    }


def _add_leaks(rng, flow, ts, leaks_per_year) -> list[dict]:
    meters, hours = flow.shape
    truth = []
    counts = rng.poisson(leaks_per_year * hours / (365 * 24), size=meters)
    for m in np.flatnonzero(counts):
        for _ in range(counts[m]):
            first = int(rng.integers(0, hours))
            last = min(first + int(rng.integers(2 * 24, 60 * 24)), hours)
            rate = float(np.exp(rng.uniform(np.log(1.0), np.log(60.0))))
            grows = rng.random() < 0.3
            ramp = np.linspace(1.0, rng.uniform(1.5, 3.0) if grows else 1.0, last - first)
            leak = rate * ramp
            flow[m, first:last] += leak
            truth.append(
                {
                    "meter": int(m),
                    "start": int(ts[first]),
                    "end": int(ts[last - 1] + HOUR),
                    "lph": float(leak.mean()),
                    "initial_lph": rate,
                    "grows": bool(grows),
                    "repaired": last < hours,
                    "hourly": leak,
                }
            )
    return truth


def _gaps(rng, meters: int, hours: int) -> np.ndarray:
    """Lost readings in bursts: a burst starts with probability 1/96 an hour and lasts
    1–48 h (geometric, mean 8 h); 2 % of meters are also silent for 3–10 days."""
    lost = np.zeros((meters, hours), dtype=bool)
    starts = rng.random((meters, hours)) < 1 / 96
    for m, h in zip(*np.nonzero(starts), strict=True):
        lost[m, h : h + min(int(rng.geometric(1 / 8)), 48)] = True
    for m in np.flatnonzero(rng.random(meters) < 0.02):
        h = int(rng.integers(0, hours))
        lost[m, h : h + int(rng.integers(3, 11)) * 24] = True
    return lost


def lost_litres(leak: dict, ts: np.ndarray, until: int) -> float:
    """Water the leak lost from its start to `until` (epoch s)."""
    first = int(np.searchsorted(ts, leak["start"]))
    upto = int(np.searchsorted(ts, min(until, leak["end"])))
    return float(leak["hourly"][: max(upto - first, 0)].sum())
