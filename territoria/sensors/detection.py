"""The detectors run on a collectivité's rollups: aggregates come from the database
as set operations, the rules from `leaks.py` on arrays; each finding opens one alert
(an active alert of the same rule on the same object is never duplicated)."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

import numpy as np

from territoria.sensors import actions, baseline, leaks, rollups
from territoria.sensors.enums import AlertKind, DeviceKind, Quantity
from territoria.sensors.models import MAIN_QUANTITY, Device
from territoria.territories.models import Collectivite

HOUR = 3600
DAY = 86400
BIN_THRESHOLD = 80.0
MNF_WINDOW = 10
MNF_GAMMA = 0.1
SIGNIFICANT_WINDOW = 14


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _epoch(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _number(value: float, digits: int) -> str:
    """A figure as the active language writes it (« 12,5 » in French): alert titles
    and details are stored as text."""
    return formats.number_format(value, digits)


def run_all(now=None) -> int:
    opened = 0
    for collectivite in Collectivite.objects.filter(
        pk__in=Device.objects.values("collectivite_id")
    ):
        opened += len(run(collectivite, now))
    return opened


def run(collectivite, now=None) -> list:
    now = now or timezone.now()
    refresh_last_seen(collectivite)
    opened = []
    for detector in (
        continuous_flow,
        night_flow,
        night_flow_significant,
        bins_full,
        silent_devices,
        stuck_spots,
        thresholds,
    ):
        opened += [alert for alert in detector(collectivite, now) if alert is not None]
    return opened


_DEVICES_OF = "SELECT id FROM sensors_device WHERE collectivite_id = %s AND kind = %s"


def _local_nights(now, count: int) -> list[tuple[int, int, int]]:
    """The last `count` complete local nights, oldest first: epoch seconds of their
    00:00, 03:00 and 06:00 in the collectivité's time zone (clock changes included)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local_now = now.astimezone(tz)
    last = local_now.date() if local_now.hour >= 6 else local_now.date() - datetime.timedelta(1)
    nights = []
    for back in range(count - 1, -1, -1):
        day = last - datetime.timedelta(days=back)
        nights.append(
            tuple(
                _epoch(datetime.datetime.combine(day, datetime.time(h), tzinfo=tz))
                for h in (0, 3, 6)
            )
        )
    return nights


