"""Indicators for dashboards, from the rollups (a bounded number of grouped queries
per page, whatever the number of readings). Days and hours are local time."""

import datetime
import zoneinfo
from collections import defaultdict
from statistics import median

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

import numpy as np

from territoria.sensors import leaks, units
from territoria.sensors.enums import AlertKind, DeviceKind, Quantity
from territoria.sensors.models import Alert, Device

HOUR = 3600
DAY = 86400


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(values) -> str:
    return ",".join(["%s"] * len(values))


def hourly(device_ids: list[int], quantity: int, since: int) -> list[tuple]:
    """(device, hour, n, total, min, max, last_value) rows since `since` (epoch s)."""
    if not device_ids:
        return []
    return _rows(
        "SELECT device_id, hour, n, total, minimum, maximum, last_value FROM sensors_hourly "  # noqa: S608
        f"WHERE hour >= %s AND quantity = %s AND device_id IN ({_marks(device_ids)}) "
        "ORDER BY hour",
        [since, quantity, *device_ids],
    )


def device_hours(device: Device, since: int) -> dict[int, dict[int, float]]:
    """{quantity: {hour (epoch s): the hour's total, or its mean for a quantity that does
    not add up}} of one device since `since`; its main quantity first."""
    series: dict[int, dict[int, float]] = {device.main_quantity: {}}
    for quantity, hour, n, total in _rows(
        "SELECT quantity, hour, n, total FROM sensors_hourly WHERE device_id = %s "
        "AND hour >= %s ORDER BY quantity, hour",
        [device.pk, since],
    ):
        additive = units.is_additive(quantity)
        series.setdefault(quantity, {})[hour] = total if additive else total / n
    return series


def daily_totals(device_ids: list[int], quantity: int, days: int, now=None) -> list[tuple]:
    """[(local date, sum of the quantity over the devices)] for the last `days` days."""
    now = now or timezone.now()
    since = int(now.timestamp()) - days * DAY
    sums: dict = defaultdict(float)
    tz = _tz()
    for _device, hour, _n, total, *_ in hourly(device_ids, quantity, since):
        sums[datetime.datetime.fromtimestamp(hour, tz=tz).date()] += total
    return sorted(sums.items())


def device_totals(device_ids: list[int], quantity: int, days: int, now=None) -> dict[int, float]:
    """{device: sum of the quantity over the last `days` days}."""
    now = now or timezone.now()
    sums: dict = defaultdict(float)
    for device, _hour, _n, total, *_ in hourly(
        device_ids, quantity, int(now.timestamp()) - days * DAY
    ):
        sums[device] += total
    return dict(sums)


