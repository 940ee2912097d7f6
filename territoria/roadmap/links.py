"""What other modules may ask the roadmap (they import only this module).

- `cost_basis(collectivite, key)`: a yearly cost base with its unit price (the sensors
  module prices leaks with the water €/m³);
- `projects_of(collectivite)`: the projects of the current plan (the funding module
  matches aid to them);
- `population(collectivite)`: the population the profile states (the funding module
  evaluates eligibility on it), or None without a saved profile;
- `use_case_slot(request, use_case)`: the HTML the catalogue shows on a use case's page;
- `measured_comparisons(collectivite)`: measured against planned savings of the current
  plan's projects, like for like (the plan page's own comparison).
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from territoria.accounts.shortcuts import Shortcut
from territoria.roadmap.models import COST_BASES, Project, Scenario

COST_BASIS_KEYS = {str(key) for key, *_rest in COST_BASES}


def cost_basis(collectivite, key: str) -> dict | None:
    """{"amount_eur", "volume", "volume_unit", "unit_price_eur", "is_hypothesis",
    "is_default", "source"} for key in water, lighting, waste, fuel, buildings_energy;
    None for an unknown key. A collectivité without a profile gets the labelled
    defaults (is_default)."""
    from territoria.roadmap.planning import profile_for

    if key not in COST_BASIS_KEYS:
        return None
    basis = profile_for(collectivite).cost_basis(key)
    return {
        name: basis[name]
        for name in (
            "amount_eur", "volume", "volume_unit", "unit_price_eur", "is_hypothesis",
            "is_default", "source",
        )
    }  # fmt: skip


def population(collectivite) -> int | None:
    """The population the saved profile states (an élu may correct the geographic
    code's figure), or None when the collectivité has no profile."""
    from territoria.roadmap.models import Profile

    return (
        Profile.objects.filter(collectivite=collectivite)
        .values_list("population", flat=True)
        .first()
    )


def projects_of(collectivite) -> list[dict]:
    """The current plan's projects, by start year: use case slug, title, start year,
    capex, planned yearly saving (central values, euros as floats)."""
    scenario = Scenario.objects.current_of(collectivite)
    if scenario is None:
        return []
    projects = (
        Project.objects.filter(scenario=scenario, start_year__isnull=False)
        .select_related("use_case")
        .order_by("start_year", "use_case__title")
    )
    return [
        {
            "id": p.pk,
            "use_case": p.use_case.slug,
            "title": p.use_case.title,
            "start_year": p.start_year,
            "capex_eur": float(p.planned_capex) if p.planned_capex is not None else None,
            "planned_saving_eur_per_year": (
                float(p.planned_saving) if p.planned_saving is not None else None
            ),
            "is_done": p.lock == "done",
            "scenario": scenario.name,
        }
        for p in projects
    ]


def measured_comparisons(collectivite) -> dict[str, dict]:
    """{use case slug: comparison} for the current plan's measured projects: planned and
    measured savings on the same perimeter, period and price, with the sentence
    explaining the gap (see roadmap.measured.compare)."""
    from territoria.roadmap.measured import comparisons

    scenario = Scenario.objects.current_of(collectivite)
    if scenario is None or not scenario.result.get("ends"):
        return {}
    return comparisons(scenario, scenario.result["ends"].get("central", {}))


def use_case_slot(request, use_case) -> str:
    """Where this use case sits in the plans of the viewer's collectivités (members
    only; nothing for visitors)."""
    user = request.user
    if not user.is_authenticated:
        return ""
    from territoria.territories.models import Collectivite

    collectivites = list(Collectivite.objects.of_member(user).order_by("name")[:5])
    rows = []
    for collectivite in collectivites:
        scenario = Scenario.objects.current_of(collectivite)
        project = (
            Project.objects.filter(scenario=scenario, use_case=use_case).first()
            if scenario
            else None
        )
        score = scenario.result.get("economics", {}).get(use_case.slug, {}) if scenario else {}
        rows.append(
            {
                "collectivite": collectivite,
                "scenario": scenario,
                "project": project,
                "score": score.get("score"),
            }
        )
    if not rows:
        return ""
    return render_to_string(
        "roadmap/includes/use_case_slot.html", {"rows": rows, "use_case": use_case}, request
    )


def space_shortcuts(collectivite, role: str) -> list[Shortcut]:
    """« Mon espace »: the plan, for élus and admins who decide on it."""
    if role == "agent":
        return [
            Shortcut(
                _("Profil du territoire"),
                reverse("roadmap:profile", kwargs={"slug": collectivite.slug}),
            )
        ]
    return [
        Shortcut(
            _("Feuille de route"), reverse("roadmap:overview", kwargs={"slug": collectivite.slug})
        )
    ]