def continuous_flow(collectivite, now) -> list:
    """Rule (a): customer meters whose night no longer stops. Each meter's night level
    (local 00:00–06:00) is compared with its own normal over the previous weeks
    (`baseline.py`); nights with too few readings are unknown, not flow."""
    nights = _local_nights(now, baseline.WINDOW + baseline.MAX_RUN + 2)
    values = ",".join(["(%s, %s, %s, %s)"] * len(nights))
    rows = _rows(
        f"WITH nights(i, s, m, e) AS (VALUES {values}) "  # noqa: S608
        "SELECT h.device_id, n.i, CASE WHEN h.hour < n.m THEN 0 ELSE 1 END, MIN(h.total), "
        "SUM(h.total), COUNT(*), SUM(CASE WHEN h.total > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN ABS(h.total - 10 * ROUND(h.total / 10)) > 0.001 THEN 1 ELSE 0 END) "
        # Nights drive the loop so each reads its hours through the (hour, …) key.
        "FROM nights n CROSS JOIN sensors_hourly h "
        "WHERE h.hour >= n.s AND h.hour < n.e AND h.quantity = %s AND h.hour >= %s AND h.hour < %s "
        f"AND h.device_id IN ({_DEVICES_OF}) GROUP BY 1, 2, 3",
        [
            *(x for i, night in enumerate(nights) for x in (i, *night)),
            Quantity.WATER_VOLUME,
            nights[0][0],
            nights[-1][2],
            collectivite.pk,
            DeviceKind.WATER_METER,
        ],
    )
    if not rows:
        return []
    table = np.array(rows, dtype=float)
    device_ids, meter = np.unique(table[:, 0].astype(np.int64), return_inverse=True)
    shape = (len(device_ids), len(nights), baseline.BLOCKS)
    minimum, total, count = np.full(shape, np.inf), np.zeros(shape), np.zeros(shape)
    cell = (meter, table[:, 1].astype(int), table[:, 2].astype(int))
    minimum[cell], total[cell], count[cell] = table[:, 3], table[:, 4], table[:, 5]
    coarse = baseline.coarse_from_counts(
        np.bincount(meter, table[:, 6]), np.bincount(meter, table[:, 7])
    )
    found = baseline.detect(baseline.night_levels(minimum, total, count, coarse))
    flagged = np.flatnonzero(found["alarm"])
    if len(flagged):
        flagged = flagged[_still_running(now, device_ids, flagged, found, coarse)]
    if not len(flagged):
        return []
    starts = _change_starts(device_ids, flagged, found, nights, coarse)
    price, source = actions.water_price(collectivite, network=False)
    devices = Device.objects.select_related("site").in_bulk(device_ids[flagged].tolist())
    opened = []
    for m in flagged:
        device = devices[int(device_ids[m])]
        rate, normal = float(found["rate"][m]), float(found["normal"][m])
        held = len(nights) - int(found["first"][m])
        opened.append(
            actions.open_alert(
                collectivite,
                kind=AlertKind.CONTINUOUS_FLOW,
                device=device,
                site=device.site,
                title=_("Fuite probable après compteur sur %(name)s : +%(flow)s L/h la nuit")
                % {"name": device.name, "flow": _number(rate, 1)},
                detail=_(
                    "Depuis %(nights)s nuits, l'eau ne s'arrête plus la nuit (0 h – 6 h, "
                    "heure locale) : %(level)s L/h au plus bas, contre %(normal)s L/h "
                    "d'ordinaire pour ce compteur (médiane de ses nuits des %(weeks)s "
                    "semaines précédentes). Débit de la fuite estimé : %(flow)s L/h."
                )
                % {
                    "nights": held,
                    "level": _number(normal + rate, 1),
                    "normal": _number(normal, 1),
                    "weeks": baseline.WINDOW // 7,
                    "flow": _number(rate, 1),
                },
                severity=rate,
                severity_unit="L/h",
                started_at=_moment(starts[m]),
                leak_m3_per_hour=rate / 1000,
                price_per_m3=price,
                price_source=source,
            )
        )
    return opened


