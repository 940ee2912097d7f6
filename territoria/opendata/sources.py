"""The platform's data as open tables, read-only, one function per source.

Each function takes a collectivité and returns an `exports.Table` whose rows are
streamed (server-side cursors via `.iterator()`), so exports stay within bounded memory.
They read other modules' models only where those modules expose no public function yet
(see docs/opendata.md); no personal data is ever selected.
"""

import datetime
from functools import lru_cache

from django.db.models import Max
from django.utils import timezone

from territoria.opendata.enums import Source
from territoria.opendata.exports import Table
from territoria.opendata.schemas import fields_of

CHUNK = 5000
DAY = 86400


@lru_cache(maxsize=4096)
def _utc(ts: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)


def _capped(moment):
    """A last-change date never later than now."""
    if moment is None:
        return None
    return min(moment, timezone.now())


def reports_table(collectivite) -> Table:
    """Published (moderated) reports, with Open311 field names; reporter identity,
    contact details, device ids and internal notes are never selected."""
    from territoria.reports.enums import OPEN311_STATUS
    from territoria.reports.models import Report

    reports = Report.objects.of(collectivite).published()
    columns = (
        "pk", "status", "category__collectivite__slug", "category__code", "category__name",
        "description", "created_at", "updated_at", "address", "latitude", "longitude",
        "supporters",
    )  # fmt: skip

    def rows():
        values = reports.order_by("pk").values_list(*columns).iterator(CHUNK)
        for (pk, status, owner, code, name, description, created, updated, address, lat, lon,
             supporters) in values:  # fmt: skip
            yield {
                "service_request_id": str(pk),
                "status": OPEN311_STATUS[status],
                "status_detail": status,
                "service_code": f"{owner}.{code}",
                "service_name": name,
                "description": description,
                "requested_datetime": created,
                "updated_datetime": updated,
                "address": address,
                "lat": lat,
                "long": lon,
                "supporters": supporters,
            }

    modified = reports.aggregate(last=Max("updated_at"))["last"]
    return Table(fields_of("territoria-signalements"), rows(), "lat", "long", _capped(modified))


BUDGET_STATUS = {
    "selected": "laureat",
    "not_selected": "non_retenu",
    "feasible": "realisable",
    "unfeasible": "non_realisable",
    "submitted": "depose",
}


def budget_table(collectivite) -> Table:
    """Projects of participatory budgets whose results are published: votes and rank,
    never a voter or a project author."""
    from territoria.participation.models import Campaign, Project

    campaigns = Campaign.objects.of(collectivite).filter(results_published_at__isnull=False)
    projects = (
        Project.objects.filter(campaign__in=campaigns)
        .order_by("campaign__slug", "rank", "pk")
        .values_list(
            "campaign__slug", "campaign__title", "campaign__envelope", "pk", "title",
            "district", "cost", "status", "votes", "rank", "campaign__results_published_at",
        )
    )  # fmt: skip

    def rows():
        for (
            slug,
            ctitle,
            envelope,
            pk,
            title,
            district,
            cost,
            status,
            votes,
            rank,
            when,
        ) in projects.iterator(CHUNK):
            yield {
                "campagne_id": slug, "campagne": ctitle, "enveloppe_eur": envelope,
                "projet_id": f"{slug}-{pk}", "projet": title, "quartier": district,
                "cout_eur": cost, "statut": BUDGET_STATUS.get(status, "depose"),
                "voix": votes, "rang": rank,
                "resultats_publies_le": timezone.localdate(when) if when else None,
            }  # fmt: skip

    modified = campaigns.aggregate(last=Max("results_published_at"))["last"]
    return Table(fields_of("territoria-budget-participatif"), rows(), modified=_capped(modified))


def consultations_table(collectivite) -> Table:
    """Counts per option of the closed-question answers of closed consultations whose
    results are public; free-text answers are never exported."""
    from territoria.participation import consultation_actions, survey
    from territoria.participation.models import Answer, Consultation

    now = timezone.now()
    found = list(
        Consultation.objects.of(collectivite)
        .filter(published=True, results_public=True, closes_at__lte=now)
        .order_by("closes_at", "pk")
    )

    def rows():
        for consultation in found:
            specs = consultation_actions.specs(consultation)
            answers = Answer.objects.filter(response__consultation=consultation).values_list(
                "question_id", "value"
            )
            summary = survey.results(specs, answers)
            for spec in specs:
                pairs = summary[spec.id].get("counts") or summary[spec.id].get("scores") or []
                for option, number in pairs:
                    yield {
                        "consultation_id": consultation.slug,
                        "consultation": consultation.title,
                        "question": spec.label,
                        "reponse": str(option),
                        "nombre": number,
                    }

    modified = max((c.closes_at for c in found), default=None)
    return Table(fields_of("territoria-consultations"), rows(), modified=_capped(modified))


def roadmap_table(collectivite) -> Table:
    """The smart-service projects of the current plan (roadmap's public function)."""
    from territoria.roadmap.links import projects_of
    from territoria.roadmap.models import Scenario

    projects = projects_of(collectivite)
    rows = [
        {
            "projet_id": f"{collectivite.slug}-{p['id']}",
            "cas_usage": p["use_case"],
            "titre": p["title"],
            "annee_lancement": p["start_year"],
            "investissement_eur": p["capex_eur"],
            "economie_annuelle_eur": p["planned_saving_eur_per_year"],
            "realise": p["is_done"],
            "scenario": p["scenario"],
        }
        for p in projects
    ]
    scenario = Scenario.objects.current_of(collectivite)
    modified = getattr(scenario, "updated_at", None) or getattr(scenario, "created_at", None)
    return Table(fields_of("territoria-projets-feuille-de-route"), rows, modified=_capped(modified))


