"""Customer-meter leaks are judged against each meter's own nights: ordinary night
use, steady small consumers, lost readings and clock changes raise nothing; water
that no longer stops does, with its rate and start."""

import datetime

import numpy as np
import pytest

from territoria.sensors import baseline, detection, households
from territoria.sensors.enums import AlertKind
from territoria.sensors.models import Alert
from tests.sensors.factories import make_device
from tests.sensors.test_alerts_lifecycle import END, HOUR, NOW, send

START = 1740787200  # 2025-03-01T00:00:00Z, before the clock change of 30 March
DAYS = 45


def _clock():
    ts = START + HOUR * np.arange(DAYS * 24)
    hour, day = households.local_clock(ts)
    return ts, hour, day


def _household(rng, hour, *, night_use=0.05):
    """One meter's hourly litres: water in most day hours, in `night_use` of the hours
    between 00:00 and 06:00 local."""
    night = hour < 6
    used = rng.random(len(hour)) < np.where(night, night_use, 0.6)
    return np.where(used, rng.integers(3, 40, len(hour)), 0).astype(float)


def _alarms(volumes, hour, day, coarse=False):
    """The rule run after each night, as the hourly detection run sees it."""
    minimum, total, count, nights = baseline.night_aggregates(volumes[None, :], hour, day)
    levels = baseline.night_levels(minimum, total, count, np.array([coarse]))
    return [
        baseline.detect(levels[:, max(0, d - 40) : d + 1]) for d in range(levels.shape[1])
    ], nights


def _first_alarm(results):
    return next((d for d, r in enumerate(results) if r["alarm"][0]), None)


def test_a_household_using_water_in_a_third_of_its_night_hours_raises_nothing():
    """Night users (shift work, babies) are their own normal: no alert in 45 nights."""
    rng = np.random.default_rng(3)
    ts, hour, day = _clock()
    results, _ = _alarms(_household(rng, hour, night_use=1 / 3), hour, day)
    assert _first_alarm(results) is None


def test_a_leak_of_four_litres_an_hour_is_raised_on_its_second_night_with_its_rate():
    """From its start, a 4 L/h leak shows on the next two nights; the alert gives
    4 L/h and the hour the water stopped stopping."""
    rng = np.random.default_rng(4)
    ts, hour, day = _clock()
    volumes = _household(rng, hour)
    start = 20 * 24 + 14  # 15:00 UTC on day 20
    volumes[start - 1] = 0.0
    volumes[start:] += 4.0
    results, nights = _alarms(volumes, hour, day)
    found = _first_alarm(results)
    assert nights[found] - nights[0] == 22  # the nights of days 21 and 22, local time
    assert results[found]["rate"][0] == pytest.approx(4.0)
    window = slice(start - 15, start + 15)
    assert (
        baseline.leak_start(
            volumes[window], ts[window], results[found]["normal"][0], results[found]["rate"][0]
        )
        == ts[start]
    )


def test_lost_night_readings_are_unknown_not_flow():
    """A night whose idle hours were not received is not taken as a night without
    rest: a meter losing most of its night readings for a week raises nothing."""
    rng = np.random.default_rng(5)
    ts, hour, day = _clock()
    volumes = _household(rng, hour)
    lost = (hour < 6) & (ts >= ts[0] + 25 * 86400) & (ts < ts[0] + 32 * 86400)
    volumes[lost] = np.nan
    volumes[lost & (hour < 2)] = 15.0  # the few hours that did arrive all had water
    results, _ = _alarms(volumes, hour, day)
    assert _first_alarm(results) is None


def test_the_clock_change_does_not_move_the_night():
    """A home still from midnight to 06:00 local, busy every other hour, stays quiet
    across the change to summer time (30 March 2025)."""
    ts, hour, day = _clock()
    volumes = np.where(hour < 6, 0.0, 12.0)
    results, _ = _alarms(volumes, hour, day)
    assert _first_alarm(results) is None
    # 00:00 UTC is 01:00 on 30 March and 02:00 the next day: the night is read locally.
    assert hour[np.isin(ts, [1743292800, 1743379200])].tolist() == [1, 2]


