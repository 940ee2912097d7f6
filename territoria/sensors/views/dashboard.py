"""Dashboards: a collectivité's sensors, sites, devices, map, measured savings, and
the public real-time page of a public site."""

import datetime

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.charts import Series, bar_chart, line_chart
from territoria.french import de, natural_key
from territoria.sensors import indicators, links, units
from territoria.sensors.enums import AlertStatus, DeviceKind, Quantity, SiteKind
from territoria.sensors.models import MAIN_QUANTITY, Alert, Device, Site
from territoria.sensors.views.common import scoped
from territoria.territories.models import Collectivite
from territoria.territories.tenancy import collectivite_for


def home(request):
    """The module's landing page: the person's collectivités with sensors, and the
    public real-time pages."""
    mine = []
    if request.user.is_authenticated:
        ids = Device.objects.visible_to(request.user).values("collectivite_id")
        mine = list(Collectivite.objects.filter(pk__in=ids).order_by("name"))
    public = list(
        Site.objects.filter(is_public=True).select_related("collectivite").order_by("name")
    )
    return render(request, "sensors/home.html", {"mine": mine, "public": public})


def _state(device, active: dict, now) -> str:
    if device.pk in active:
        return "alert"
    if device.is_silent(now):
        return "warn"
    return "ok"


def dashboard(request, slug):
    """Indicators of one collectivité: water, bins, parking, counts, energy, alerts."""
    collectivite = collectivite_for(request, slug, "view_private")
    now = timezone.now()
    devices = sorted(
        Device.objects.of(collectivite).select_related("site", "fleet"),
        key=lambda d: natural_key(d.name),
    )
    sites = sorted(Site.objects.of(collectivite), key=lambda s: natural_key(s.name))
    by_kind: dict = {}
    for device in devices:
        by_kind.setdefault(device.kind, []).append(device)
    context = {
        "collectivite": collectivite,
        "of_collectivite": de(collectivite.name),
        "device_count": len(devices),
        "silent": [d for d in devices if d.is_silent(now)],
        "alerts": list(
            Alert.objects.of(collectivite).active().select_related("device", "site")[:10]
        ),
        "sites": sites,
        "sections": [],
    }
    water = [d.pk for d in by_kind.get(DeviceKind.WATER_METER, [])]
    if water:
        daily = indicators.daily_totals(water, Quantity.WATER_VOLUME, 14, now)
        context["water"] = {
            "chart": bar_chart(
                [(day.strftime("%d/%m"), total / 1000) for day, total in daily],
                title=_("Volume d'eau des compteurs, par jour"),
                y_label="m³",
            ),
            "rows": [(day, total / 1000) for day, total in daily],
        }
    flow_meters = by_kind.get(DeviceKind.FLOW_METER, [])
    if flow_meters:
        nights = indicators.night_flows([d.pk for d in flow_meters], 14, now)
        names = {d.pk: (d.site.name if d.site else d.name) for d in flow_meters}
        series = [
            Series(names[pk], [(day, v) for day, v in values]) for pk, values in nights.items()
        ]
        days = sorted({day for values in nights.values() for day, _ in values})
        context["nights"] = {
            "chart": line_chart(
                series, title=_("Débit minimum de nuit (2 h – 4 h) par secteur"), y_label="m³/h"
            ),
            "names": [names[pk] for pk in nights],
            "rows": [(day, [dict(values).get(day) for values in nights.values()]) for day in days],
        }
    bins = by_kind.get(DeviceKind.WASTE_BIN, [])
    if bins:
        context["bins"] = sorted(
            indicators.bins(bins, now),
            key=lambda b: -(b["level"] if b["level"] is not None else -1),
        )
    car_parks = [s for s in context["sites"] if s.kind == SiteKind.CAR_PARK]
    if car_parks:
        context["parking"] = [
            {
                "site": site,
                **indicators.parking(site, [d for d in devices if d.site_id == site.pk], now),
            }
            for site in car_parks
        ]
    counters = by_kind.get(DeviceKind.PEOPLE_COUNTER, [])
    if counters:
        hours = indicators.hourly_totals([d.pk for d in counters], Quantity.PEOPLE_COUNT, 48, now)
        context["people"] = {
            "chart": line_chart(
                [Series(_("Passages par heure"), hours)],
                title=_("Passages comptés, 48 dernières heures"),
                y_label=_("passages"),
            ),
            "today": sum(v for h, v in hours if h.date() == timezone.localdate()),
            "sites": [
                {"site": site, "crowd": level}
                for site in sites
                if (
                    level := indicators.crowd(
                        site, [d.pk for d in counters if d.site_id == site.pk], now
                    )
                )
            ],
        }
    meters = by_kind.get(DeviceKind.ENERGY_METER, [])
    if meters:
        energy = [d.pk for d in meters]
        daily = indicators.daily_totals(energy, Quantity.ENERGY, 14, now)
        week = indicators.device_totals(energy, Quantity.ENERGY, 7, now)
        context["energy"] = {
            "chart": bar_chart(
                [(d.strftime("%d/%m"), v) for d, v in daily],
                title=_("Énergie par jour"),
                y_label="kWh",
            ),
            "rows": daily,
            "meters": sorted(
                (
                    {"device": d, "week": week.get(d.pk, 0.0), "per_day": week.get(d.pk, 0.0) / 7}
                    for d in meters
                ),
                key=lambda m: -m["week"],
            ),
        }
    air = by_kind.get(DeviceKind.AIR_QUALITY, [])
    if air:
        context["air"] = {
            "names": [Quantity(q).label for q in indicators.AIR_QUANTITIES],
            "rows": indicators.air_quality(air, now),
        }
    context["leak_savings"] = links.leak_savings(collectivite, now)
    return render(request, "sensors/dashboard.html", context)


