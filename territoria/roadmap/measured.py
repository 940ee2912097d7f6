"""Measured savings beside planned ones, compared like for like: the same perimeter
(devices measured against units planned), the same period (a year, from the measured
days) and the same price (the profile's, the measure's shown too when it differs), with
a sentence explaining the gap. The plan page, its PDF and its CSV all read `compare`."""

import datetime

from django.utils.translation import gettext as _

from territoria.catalogue.templatetags.catalogue_figures import format_number


def _eur(value: float) -> str:
    return f"{format_number(round(value))} €"


def compare(
    eco: dict,
    measures: list[dict],
    *,
    planned_year: int | None,
    profile_price: float | None = None,
    lock: str = "",
    lock_year: int | None = None,
) -> dict | None:
    """The comparison for one planned project. `eco`: the scenario's economics of the
    use case (saving range, units, unit_label, saving_percent); `measures`: the sensors
    module's measured savings of that use case; `profile_price`: the profile's price
    per measured unit (€/m³ for water), None when unknown. None without any measure."""
    measures = [m for m in measures if m.get("saving_per_year_eur") is not None]
    if not measures:
        return None
    measured = sum(float(m["saving_per_year_eur"]) for m in measures)
    devices = sum(int(m.get("device_count") or 0) for m in measures)
    days = min(int(m.get("current_days") or 0) for m in measures)
    volume = sum(float(m.get("saved_per_year") or 0) for m in measures)
    unit = measures[0].get("volume_unit", "")
    prices = {m.get("price_per_unit") for m in measures}
    price = prices.pop() if len(prices) == 1 else None
    at_profile_price = None
    if profile_price and price is not None and abs(price - profile_price) > 0.005:
        at_profile_price = volume * profile_price
    first_day = min(m["current_period"][0] for m in measures)
    if isinstance(first_day, str):
        first_day = datetime.date.fromisoformat(first_day)
    since = first_day.year
    if lock == "done" and lock_year:
        since = min(since, lock_year)
    realised = lock == "done" or (planned_year is not None and since < planned_year)

    planned = float(eco["saving"][1]) if eco.get("has_saving") else None
    units = eco.get("units")
    percents = [m["saving_percent"] for m in measures if m.get("saving_percent") is not None]
    measured_percent = sum(percents) / len(percents) if percents else None
    planned_percent = (eco.get("saving_percent") or [None, None, None])[1]
    on_perimeter = planned * min(devices / units, 1) if planned and units and devices else None

    parts = []
    if units:
        parts.append(
            _("Périmètre : %(n)s appareils mesurés sur %(u)s %(label)s prévus.")
            % {"n": devices, "u": format_number(units), "label": eco.get("unit_label", "")}
        )
    else:
        parts.append(
            _("Périmètre : %(n)s appareils mesurés ; le plan chiffre tout le territoire.")
            % {"n": devices}
        )
    parts.append(
        _(
            "Période : moyenne journalière de %(d)s jours mesurés depuis le %(first)s, "
            "ramenée à l'année (× 365 jours)."
        )
        % {"d": days, "first": first_day.strftime("%d/%m/%Y")}
    )
    if price is not None:
        text = _("Prix : %(p)s € par %(unit)s (%(source)s).") % {
            "p": format_number(round(price, 2)),
            "unit": unit,
            "source": measures[0].get("price_source") or _("source non renseignée"),
        }
        if at_profile_price is not None:
            text += " " + _(
                "Au prix du profil du territoire (%(p)s € par %(unit)s), l'économie mesurée "
                "vaut %(v)s par an."
            ) % {
                "p": format_number(round(profile_price, 2)),
                "unit": unit,
                "v": _eur(at_profile_price),
            }
        parts.append(text)
    if planned is not None:
        if on_perimeter is not None:
            gap = _(
                "Écart : le plan prévoit %(planned)s par an pour %(u)s %(label)s, soit "
                "%(scaled)s pour les %(n)s mesurés ; la mesure donne %(measured)s."
            ) % {
                "planned": _eur(planned),
                "u": format_number(units),
                "label": eco.get("unit_label", ""),
                "scaled": _eur(on_perimeter),
                "n": devices,
                "measured": _eur(measured),
            }
        else:
            gap = _(
                "Écart : le plan prévoit %(planned)s par an sur tout le territoire ; "
                "la mesure donne %(measured)s sur son périmètre."
            ) % {"planned": _eur(planned), "measured": _eur(measured)}
        if planned_percent is not None and measured_percent is not None:
            gap += " " + _("En part de la consommation : %(pp)s %% prévus, %(mp)s %% mesurés.") % {
                "pp": format_number(round(planned_percent, 1)),
                "mp": format_number(round(measured_percent, 1)),
            }
        parts.append(gap)
    return {
        "eur_per_year": measured,
        "at_profile_price": at_profile_price,
        "price": price,
        "profile_price": profile_price,
        "unit": unit,
        "devices": devices,
        "units_planned": units,
        "days": days,
        "first_day": first_day,
        "since_year": since,
        "realised": realised,
        "planned_eur_per_year": planned,
        "planned_on_perimeter": on_perimeter,
        "planned_percent": planned_percent,
        "measured_percent": measured_percent,
        "explanation": " ".join(parts),
        "source": " ; ".join(str(m.get("source") or "") for m in measures if m.get("source")),
    }


def comparisons(scenario, plan: dict) -> dict[str, dict]:
    """{use case slug: compare(…)} for the projects of one plan that have measures."""
    from territoria.roadmap.planning import profile_for
    from territoria.sensors.links import measured_savings

    by_slug: dict[str, list[dict]] = {}
    for measure in measured_savings(scenario.collectivite):
        if measure.get("use_case_slug"):
            by_slug.setdefault(measure["use_case_slug"], []).append(measure)
    if not by_slug:
        return {}
    projects = {
        p.use_case.slug: p
        for p in scenario.projects.filter(use_case__slug__in=by_slug).select_related("use_case")
    }
    water = profile_for(scenario.collectivite).cost_basis("water")
    economics = scenario.result.get("economics", {})
    found = {}
    for slug, measures in by_slug.items():
        if slug not in economics:
            continue
        project = projects.get(slug)
        unit = measures[0].get("volume_unit")
        found[slug] = compare(
            economics[slug],
            measures,
            planned_year=plan.get("starts", {}).get(slug),
            profile_price=water.get("unit_price_eur") if unit == "m³" else None,
            lock=project.lock if project else "",
            lock_year=project.lock_year if project else None,
        )
    return {slug: c for slug, c in found.items() if c is not None}