def _daily(collectivite, device_kind: str, quantity: int):
    from territoria.sensors.links import daily_rollups

    return daily_rollups(collectivite, device_kind, quantity)


def people_counts_table(collectivite) -> Table:
    """Daily totals of people counters, in the comptage-mobilités "measure" table:
    one channel per counter, the site as counter_id."""
    from territoria.sensors.enums import DeviceKind, Quantity

    daily = _daily(collectivite, DeviceKind.PEOPLE_COUNTER, Quantity.PEOPLE_COUNT)

    def rows():
        for day, external_id, total in (
            daily.order_by("day", "device_id")
            .values_list("day", "device__external_id", "total")
            .iterator(CHUNK)
        ):
            yield {
                "channel_id": external_id,
                "counter_id": external_id,
                "start_datetime": _utc(day),
                "end_datetime": _utc(day + DAY),
                "count": round(total),
            }

    last = daily.aggregate(last=Max("last_ts"))["last"]
    return Table(
        fields_of("comptage-measure"), rows(), modified=_capped(_utc(last) if last else None)
    )


def _counters(collectivite):
    from territoria.sensors.enums import DeviceKind
    from territoria.sensors.models import Device

    return Device.objects.of(collectivite).filter(kind=DeviceKind.PEOPLE_COUNTER)


def count_sites_table(collectivite) -> Table:
    """The sites of people counters, in the comptage-mobilités "site" table (sites
    without a position are left out: the schema requires one)."""
    from territoria.sensors.models import Site

    sites = (
        Site.objects.of(collectivite)
        .filter(devices__in=_counters(collectivite), latitude__isnull=False,
                longitude__isnull=False)
        .distinct()
        .order_by("pk")
    )  # fmt: skip
    insee = collectivite.commune_id or ""
    rows = [
        {"site_id": f"site-{s.pk}", "site_name": s.name, "fr_insee_code": insee,
         "xlong": s.longitude, "ylat": s.latitude}
        for s in sites
    ]  # fmt: skip
    modified = max((s.created_at for s in sites), default=None)
    return Table(fields_of("comptage-site"), rows, "ylat", "xlong", _capped(modified))


def count_channels_table(collectivite) -> Table:
    """One channel per people counter, in the comptage-mobilités "channel" table."""
    counters = _counters(collectivite).filter(site__isnull=False).order_by("pk")
    rows = [
        {"channel_id": d.external_id, "site_id": f"site-{d.site_id}",
         "mobility_type": "PEDESTRIAN", "counter_transmission_type": "REMOTE TRANSMISSION",
         "publication_transmission_type": "API", "temporality": "PERMANENT",
         "started_at": d.created_at, "last_updated_at": d.last_seen_at, "time_step": 86400}
        for d in counters
    ]  # fmt: skip
    modified = max((d.updated_at for d in counters), default=None)
    return Table(fields_of("comptage-channel"), rows, modified=_capped(modified))


def car_parks_table(collectivite) -> Table:
    """Daily mean and peak occupancy of car parks, with the stationnement schema's
    names for the place (id, nom, nb_places, Xlong, Ylat)."""
    from territoria.sensors.enums import DeviceKind, Quantity

    daily = _daily(collectivite, DeviceKind.CAR_PARK, Quantity.OCCUPIED)

    def rows():
        for day, site_id, site, name, capacity, lat, lon, n, total, peak in (
            daily.order_by("day", "device_id")
            .values_list(
                "day", "device__site_id", "device__site__name", "device__name",
                "device__site__capacity", "device__site__latitude", "device__site__longitude",
                "n", "total", "maximum",
            )
            .iterator(CHUNK)
        ):  # fmt: skip
            yield {
                "id": f"site-{site_id}" if site_id else name,
                "nom": site or name,
                "nb_places": capacity,
                "date": _utc(day).date(),
                "occupation_moyenne": round(total / n, 2) if n else None,
                "occupation_max": peak,
                "Xlong": lon,
                "Ylat": lat,
            }

    last = daily.aggregate(last=Max("last_ts"))["last"]
    return Table(
        fields_of("territoria-parkings-occupation"), rows(), "Ylat", "Xlong",
        _capped(_utc(last) if last else None),
    )  # fmt: skip


GENERATORS = {
    Source.REPORTS: reports_table,
    Source.BUDGET: budget_table,
    Source.CONSULTATIONS: consultations_table,
    Source.ROADMAP: roadmap_table,
    Source.PEOPLE_COUNTS: people_counts_table,
    Source.COUNT_SITES: count_sites_table,
    Source.COUNT_CHANNELS: count_channels_table,
    Source.CAR_PARKS: car_parks_table,
}
# The schema each generated dataset conforms to.
SOURCE_SCHEMAS = {
    Source.REPORTS: "territoria-signalements",
    Source.BUDGET: "territoria-budget-participatif",
    Source.CONSULTATIONS: "territoria-consultations",
    Source.ROADMAP: "territoria-projets-feuille-de-route",
    Source.PEOPLE_COUNTS: "comptage-measure",
    Source.COUNT_SITES: "comptage-site",
    Source.COUNT_CHANNELS: "comptage-channel",
    Source.CAR_PARKS: "territoria-parkings-occupation",
}