def _still_running(now, device_ids, flagged, found, coarse) -> np.ndarray:
    """Whether each flagged meter's last 24 complete hours agree with a leak running
    every hour (`baseline.still_running`); missing hours stay unknown."""
    end = _epoch(now) // HOUR * HOUR
    position = {int(device_ids[m]): i for i, m in enumerate(flagged)}
    last_day = np.full((len(flagged), 24), np.nan)
    marks = ",".join(["%s"] * len(flagged))
    for device_id, hour, total in _rows(
        "SELECT device_id, hour, total FROM sensors_hourly WHERE hour >= %s "  # noqa: S608
        f"AND hour < %s AND quantity = %s AND device_id IN ({marks})",
        [end - DAY, end, Quantity.WATER_VOLUME, *device_ids[flagged].tolist()],
    ):
        last_day[position[device_id], (hour - end + DAY) // HOUR] = total
    return baseline.still_running(
        last_day, found["normal"][flagged], found["rate"][flagged], coarse[flagged]
    )


def _change_starts(device_ids, flagged, found, nights, coarse) -> dict[int, int]:
    """Each flagged meter's leak start, from its hours between the night before the
    change and the end of the change night (one query for all of them)."""
    windows = {}
    for m in flagged:
        first = int(found["first"][m])
        windows[int(m)] = (nights[max(first - 1, 0)][0], nights[first][2])
    marks = ",".join(["%s"] * len(flagged))
    hours: dict[int, list[tuple[int, float]]] = {}
    for device_id, hour, total in _rows(
        "SELECT device_id, hour, total FROM sensors_hourly WHERE hour >= %s "  # noqa: S608
        f"AND hour < %s AND quantity = %s AND device_id IN ({marks}) ORDER BY hour",
        [
            min(w[0] for w in windows.values()),
            max(w[1] for w in windows.values()),
            Quantity.WATER_VOLUME,
            *device_ids[flagged].tolist(),
        ],
    ):
        hours.setdefault(device_id, []).append((hour, total))
    starts = {}
    for m, (begin, end) in windows.items():
        series = [(h, v) for h, v in hours.get(int(device_ids[m]), []) if begin <= h < end]
        ts = np.array([h for h, _ in series] or [begin])
        volumes = np.array([v for _, v in series] or [np.nan])
        starts[m] = baseline.leak_start(
            volumes, ts, found["normal"][m], found["rate"][m], coarse=bool(coarse[m])
        )
    return starts


def _local_grid(rows, now, days: int):
    """Hourly rows (device, hour, mean) -> {device: [days, 24] array by local day and
    hour}, the last row being the latest local day whose night is complete."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local_now = now.astimezone(tz)
    last_day = (
        local_now.date() if local_now.hour >= 4 else local_now.date() - datetime.timedelta(days=1)
    )
    first_day = last_day - datetime.timedelta(days=days - 1)
    grids: dict[int, np.ndarray] = {}
    for device_id, hour, mean in rows:
        moment = datetime.datetime.fromtimestamp(hour, tz=tz)
        index = (moment.date() - first_day).days
        if 0 <= index < days:
            grid = grids.setdefault(device_id, np.full((days, 24), np.nan))
            grid[index, moment.hour] = mean
    return grids, first_day


def _night_grids(collectivite, now, days: int):
    """District flow meters' hourly mean flow as [days, 24] local grids."""
    rows = _rows(
        "SELECT device_id, hour, total / n FROM sensors_hourly WHERE hour >= %s "  # noqa: S608
        f"AND quantity = %s AND device_id IN ({_DEVICES_OF})",
        [
            _epoch(now) - (days + 1) * DAY,
            Quantity.FLOW_RATE,
            collectivite.pk,
            DeviceKind.FLOW_METER,
        ],
    )
    return _local_grid(rows, now, days)


def _night_start(first_day, day: int) -> datetime.datetime:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(
        first_day + datetime.timedelta(days=day), datetime.time(2), tzinfo=tz
    )


def _district_leaks(collectivite, now, window: int, finding) -> list:
    """A night-flow alert for each district flow meter whose nights `finding(mnf, last)`
    calls a leak; it returns None or (first night of the leak, excess m³/h, detail)."""
    days = window + 8
    grids, first_day = _night_grids(collectivite, now, days)
    if not grids:
        return []
    price, source = actions.water_price(collectivite, network=True)
    devices = Device.objects.select_related("site").in_bulk(list(grids))
    opened = []
    for device_id, grid in grids.items():
        found = finding(leaks.night_minimum(grid), days - 1)
        if found is None:
            continue
        start, excess, detail = found
        device = devices[device_id]
        place = device.site.name if device.site else device.name
        opened.append(
            actions.open_alert(
                collectivite,
                kind=AlertKind.NIGHT_FLOW,
                device=device,
                site=device.site,
                title=_("Fuite probable, %(place)s : +%(flow)s m³/h la nuit")
                % {"place": place, "flow": _number(excess, 1)},
                detail=detail,
                severity=excess,
                severity_unit="m³/h",
                started_at=_night_start(first_day, start),
                leak_m3_per_hour=excess,
                price_per_m3=price,
                price_source=source,
            )
        )
    return opened


def night_flow(collectivite, now, *, window=MNF_WINDOW, gamma=MNF_GAMMA) -> list:
    """Rule (b): district flow meters whose minimum night flow of the last night is more
    than γ above the minimum of the previous `window` nights."""

    def finding(mnf, last):
        alarms = leaks.mnf_alarms(mnf, window=window, gamma=gamma)
        if not alarms[last]:
            return None
        start = leaks.run_start(alarms, last)
        excess = leaks.mnf_excess(mnf, start, window=window)
        detail = _(
            "Débit minimum de nuit (2 h – 4 h) : %(mnf)s m³/h, soit %(pct)s %% "
            "au-dessus du minimum des %(w)s nuits précédentes."
        ) % {
            "mnf": _number(mnf[last], 1),
            "pct": _number(100 * excess / max(mnf[last] - excess, 1e-9), 0),
            "w": window,
        }
        return start, excess, detail

    return _district_leaks(collectivite, now, window, finding)


def night_flow_significant(collectivite, now, *, window=SIGNIFICANT_WINDOW) -> list:
    """Rule (b2): district flow meters whose minimum night flow stands significantly
    above the median of the previous nights, for the night's own noise: far above on
    the last night, or clearly above on the last two. Same alert kind as rule (b): one
    leak, one alert, whichever rule sees it first."""

    def finding(mnf, last):
        alarms, onset = leaks.mnf_significant(mnf, window=window)
        if not alarms[last]:
            return None
        start, median, excess = leaks.mnf_significant_event(mnf, alarms, onset, last, window=window)
        detail = _(
            "Débit minimum de nuit (2 h – 4 h) : %(mnf)s m³/h (nuits concernées : "
            "%(nights)s), %(pct)s %% au-dessus de la médiane des %(w)s nuits "
            "précédentes (%(median)s m³/h) ; un écart que les variations "
            "ordinaires de ces nuits n'expliquent pas."
        ) % {
            "mnf": _number(float(np.nanmedian(mnf[start:])), 1),
            "nights": last - start + 1,
            "pct": _number(100 * excess / max(median, 1e-9), 1),
            "w": window,
            "median": _number(median, 1),
        }
        return start, excess, detail

    return _district_leaks(collectivite, now, window, finding)


def latest_values(
    collectivite, quantity: int, kinds, now, *, days: int = 2
) -> dict[int, tuple[int, float]]:
    """{device: (ts, value)} of the latest reading of `quantity` in the last days."""
    rollups.ensure_fresh()
    marks = ",".join(["%s"] * len(kinds))
    latest: dict[int, tuple[int, float]] = {}
    for device_id, last_ts, last_value in _rows(
        "SELECT device_id, last_ts, last_value FROM sensors_daily WHERE day >= %s "  # noqa: S608
        "AND quantity = %s AND device_id IN (SELECT id FROM sensors_device "
        f"WHERE collectivite_id = %s AND kind IN ({marks}))",
        [(_epoch(now) // DAY - days) * DAY, quantity, collectivite.pk, *kinds],
    ):
        if device_id not in latest or last_ts > latest[device_id][0]:
            latest[device_id] = (last_ts, last_value)
    return latest


def bins_full(collectivite, now) -> list:
    """Rule (c): bins whose latest fill level is above their threshold (80 % by
    default)."""
    latest = latest_values(collectivite, Quantity.FILL_LEVEL, [DeviceKind.WASTE_BIN], now)
    devices = Device.objects.in_bulk(list(latest))
    opened = []
    for device_id, (ts, level) in latest.items():
        device = devices[device_id]
        threshold = device.threshold if device.threshold is not None else BIN_THRESHOLD
        if level >= threshold:
            opened.append(
                actions.open_alert(
                    collectivite,
                    kind=AlertKind.BIN_FULL,
                    device=device,
                    site=device.site,
                    title=_("Conteneur %(name)s rempli à %(level)s %%")
                    % {"name": device.name, "level": _number(level, 0)},
                    severity=level,
                    severity_unit="%",
                    started_at=_moment(ts),
                )
            )
    return opened


def refresh_last_seen(collectivite) -> None:
    """Devices' last reading, from the daily rollups (one grouped query)."""
    rollups.ensure_fresh()
    seen = {
        device_id: (last_ts, value)
        for device_id, last_ts, value in _rows(
            "SELECT d.device_id, d.last_ts, d.last_value FROM sensors_daily d JOIN ("
            "SELECT device_id, MAX(last_ts) AS ts FROM sensors_daily WHERE device_id IN "
            "(SELECT id FROM sensors_device WHERE collectivite_id = %s) GROUP BY device_id"
            ") m ON m.device_id = d.device_id AND m.ts = d.last_ts",
            [collectivite.pk],
        )
    }
    changed = []
    for device in Device.objects.filter(pk__in=list(seen)):
        ts, value = seen[device.pk]
        moment = _moment(ts)
        if device.last_seen_at != moment:
            device.last_seen_at, device.last_value = moment, value
            changed.append(device)
    Device.objects.bulk_update(changed, ["last_seen_at", "last_value"], batch_size=500)


def silent_devices(collectivite, now) -> list:
    """Rule (d): devices silent for longer than their own delay (26 h by default: a
    meter sending once a day may be late)."""
    opened = []
    for device in Device.objects.of(collectivite).select_related("site"):
        reference = device.last_seen_at or device.created_at
        if reference < now - datetime.timedelta(hours=device.silent_after_hours):
            hours = (now - reference).total_seconds() / 3600
            opened.append(
                actions.open_alert(
                    collectivite,
                    kind=AlertKind.SILENT,
                    device=device,
                    site=device.site,
                    title=_("%(name)s muet depuis %(hours)s h")
                    % {"name": device.name, "hours": _number(hours, 0)},
                    severity=hours,
                    severity_unit="h",
                    started_at=reference,
                )
            )
    return opened


# A parking spot's sensor that reports the same state for this long has probably
# stopped seeing cars (magnetometers wear out: SFpark's had a short life).
STUCK_AFTER_HOURS = 72


def stuck_spots(collectivite, now) -> list:
    """Rule (f): parking spot sensors still sending, whose state has not changed for
    `STUCK_AFTER_HOURS` hours (readings at the start and in the last day of that
    window, all occupied or all free)."""
    end = _epoch(now) // HOUR * HOUR
    start = end - STUCK_AFTER_HOURS * HOUR
    rows = _rows(
        "SELECT device_id, MIN(minimum), MAX(maximum), MIN(hour), MAX(hour) "  # noqa: S608
        "FROM sensors_hourly WHERE hour >= %s AND hour < %s AND quantity = %s "
        f"AND device_id IN ({_DEVICES_OF}) GROUP BY device_id",
        [start, end, Quantity.OCCUPIED, collectivite.pk, DeviceKind.PARKING_SPOT],
    )
    stuck = {
        device_id: low
        for device_id, low, high, first, last in rows
        if low == high and first < start + 12 * HOUR and last >= end - DAY
    }
    opened = []
    for device in Device.objects.filter(pk__in=list(stuck)).select_related("site"):
        opened.append(
            actions.open_alert(
                collectivite,
                kind=AlertKind.STUCK,
                device=device,
                site=device.site,
                title=_("%(name)s : même état depuis au moins %(hours)s h (%(state)s)")
                % {
                    "name": device.name,
                    "hours": STUCK_AFTER_HOURS,
                    "state": _("occupée") if stuck[device.pk] else _("libre"),
                },
                detail=_(
                    "Le capteur envoie toujours, mais la place n'a changé d'état ni dans "
                    "un sens ni dans l'autre : vérifier le capteur sur place."
                ),
                severity=STUCK_AFTER_HOURS,
                severity_unit="h",
                started_at=_moment(start),
            )
        )
    return opened


def thresholds(collectivite, now) -> list:
    """Rule (e): a device with a threshold on its main quantity (bins apart) whose
    latest hourly mean is above it."""
    devices = list(
        Device.objects.of(collectivite)
        .filter(threshold__isnull=False)
        .exclude(kind=DeviceKind.WASTE_BIN)
    )
    opened = []
    for device in devices:
        quantity = MAIN_QUANTITY[device.kind]
        rows = _rows(
            "SELECT hour, total / n FROM sensors_hourly WHERE device_id = %s AND quantity = %s "
            "AND hour >= %s ORDER BY hour DESC LIMIT 1",
            [device.pk, quantity, _epoch(now) - 2 * DAY],
        )
        if rows and rows[0][1] > device.threshold:
            opened.append(
                actions.open_alert(
                    collectivite,
                    kind=AlertKind.THRESHOLD,
                    device=device,
                    site=device.site,
                    title=_("%(name)s au-dessus de son seuil : %(value)s > %(threshold)s %(unit)s")
                    % {
                        "name": device.name,
                        "value": _number(rows[0][1], 1),
                        "threshold": _number(device.threshold, 1),
                        "unit": device.unit_label,
                    },
                    severity=rows[0][1],
                    severity_unit=device.unit_label,
                    started_at=_moment(rows[0][0]),
                )
            )
    return opened
