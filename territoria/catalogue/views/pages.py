"""Public pages of the catalogue: the use cases by axis, a use case, a solution."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from territoria.catalogue.enums import Axis, Metric, Moderation
from territoria.catalogue.models import Feedback, Figure, Solution, UseCase
from territoria.funding import links as funding_links
from territoria.purchasing import links as purchasing_links
from territoria.roadmap import links as roadmap_links
from territoria.territories.models import Collectivite

COST_METRICS = (Metric.CAPEX, Metric.OPEX, Metric.SAVING, Metric.PAYBACK)


def use_case_list(request):
    """The use cases grouped by the six axes, with their number of published solutions."""
    use_cases = UseCase.objects.annotate(
        solution_count=Count(
            "solutions", filter=Q(solutions__status=Moderation.APPROVED), distinct=True
        )
    ).order_by("title")
    by_axis = {axis: [] for axis in Axis.values}
    for use_case in use_cases:
        by_axis.setdefault(use_case.axis, []).append(use_case)
    groups = [
        {"axis": axis, "label": label, "use_cases": by_axis[axis]} for axis, label in Axis.choices
    ]
    context = {"groups": groups, "use_case_count": sum(len(g["use_cases"]) for g in groups)}
    return render(request, "catalogue/use_case_list.html", context)


def reference_collectivite(user) -> Collectivite | None:
    """The collectivité whose size orders feedback for this person: their first
    collectivité by name, or None for visitors and people without a membership."""
    return (
        Collectivite.objects.of_member(user)
        .select_related("commune", "epci")
        .order_by("name", "pk")
        .first()
    )


def closest_first(feedback: list[Feedback], population: int | None) -> list[Feedback]:
    """Feedback from towns of the nearest population first; ties (and everything, without
    a reference population) keep the most recent first."""
    if population is None:
        return feedback
    return sorted(feedback, key=lambda item: abs(item.population - population))


def _figures_by_kind(figures):
    costs = [f for f in figures if f.metric in COST_METRICS]
    others = [f for f in figures if f.metric not in COST_METRICS]
    return costs, others


def use_case_detail(request, slug):
    use_case = get_object_or_404(
        UseCase.objects.prefetch_related(
            "prerequisites", Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk"))
        ),
        slug=slug,
    )
    solutions = (
        use_case.solutions.published()
        .select_related("provider")
        .prefetch_related("references")
        .order_by("name")
    )
    reference = reference_collectivite(request.user)
    feedback = closest_first(
        list(
            Feedback.objects.published()
            .filter(use_case=use_case)
            .select_related("commune", "solution")
        ),
        reference.population if reference else None,
    )
    cost_figures, other_figures = _figures_by_kind(list(use_case.figures.all()))
    context = {
        "use_case": use_case,
        "solutions": solutions,
        "feedback": feedback,
        "reference": reference,
        "cost_figures": cost_figures,
        "other_figures": other_figures,
        "roadmap_slot": roadmap_links.use_case_slot(request, use_case),
        "funding_slot": funding_links.use_case_slot(request, use_case),
        "purchasing_slot": purchasing_links.campaigns_slot(request, use_case=use_case),
    }
    return render(request, "catalogue/use_case_detail.html", context)


def solution_detail(request, slug):
    """A solution's page; an unpublished offer is known only to its provider's members
    and to operators (404 for everyone else)."""
    solution = get_object_or_404(
        Solution.objects.select_related("provider__region").prefetch_related(
            "use_cases",
            "standards",
            "references",
            Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk")),
        ),
        slug=slug,
    )
    abilities = solution.get_abilities(request.user)
    if not abilities["view"]:
        raise Http404
    feedback = (
        Feedback.objects.published().filter(solution=solution).select_related("commune", "use_case")
    )
    cost_figures, other_figures = _figures_by_kind(list(solution.figures.all()))
    context = {
        "solution": solution,
        "abilities": abilities,
        "feedback": list(feedback),
        "cost_figures": cost_figures,
        "other_figures": other_figures,
        "is_published": solution.status == Moderation.APPROVED,
        "is_fictitious": solution.is_fictitious
        or (solution.provider is not None and solution.provider.is_fictitious),
        "purchasing_slot": purchasing_links.campaigns_slot(request, solution=solution),
    }
    return render(request, "catalogue/solution_detail.html", context)