def device_geojson(request, slug):
    """The collectivité's located devices and their state, for the map."""
    collectivite = collectivite_for(request, slug, "view_private")
    now = timezone.now()
    active = {a.device_id: a for a in Alert.objects.of(collectivite).active() if a.device_id}
    labels = {"ok": _("en service"), "warn": _("muet"), "alert": _("alerte en cours")}
    features = []
    for device in Device.objects.of(collectivite).exclude(latitude=None).exclude(longitude=None):
        state = _state(device, active, now)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [device.longitude, device.latitude]},
                "properties": {
                    "title": device.name,
                    "url": device.get_absolute_url(),
                    "label": f"{device.get_kind_display()} — {labels[state]}",
                    "state": state,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def site_detail(request, slug, pk):
    collectivite, site = scoped(request, slug, Site, pk)
    now = timezone.now()
    devices = sorted(site.devices.all(), key=lambda d: natural_key(d.name))
    charts = []
    for quantity in sorted({MAIN_QUANTITY[d.kind] for d in devices}):
        ids = [d.pk for d in devices if MAIN_QUANTITY[d.kind] == quantity]
        mean = not units.is_additive(quantity)
        hours = indicators.hourly_totals(ids, quantity, 7 * 24, now, mean=mean)
        charts.append(
            line_chart(
                [Series(str(Quantity(quantity).label), hours)],
                title=_("%(q)s, 7 derniers jours") % {"q": Quantity(quantity).label},
                y_label=units.unit_label(quantity) or _("nombre"),
            )
        )
    return render(
        request,
        "sensors/site.html",
        {
            "collectivite": collectivite,
            "site": site,
            "devices": devices,
            "charts": charts,
            "alerts": Alert.objects.of(collectivite).filter(site=site)[:20],
        },
    )


def device_detail(request, slug, pk):
    """A device's last 7 days, hour by hour, in every quantity it sends: one chart per
    unit, and the last 48 hours in figures."""
    collectivite, device = scoped(request, slug, Device, pk)
    now = timezone.now()
    series = indicators.device_hours(device, int(now.timestamp()) - 7 * 86400)
    tz = timezone.get_current_timezone()

    def moment(hour):
        return datetime.datetime.fromtimestamp(hour, tz=tz)

    by_unit: dict[str, list[int]] = {}
    for quantity in series:
        by_unit.setdefault(units.unit_label(quantity), []).append(quantity)
    charts = [
        line_chart(
            [
                Series(str(Quantity(q).label), [(moment(h), v) for h, v in series[q].items()])
                for q in quantities
            ],
            title=_("%(q)s par heure, 7 derniers jours")
            % {"q": ", ".join(str(Quantity(q).label) for q in quantities)},
            y_label=unit or _("nombre"),
        )
        for unit, quantities in by_unit.items()
    ]
    hours = sorted({h for values in series.values() for h in values}, reverse=True)[:48]
    return render(
        request,
        "sensors/device.html",
        {
            "collectivite": collectivite,
            "device": device,
            "charts": charts,
            "columns": [(Quantity(q).label, units.unit_label(q)) for q in series],
            "rows": [(moment(h), [values.get(h) for values in series.values()]) for h in hours],
            "silent": device.is_silent(now),
            "alerts": device.alerts.all()[:20],
        },
    )


def savings(request, slug):
    """Savings measured from sensor data beside the roadmap's planned savings."""
    collectivite = collectivite_for(request, slug, "view_private")
    measured = links.measured_savings(collectivite)
    from territoria.roadmap.links import projects_of

    planned = {p["use_case"]: p for p in projects_of(collectivite)}
    for row in measured:
        row["planned"] = planned.get(row["use_case_slug"])
    chart = None
    if measured:
        chart = bar_chart(
            [
                Series(
                    _("Période de référence"), [(m["label"], m["baseline_value"]) for m in measured]
                ),
                Series(_("Période récente"), [(m["label"], m["current_value"]) for m in measured]),
            ],
            title=_("Consommation moyenne par jour, avant et après"),
            y_label=measured[0]["unit"],
        )
    return render(
        request,
        "sensors/savings.html",
        {
            "collectivite": collectivite,
            "measured": measured,
            "chart": chart,
            "leak_savings": links.leak_savings(collectivite),
            "closed_leaks": Alert.objects.of(collectivite)
            .leaks()
            .filter(status=AlertStatus.CLOSED)[:20],
        },
    )


def public_site(request, slug, pk):
    """A public site's counts today, for everyone (no personal data)."""
    site = get_object_or_404(
        Site.objects.select_related("collectivite"), pk=pk, collectivite__slug=slug, is_public=True
    )
    counts = indicators.public_counts(site)
    chart = bar_chart(
        [(p["hour"].strftime("%Hh"), p["count"]) for p in counts["hours"]],
        title=_("Passages par heure aujourd'hui"),
        y_label=_("passages"),
    )
    return render(
        request,
        "sensors/public_site.html",
        {
            "site": site,
            "counts": counts,
            "chart": chart,
            "presence_hours": indicators.PRESENCE_HOURS,
            "calm_below": round(indicators.CALM_BELOW * 100),
            "saturated_from": round(indicators.SATURATED_FROM * 100),
        },
    )