def hourly_totals(
    device_ids: list[int], quantity: int, hours: int, now=None, *, mean=False
) -> list[tuple]:
    """[(local datetime, sum over devices of the hour's total or mean)]."""
    now = now or timezone.now()
    since = (int(now.timestamp()) // HOUR - hours) * HOUR
    sums: dict = defaultdict(float)
    tz = _tz()
    for _device, hour, n, total, *_ in hourly(device_ids, quantity, since):
        sums[hour] += total / n if mean else total
    return [(datetime.datetime.fromtimestamp(h, tz=tz), v) for h, v in sorted(sums.items())]


def night_flows(device_ids: list[int], days: int = 14, now=None) -> dict[int, list[tuple]]:
    """Per district meter: [(local date, minimum night flow m³/h)] over the last days."""
    now = now or timezone.now()
    tz = _tz()
    result: dict[int, dict] = defaultdict(dict)
    since = int(now.timestamp()) - (days + 1) * DAY
    for device, hour, n, total, *_ in hourly(device_ids, Quantity.FLOW_RATE, since):
        moment = datetime.datetime.fromtimestamp(hour, tz=tz)
        if moment.hour in (2, 3):
            day = result[device]
            day[moment.date()] = min(day.get(moment.date(), float("inf")), total / n)
    return {device: sorted(values.items()) for device, values in result.items()}


def bins(devices: list[Device], now=None) -> list[dict]:
    """Per bin: latest level and the predicted date it reaches its threshold."""
    now = now or timezone.now()
    ids = [d.pk for d in devices]
    series: dict[int, list] = defaultdict(list)
    for device, hour, _n, _total, _mn, _mx, last in hourly(
        ids, Quantity.FILL_LEVEL, int(now.timestamp()) - 14 * DAY
    ):
        series[device].append((hour, last))
    result = []
    for device in devices:
        points = series.get(device.pk, [])
        threshold = device.threshold if device.threshold is not None else 80.0
        level = points[-1][1] if points else None
        eta = None
        if points:
            ts, levels = np.array(points).T
            eta = leaks.predicted_full(ts, levels, threshold)
            if eta is not None and eta > now.timestamp() + 30 * DAY:
                eta = None  # a month away: the bin will be emptied before
        result.append(
            {
                "device": device,
                "level": level,
                "threshold": threshold,
                "full_at": datetime.datetime.fromtimestamp(eta, tz=_tz()) if eta else None,
                "is_full": level is not None and level >= threshold,
            }
        )
    return result


# Maximum stay when a car park sets none: 2 h, the usual limit of a blue zone (each
# town sets its own by decree); the agent changes it on the site.
DEFAULT_MAX_STAY_MINUTES = 120


def stays(device_ids, ts, occupied) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The occupied stretches of spot sensors, from their readings sorted by device then
    time: (device, start, end) arrays of the stays that ended (a stay still going, or
    already going at the first reading, has no known duration and is left out)."""
    device_ids, ts = np.asarray(device_ids), np.asarray(ts)
    busy = np.asarray(occupied) >= 1
    if not len(ts):
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    first = np.r_[True, device_ids[1:] != device_ids[:-1]]
    starts = np.flatnonzero(busy & ~first & ~np.r_[False, busy[:-1]])
    # The stay ends at the next reading of the same device that sees the place free.
    free = np.flatnonzero(~busy)
    after = np.searchsorted(free, starts)
    ends = np.full(len(starts), -1)
    inside = after < len(free)
    ends[inside] = free[after[inside]]
    ended = (ends >= 0) & (device_ids[np.maximum(ends, 0)] == device_ids[starts])
    starts, ends = starts[ended], ends[ended]
    return device_ids[starts], ts[starts], ts[ends]


def _stay_figures(durations: np.ndarray, max_stay: int) -> dict:
    return {
        "count": int(len(durations)),
        "median_minutes": float(np.median(durations)) / 60 if len(durations) else None,
        "overstay_share": float(np.mean(durations > max_stay)) if len(durations) else None,
    }


def parking(site, devices: list[Device], now=None) -> dict:
    """Occupancy now (occupied / capacity), turnover today (arrivals per place) and,
    for spot sensors, the median stay and the share of stays longer than the site's
    maximum, today and over 7 days."""
    now = now or timezone.now()
    tz = _tz()
    midnight = datetime.datetime.combine(now.astimezone(tz).date(), datetime.time(), tzinfo=tz)
    spots = [d for d in devices if d.kind == DeviceKind.PARKING_SPOT]
    counters = [d for d in devices if d.kind == DeviceKind.CAR_PARK]
    occupied = sum(d.last_value or 0 for d in spots + counters)
    capacity = site.capacity or len(spots) or None
    max_stay = site.max_stay_minutes or DEFAULT_MAX_STAY_MINUTES
    figures = {"today": None, "week": None, "turnover": None}
    if spots:
        rows = _rows(
            "SELECT device_id, ts, value FROM sensors_reading WHERE ts >= %s AND quantity = %s "  # noqa: S608
            f"AND device_id IN ({_marks(spots)}) ORDER BY device_id, ts",
            [int(now.timestamp()) - 7 * DAY, Quantity.OCCUPIED, *[d.pk for d in spots]],
        )
        columns = np.array(rows, dtype=float).reshape(-1, 3).T
        device_ids, ts, values = (
            columns[0].astype(np.int64),
            columns[1].astype(np.int64),
            columns[2],
        )
        _device, start, end = stays(device_ids, ts, values)
        today = end >= midnight.timestamp()
        figures["week"] = _stay_figures(end - start, max_stay * 60)
        figures["today"] = _stay_figures((end - start)[today], max_stay * 60)
        busy = values >= 1
        arrived = busy & np.r_[True, (device_ids[1:] != device_ids[:-1]) | ~busy[:-1]]
        figures["turnover"] = int(np.sum(arrived & (ts >= midnight.timestamp()))) / len(spots)
    return {
        "occupied": occupied,
        "capacity": capacity,
        "occupancy": occupied / capacity if capacity else None,
        "turnover": figures["turnover"],
        "max_stay_minutes": max_stay,
        "stays_today": figures["today"],
        "stays_week": figures["week"],
        "stays": [figures["today"], figures["week"]],
        "hours": hourly_totals(
            [d.pk for d in spots + counters], Quantity.OCCUPIED, 24, now, mean=True
        ),
    }


# How full a people-counting site is, as a share of its capacity: hypotheses an agent
# may change here; people present are taken as the passages of the last 2 hours (the
# counters count entries, a visit is assumed to last about 2 hours).
PRESENCE_HOURS = 2
CALM_BELOW = 0.5
SATURATED_FROM = 0.85
CROWD_LABELS = {
    "calm": _lazy("calme"),
    "busy": _lazy("fréquentée"),
    "saturated": _lazy("saturée"),
}


def _present(hours: list[tuple], now) -> float:
    """People taken as present: the passages of the last PRESENCE_HOURS hours."""
    since = (int(now.timestamp()) // HOUR - PRESENCE_HOURS + 1) * HOUR
    return sum(v for h, v in hours if h.timestamp() >= since)


def crowd(site, counter_ids: list[int], now=None) -> dict | None:
    """The crowd level of a site with a capacity, from its people counters."""
    now = now or timezone.now()
    if not site.capacity or not counter_ids:
        return None
    hours = hourly_totals(counter_ids, Quantity.PEOPLE_COUNT, PRESENCE_HOURS - 1, now)
    return crowd_level(_present(hours, now), site.capacity)


def crowd_level(present: float, capacity: int | None) -> dict | None:
    """« calme » under 50 % of the capacity, « fréquentée » up to 85 %, « saturée »
    beyond; None for a site without a capacity."""
    if not capacity:
        return None
    share = present / capacity
    level = "calm" if share < CALM_BELOW else "busy" if share < SATURATED_FROM else "saturated"
    return {
        "level": level,
        "label": str(CROWD_LABELS[level]),
        "present": round(present),
        "capacity": capacity,
        "share": share,
    }


def public_counts(site, now=None) -> dict:
    """People counted today on a public site, hour by hour; no personal data."""
    now = now or timezone.now()
    tz = _tz()
    ids = list(site.devices.filter(kind=DeviceKind.PEOPLE_COUNTER).values_list("pk", flat=True))
    local = now.astimezone(tz)
    hours = hourly_totals(ids, Quantity.PEOPLE_COUNT, local.hour + 1, now)
    today = [(h, v) for h, v in hours if h.date() == local.date()]
    return {
        "site": site.name,
        "collectivite": site.collectivite.name,
        "updated_at": today[-1][0] if today else None,
        "today_total": sum(v for _, v in today),
        "last_hour": today[-1][1] if today else 0.0,
        "hours": [{"hour": h, "count": v} for h, v in today],
        "crowd": crowd_level(_present(today, now), site.capacity),
    }


AIR_QUANTITIES = (Quantity.PM10, Quantity.PM25, Quantity.NO2, Quantity.O3)
# WHO global air quality guidelines (2021), 24-hour means, µg/m³ (ozone has an 8-hour
# guideline only).
WHO_24H = {Quantity.PM10: 45.0, Quantity.PM25: 15.0, Quantity.NO2: 25.0}


def air_quality(devices: list[Device], now=None) -> list[dict]:
    """Per air sensor: each pollutant's mean over the last 24 complete hours, and
    whether it is above the WHO 24-hour guideline."""
    now = now or timezone.now()
    ids = [d.pk for d in devices]
    if not ids:
        return []
    end = int(now.timestamp()) // HOUR * HOUR
    means = {
        (device, quantity): total / n
        for device, quantity, n, total in _rows(
            "SELECT device_id, quantity, SUM(n), SUM(total) FROM sensors_hourly "  # noqa: S608
            f"WHERE hour >= %s AND hour < %s AND quantity IN ({_marks(AIR_QUANTITIES)}) "
            f"AND device_id IN ({_marks(ids)}) GROUP BY device_id, quantity",
            [end - 24 * HOUR, end, *AIR_QUANTITIES, *ids],
        )
    }
    rows = []
    for d in devices:
        values = [means.get((d.pk, q)) for q in AIR_QUANTITIES]
        above = [
            v is not None and q in WHO_24H and v > WHO_24H[q]
            for q, v in zip(AIR_QUANTITIES, values, strict=True)
        ]
        rows.append({"device": d, "cells": list(zip(values, above, strict=True))})
    return rows


def alert_summary(collectivite, now=None, *, days: int = 90) -> list[dict]:
    """Per alert kind opened in the last `days` days: how many, how many closed, and
    the median hours from opening to acknowledgement and to closing."""
    now = now or timezone.now()
    kinds: dict = {}
    for kind, opened, acknowledged, closed in (
        Alert.objects.of(collectivite)
        .filter(opened_at__gte=now - datetime.timedelta(days=days))
        .values_list("kind", "opened_at", "acknowledged_at", "closed_at")
    ):
        row = kinds.setdefault(kind, {"opened": 0, "to_ack": [], "to_close": []})
        row["opened"] += 1
        if acknowledged:
            row["to_ack"].append((acknowledged - opened).total_seconds() / 3600)
        if closed:
            row["to_close"].append((closed - opened).total_seconds() / 3600)
    return [
        {
            "kind": AlertKind(kind).label,
            "opened": row["opened"],
            "closed": len(row["to_close"]),
            "median_ack_hours": median(row["to_ack"]) if row["to_ack"] else None,
            "median_close_hours": median(row["to_close"]) if row["to_close"] else None,
        }
        for kind, row in sorted(kinds.items(), key=lambda item: -item[1]["opened"])
    ]
