"""From the database to the plain modules and back: the territory's profile (saved or
default), the catalogue as plain data, the explained ranking and the optimiser's
instances at the three ends of the figures' ranges."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from territoria.catalogue.enums import Axis, Maturity, Moderation
from territoria.catalogue.models import Figure, Tag, UseCase
from territoria.roadmap import costmodel, optimiser, scoring
from territoria.roadmap.enums import End
from territoria.roadmap.models import COST_BASES, DEFAULT_WEIGHT, Profile

DEFAULT_EQUIPMENT = ["sensor-platform", "open-data-portal", "website", "mobile-network"]
EDITABLE_FIELDS = [
    "population", "place_kinds", "equipment",
    *[name for _k, amount, volume, _u in COST_BASES for name in (amount, volume)],
    "yearly_budget_eur", "staff_capacity", "first_year", "horizon_years", "discount_rate",
    "weights", "priority_value_eur_per_inhabitant", "generic_capex_eur_per_inhabitant",
    "generic_opex_percent", "aid_delay_years",
]  # fmt: skip
SIMILAR_SIZE_FACTOR = 3  # "similar size": between a third and three times the population


def default_capacity(population: int) -> int:
    return (
        1 if population < 5_000 else 2 if population < 20_000 else 3 if population < 50_000 else 4
    )


def default_profile(collectivite) -> Profile:
    """An unsaved profile from the population alone, every value a hypothesis."""
    population = collectivite.population or 1
    values = {}
    for key, amount, volume, _unit in COST_BASES:
        per_head, volume_per_head, _u, _note = costmodel.COST_BASIS_DEFAULTS[key]
        values[amount] = Decimal(round(per_head * population))
        values[volume] = Decimal(round(volume_per_head * population))
    return Profile(
        collectivite=collectivite,
        population=population,
        place_kinds=[],
        equipment=list(DEFAULT_EQUIPMENT),
        yearly_budget_eur=Decimal(round(5 * population, -3) or 1000),
        staff_capacity=default_capacity(population),
        weights={axis: DEFAULT_WEIGHT for axis in Axis.values},
        hypotheses=list(EDITABLE_FIELDS),
        **values,
    )


def profile_for(collectivite) -> Profile:
    return Profile.objects.filter(collectivite=collectivite).first() or default_profile(
        collectivite
    )


def catalogue_facts(population: int) -> tuple[list[dict], dict[str, str]]:
    """The use cases as plain dicts (figures, prerequisites, feedback from towns of a
    similar size), and tag names; a fixed number of queries."""
    low, high = population // SIMILAR_SIZE_FACTOR, population * SIMILAR_SIZE_FACTOR
    use_cases = UseCase.objects.prefetch_related(
        Prefetch("prerequisites", queryset=Tag.objects.only("slug")),
        Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk")),
    ).annotate(
        similar_feedback=Count(
            "feedback",
            filter=Q(
                feedback__status=Moderation.APPROVED,
                feedback__population__gte=low,
                feedback__population__lte=high,
            ),
        )
    )
    axis_labels = dict(Axis.choices)
    maturity_labels = dict(Maturity.choices)
    facts = [
        {
            "slug": uc.slug,
            "title": uc.title,
            "axis": uc.axis,
            "axis_label": str(axis_labels.get(uc.axis, uc.axis)),
            "maturity": uc.maturity,
            "maturity_label": str(maturity_labels.get(uc.maturity, "")),
            "prerequisites": [t.slug for t in uc.prerequisites.all()],
            "population_min": uc.population_min,
            "population_max": uc.population_max,
            "similar_feedback": uc.similar_feedback,
            "figures": [
                {
                    "metric": f.metric,
                    "label": f.label,
                    "value_min": f.value_min,
                    "value_max": f.value_max,
                    "unit": f.unit,
                    "basis": f.basis,
                    "kind": f.kind,
                    "source_title": f.source_title,
                    "source_url": f.source_url,
                    "note": f.note,
                }
                for f in uc.figures.all()
            ],
        }  # fmt: skip
        for uc in use_cases
    ]
    tag_names = dict(Tag.objects.filter(kind=Tag.Kind.PREREQUISITE).values_list("slug", "name"))
    return facts, tag_names


def profile_facts(profile: Profile, weights: dict | None = None) -> dict:
    return {
        "population": profile.population,
        "weights": weights or profile.axis_weights(),
        "equipment": list(profile.equipment),
        "place_kinds": list(profile.place_kinds),
        "horizon_years": profile.horizon_years,
        "priority_value_eur_per_inhabitant": profile.priority_value_eur_per_inhabitant,
        "generic_capex_eur_per_inhabitant": profile.generic_capex_eur_per_inhabitant,
        "generic_opex_percent": profile.generic_opex_percent,
        "cost_bases": profile.cost_bases(),
    }


def _overrides(project) -> dict:
    found = {}
    for what in ("capex", "opex", "saving"):
        value = getattr(project, f"{what}_override")
        if value is not None:
            found[what] = (value, project.override_note)
    return found


def recommendation(profile: Profile, *, weights=None, projects=None, facts=None):
    """The explained ranking; `projects` ({slug: Project}) bring a scenario's figures."""
    use_cases, tag_names = facts or catalogue_facts(profile.population)
    base = profile_facts(profile, weights)
    projects = projects or {}
    economics = {
        uc["slug"]: costmodel.economics(
            uc,
            base
            | {"overrides": _overrides(projects[uc["slug"]]) if uc["slug"] in projects else {}},
        )
        for uc in use_cases
    }
    base |= {"tag_names": tag_names, "titles": {uc["slug"]: uc["title"] for uc in use_cases}}
    return scoring.rank(use_cases, base, economics)