def test_a_steady_small_consumer_is_its_own_normal_and_a_leak_on_top_is_measured():
    """A trough drawing 3 L/h day and night, with a softener regenerating 150 L at
    02:00 every third night, raises nothing; a 5 L/h leak on top is raised at 5 L/h."""
    rng = np.random.default_rng(6)
    ts, hour, day = _clock()
    volumes = _household(rng, hour) + 3.0
    volumes[(hour == 2) & (day % 3 == 0)] += 150.0
    quiet, _ = _alarms(volumes, hour, day)
    assert _first_alarm(quiet) is None
    volumes[30 * 24 + 10 :] += 5.0
    results, _ = _alarms(volumes, hour, day)
    found = _first_alarm(results)
    assert found is not None and results[found]["rate"][0] == pytest.approx(5.0)


def test_a_meter_read_to_ten_litres_shows_a_small_leak():
    """A meter whose index moves by 10 L steps is recognised as such, and a 5 L/h leak
    (a step every two hours) is raised with a rate between 3 and 7 L/h."""
    rng = np.random.default_rng(7)
    ts, hour, day = _clock()
    flow = _household(rng, hour, night_use=0.02)
    flow[30 * 24 :] += 5.0
    index = np.floor(np.cumsum(flow) / 10) * 10
    volumes = np.diff(index, prepend=0.0)
    assert baseline.coarse_meters(volumes[None, :]).tolist() == [True]
    results, _ = _alarms(volumes, hour, day, coarse=True)
    found = _first_alarm(results)
    assert found is not None and 3.0 <= results[found]["rate"][0] <= 7.0


def test_a_rise_that_stopped_during_the_last_day_is_not_a_running_leak():
    """A leak runs every hour: an empty hour in the last 24 h (read to the litre), or
    empty hours longer than a 10 L step needs at that rate, clear the meter."""
    day = np.full((4, 24), 5.0)
    day[1, 14] = 0.0  # an hour without water
    day[2] = np.where(np.arange(24) % 2 == 0, 10.0, 0.0)  # a 10 L step every 2 h
    day[3] = np.where(np.arange(24) % 8 == 0, 10.0, 0.0)  # every 8 h: too sparse
    running = baseline.still_running(
        day, np.zeros(4), np.array([5.0, 5.0, 5.0, 5.0]), np.array([False, False, True, True])
    )
    assert running.tolist() == [True, False, True, False]


def test_the_household_simulator_is_seeded_and_keeps_its_shares():
    """Same seed, same data; archetype shares as documented; every leak has a start,
    an end and a positive rate; some readings are lost and some meters read to 10 L."""
    a = households.simulate(11, 3000, 30)
    b = households.simulate(11, 3000, 30)
    assert np.array_equal(a["volumes"], b["volumes"], equal_nan=True)
    for name, share in households.ARCHETYPES.items():
        assert abs((a["archetype"] == name).mean() - share) < 0.03, name
    assert 0.2 < (a["resolution"] == 10).mean() < 0.4
    assert 0.01 < np.isnan(a["volumes"]).mean() < 0.2
    assert a["leaks"] and all(
        leak["start"] < leak["end"] and leak["lph"] > 0 for leak in a["leaks"]
    )


@pytest.mark.django_db
def test_the_detection_run_alerts_the_leaking_meter_only(fleet, world):
    """Through the database: a night user and a meter with lost night readings raise
    nothing; the meter whose nights no longer stop gets one leak alert."""
    rng = np.random.default_rng(8)
    ts = END - HOUR * np.arange(20 * 24, 0, -1)
    hour, _ = households.local_clock(ts)
    night_user = _household(rng, hour, night_use=1 / 3)
    gappy = _household(rng, hour)
    gappy[(hour < 6) & (ts > END - 4 * 86400) & (gappy == 0)] = np.nan
    leaking = _household(rng, hour)
    leaking[-60:] += 8.0
    make_device(fleet, "SAM-0001")
    rows = []
    meters = (("compteur-mairie", night_user), ("SAM-0001", gappy), ("SAM-0042", leaking))
    for name, volumes in meters:
        rows += [(name, int(t), float(v)) for t, v in zip(ts, volumes, strict=True) if v == v]
    send(fleet, "water_volume", rows)
    detection.continuous_flow(world.saint_amand, NOW)
    alert = Alert.objects.get()
    assert (alert.kind, alert.device.external_id) == (AlertKind.CONTINUOUS_FLOW, "SAM-0042")
    assert alert.severity == pytest.approx(8.0)
    assert alert.started_at >= datetime.datetime.fromtimestamp(END - 61 * HOUR, tz=datetime.UTC)
