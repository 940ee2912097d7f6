"""What other modules ask the funding module, and what it asks them. Other apps import
only this module."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from territoria.accounts.shortcuts import Shortcut
from territoria.funding import eligibility, perimeters
from territoria.funding.eligibility import Result
from territoria.funding.matching import ProjectFunding, project_funding


def population(collectivite) -> int:
    """The population the roadmap profile states (an élu may correct the geographic
    code's figure), else the geographic code's."""
    from territoria.roadmap.links import population as profile_population

    return profile_population(collectivite) or collectivite.population


def check(programme, territory) -> Result:
    """The eligibility of a territory for a programme, with its trace."""
    return eligibility.evaluate(programme.conditions(), territory)


def describe(programme) -> list[tuple[int, str]]:
    """The programme's own rules in French, one indented line each."""
    return eligibility.describe(programme.eligibility)


@dataclass
class ProjectAid:
    project: dict
    funding: ProjectFunding


def aid_estimator(collectivite, population_override=None):
    """A function (use case slug, investment in €) -> (low, high, programme names) of
    the grant a project may expect: the roadmap asks it for every candidate."""
    from territoria.catalogue.models import UseCase

    area = perimeters.for_collectivite(
        collectivite, population_override or population(collectivite)
    )
    use_cases = {
        slug: (pk, axis) for pk, slug, axis in UseCase.objects.values_list("pk", "slug", "axis")
    }

    def estimate(slug: str, cost: float) -> tuple[float, float, list[str]]:
        if slug not in use_cases or cost <= 0:
            return 0.0, 0.0, []
        pk, axis = use_cases[slug]
        funding = project_funding(
            area, use_case_id=pk, axis=axis, cost=Decimal(str(round(cost, 2)))
        )
        names = [m.programme.name for m in funding.matches if m.programme.aid_range(funding.cost)]
        return float(funding.low), float(funding.high), names

    return estimate


def projects_with_funding(collectivite, area) -> list[ProjectAid]:
    """Each project of the collectivité's current roadmap with its expected aid."""
    from territoria.catalogue.models import UseCase
    from territoria.roadmap.links import projects_of

    projects = projects_of(collectivite)
    use_cases = UseCase.objects.in_bulk([p["use_case"] for p in projects], field_name="slug")
    found = []
    for project in projects:
        use_case = use_cases.get(project["use_case"])
        if use_case is None or not project.get("capex_eur") or project.get("is_done"):
            continue
        cost = Decimal(str(project["capex_eur"]))
        funding = project_funding(area, use_case_id=use_case.pk, axis=use_case.axis, cost=cost)
        found.append(ProjectAid(dict(project, use_case=use_case), funding))
    return found


def use_case_slot(request, use_case) -> str:
    """The programmes that name this use case, on its catalogue page; for a member, the
    verdict for their collectivités."""
    from django.template.loader import render_to_string

    from territoria.funding.models import Programme
    from territoria.territories.models import Collectivite

    programmes = list(
        Programme.objects.published().filter(use_cases=use_case).order_by("name")[:12]
    )
    if not programmes:
        return ""
    rows = []
    collectivites = list(
        Collectivite.objects.of_member(request.user).select_related("commune", "epci")[:3]
    )
    areas = [(c, perimeters.for_collectivite(c, population(c))) for c in collectivites]
    for programme in programmes:
        verdicts = [(c, check(programme, area)) for c, area in areas]
        rows.append({"programme": programme, "verdicts": verdicts})
    return render_to_string("funding/includes/use_case_slot.html", {"rows": rows}, request)


def space_shortcuts(collectivite, role: str) -> list[Shortcut]:
    """« Mon espace »: the funding this collectivité may claim, for every role."""
    return [
        Shortcut(
            _("Financements possibles"),
            reverse("funding:collectivite", kwargs={"slug": collectivite.slug}),
        )
    ]