def expected_aids(profile, ranked) -> dict[str, dict]:
    """Per use case, the aid the funding module expects at each end of the investment
    range ({"low", "central", "high", "programmes"}): programmes the territory may use
    for it, capped so the collectivité keeps its 20 % share (CGCT L1111-10)."""
    from territoria.funding.links import aid_estimator

    estimate = aid_estimator(profile.collectivite, profile.population)
    aids = {}
    for row in ranked:
        ends = {}
        names = set()
        for end in (End.LOW, End.CENTRAL, End.HIGH):
            capex = row.economics.at(end)[0]
            low, high, programmes = estimate(row.slug, capex)
            ends[end] = {End.LOW: low, End.HIGH: high}.get(end, (low + high) / 2)
            names |= set(programmes)
            if end == End.CENTRAL:
                # What the project shows: the funding page's range on the planned cost.
                ends["range"] = [low, high]
        aids[row.slug] = ends | {"programmes": sorted(names)}
    return aids


def instance(
    profile, ranked, projects: dict, end: str, *, first_year=None, time_limit=20.0, aids=None
):
    """The optimiser's instance for one end of the ranges; `first_year` restarts the
    plan later within the profile's horizon (after locking what is done)."""
    first = first_year or profile.first_year
    last = profile.first_year + profile.horizon_years - 1
    candidates = []
    for row in ranked:
        project = projects.get(row.slug)
        capex, opex, saving = row.economics.at(end)
        aid = float((aids or {}).get(row.slug, {}).get(end, 0.0))
        unavailable = ""
        if row.in_place:
            unavailable = _("Déjà en place selon le profil du territoire.")
        elif row.missing_outside:
            unavailable = _(
                "Prérequis absent : %(tags)s (à déclarer dans le profil s'il existe)."
            ) % {"tags": ", ".join(row.missing_outside)}
        candidates.append(
            optimiser.Candidate(
                key=row.slug,
                label=row.title,
                capex=capex,
                opex=opex,
                saving=saving,
                value=row.value_per_year,
                aid=min(aid, capex),
                requires=tuple(p for _tag, p in row.missing_providable),
                lock=project.lock if project else "",
                lock_year=project.lock_year if project else None,
                unavailable=unavailable,
            )  # fmt: skip
        )
    return optimiser.Instance(
        first_year=first,
        years=max(1, last - first + 1),
        budget=float(profile.yearly_budget_eur),
        capacity=profile.staff_capacity,
        discount_rate=float(profile.discount_rate) / 100,
        candidates=tuple(candidates),
        time_limit=time_limit,
        aid_delay=profile.aid_delay_years,
    )


def _plan_dict(plan: optimiser.Plan) -> dict:
    return {
        "status": plan.status,
        "gap": plan.gap,
        "objective": plan.objective,
        "starts": plan.starts,
        "done": plan.done,
        "rows": [vars(row) for row in plan.rows],
        "reasons": plan.reasons,
        "payback_year": plan.payback_year,
        "self_financed_share": plan.self_financed_share,
        "npv": plan.npv,
        "priority_value": plan.priority_value,
        "seconds": plan.seconds,
    }


def solve_scenario(profile: Profile, projects: dict, first_year: int | None = None) -> dict:
    """The plans at the three ends, JSON-able. Raises optimiser.PlanError when the
    central plan is impossible; a failing prudent or favourable end is reported."""
    ranked = recommendation(profile, projects=projects)
    aids = expected_aids(profile, ranked)
    ends = {}
    central = optimiser.solve(
        instance(profile, ranked, projects, End.CENTRAL, first_year=first_year, aids=aids)
    )
    ends[End.CENTRAL] = _plan_dict(central)
    for end in (End.LOW, End.HIGH):
        try:
            plan = optimiser.solve(
                instance(profile, ranked, projects, end, first_year=first_year, aids=aids)
            )
            ends[end] = _plan_dict(plan)
        except optimiser.PlanError as error:
            ends[end] = {"error": error.message, "code": error.code}
    economics = {
        row.slug: {
            "title": row.title,
            "axis": row.axis,
            "capex": list(row.economics.capex),
            "opex": list(row.economics.opex),
            "saving": list(row.economics.saving),
            "generic": row.economics.generic_capex,
            "has_saving": row.economics.has_saving_figure,
            "no_direct_saving": row.economics.no_direct_saving,
            # The plan's perimeter and saving share, for measured savings to compare.
            "units": row.economics.units,
            "unit_label": row.economics.unit_label,
            "saving_percent": row.economics.saving_percent,
            "saving_base_eur": row.economics.saving_base_eur,
            "score": row.score,
            "aid": [aids[row.slug][end] for end in (End.LOW, End.CENTRAL, End.HIGH)],
            "aid_range": aids[row.slug]["range"],
            "missing": list(row.missing_outside),
            "in_place": row.in_place,
            "aid_programmes": aids[row.slug]["programmes"],
        }
        for row in ranked
    }
    return {
        "ends": ends,
        "economics": economics,
        "profile": {
            "population": profile.population,
            "first_year": first_year or profile.first_year,
            "horizon_years": profile.horizon_years,
            "yearly_budget_eur": float(profile.yearly_budget_eur),
            "staff_capacity": profile.staff_capacity,
            "discount_rate": float(profile.discount_rate),
            "aid_delay_years": profile.aid_delay_years,
            "weights": profile.axis_weights(),
            "hypotheses": list(profile.hypotheses),
        },
    }
