"""What other modules may ask the sensors module (they import only this module).

- `measured_savings(collectivite)`: savings measured from sensor data for roadmap
  projects (baseline period against a current one), beside the planned savings;
- `leak_savings(collectivite)`: water and money saved by the leaks found and closed;
- `daily_rollups(collectivite, device_kind, quantity)`: the daily rollups of a kind of
  device (open data).
"""

import datetime

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from territoria.accounts.shortcuts import Shortcut
from territoria.sensors import rollups, units
from territoria.sensors.actions import water_price
from territoria.sensors.enums import AlertStatus, Quantity
from territoria.sensors.models import Alert, DailyRollup, SavingsMeasure

DAY = 86400
WATER = {Quantity.WATER_VOLUME, Quantity.WATER_INDEX}


def _epoch(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).timestamp())


def _per_day(
    measure: SavingsMeasure, start: datetime.date, end: datetime.date
) -> tuple[float, int]:
    """Mean daily total of the measure's devices over [start, end] and the days with
    data (days without any reading are left out, not counted as zero)."""
    sql = (
        "SELECT day, SUM(total) FROM sensors_daily WHERE day >= %s AND day <= %s "
        "AND quantity = %s AND device_id IN (SELECT id FROM sensors_device "
        "WHERE collectivite_id = %s AND kind = %s"
    )
    params = [
        _epoch(start),
        _epoch(end),
        measure.quantity,
        measure.collectivite_id,
        measure.device_kind,
    ]
    if measure.site_id:
        sql += " AND site_id = %s"
        params.append(measure.site_id)
    sql += ") GROUP BY day"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        totals = [total for _, total in cursor.fetchall()]
    return (sum(totals) / len(totals) if totals else 0.0), len(totals)


def measured_savings(collectivite) -> list[dict]:
    """One dict per measured project: use_case_slug, label, baseline_period,
    current_period (pairs of dates), baseline_value and current_value (per day, in
    `unit`), unit, saving_per_year_eur (None without a price), saving_percent,
    source (how it was measured and where the price comes from).

    What a like-for-like comparison needs: device_count (the measured perimeter),
    baseline_days and current_days (days with data), days_per_year (the daily mean
    saving is annualised × this), saved_per_year (in volume_unit), volume_unit,
    price_per_unit (€ per volume_unit, None without a price) and price_source."""
    result = []
    rollups.ensure_fresh()
    for measure in SavingsMeasure.objects.of(collectivite).select_related("site"):
        baseline, baseline_days = _per_day(measure, measure.baseline_start, measure.baseline_end)
        current, current_days = _per_day(measure, measure.current_start, measure.current_end)
        price, price_source = measure.price_per_unit, measure.price_source
        per_unit = price
        if measure.quantity in WATER:
            if price is None:
                price, price_source = water_price(collectivite, network=False)
            per_unit = price / 1000  # litres
            unit_label = "m³"
            baseline_value, current_value = baseline / 1000, current / 1000
        else:
            unit_label = units.unit_label(measure.quantity)
            baseline_value, current_value = baseline, current
        saving = baseline - current
        device_count = measure_device_count(measure)
        result.append(
            {
                "use_case_slug": measure.use_case_slug,
                "label": measure.label,
                "baseline_period": (measure.baseline_start, measure.baseline_end),
                "current_period": (measure.current_start, measure.current_end),
                "baseline_value": round(baseline_value, 3),
                "current_value": round(current_value, 3),
                "unit": _("%(unit)s par jour") % {"unit": unit_label},
                "saving_per_year_eur": round(saving * 365 * per_unit, 0)
                if per_unit is not None
                else None,
                "saving_percent": round(100 * saving / baseline, 1) if baseline else None,
                "source": _(
                    "Mesuré par %(n)s capteurs : moyenne journalière sur %(b)s jours de "
                    "référence et %(c)s jours récents. Prix : %(price)s"
                )
                % {
                    "n": device_count,
                    "b": baseline_days,
                    "c": current_days,
                    "price": price_source or _("non renseigné"),
                },
                "device_count": device_count,
                "baseline_days": baseline_days,
                "current_days": current_days,
                "days_per_year": 365,
                "saved_per_year": round((baseline_value - current_value) * 365, 3),
                "volume_unit": unit_label,
                "price_per_unit": price,
                "price_source": price_source or "",
            }
        )
    return result


def measure_device_count(measure: SavingsMeasure) -> int:
    from territoria.sensors.models import Device

    devices = Device.objects.of(measure.collectivite).filter(kind=measure.device_kind)
    if measure.site_id:
        devices = devices.filter(site_id=measure.site_id)
    return devices.count()


def leak_savings(collectivite, now=None) -> dict:
    """Leaks closed: how many, water lost while they ran, and the yearly water and
    money their repair saves (their flow over a year, at each alert's price)."""
    closed = list(Alert.objects.of(collectivite).leaks().filter(status=AlertStatus.CLOSED))
    return {
        "count": len(closed),
        "lost_m3": sum(a.lost_m3(now) for a in closed),
        "saved_m3_per_year": sum(a.yearly_saving_m3() for a in closed),
        "saved_eur_per_year": sum(a.yearly_saving_m3() * (a.price_per_m3 or 0) for a in closed),
    }


def daily_rollups(collectivite, device_kind: str, quantity: int):
    """The daily rollups (`DailyRollup` rows) of a collectivité's devices of one kind,
    brought up to date first."""
    rollups.ensure_fresh()
    return DailyRollup.objects.filter(
        device__collectivite=collectivite, device__kind=device_kind, quantity=quantity
    )


def space_shortcuts(collectivite, role: str) -> list[Shortcut]:
    """« Mon espace »: the open alerts, for the agents and admins who handle them."""
    if role == "elu":
        return []
    return [
        Shortcut(
            _("Alertes des capteurs en cours"),
            reverse("sensors:alerts", kwargs={"slug": collectivite.slug}),
            Alert.objects.of(collectivite).active().count(),
        )
    ]
