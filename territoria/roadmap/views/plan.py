"""A scenario's plan (three ends of the ranges, cash flow, reasons), the decisions that
shape it, "politique des petits pas", and the comparison of two scenarios."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from territoria.accounts.actions import ActionError
from territoria.charts import Series, line_chart
from territoria.roadmap import actions, measured, story
from territoria.roadmap.enums import End
from territoria.roadmap.forms import AdoptForm, DecisionForm, LockDoneForm
from territoria.roadmap.models import Scenario
from territoria.roadmap.views.common import roadmap_for, scenario_of

NOT_PLANNED_SHOWN = 12


def summary(plan: dict, economics: dict) -> dict:
    if "error" in plan:
        return {"error": plan["error"]}
    rows = plan["rows"]
    return {
        "payback_year": plan["payback_year"],
        "self_financed_share": plan["self_financed_share"] * 100,
        "capex": sum(r["capex"] for r in rows),
        "savings": sum(r["savings"] for r in rows),
        "opex": sum(r["opex"] for r in rows),
        "count": len(plan["starts"]),
        "npv": plan["npv"],
        "status": plan["status"],
        "gap": plan["gap"] * 100,
    }


def plan_context(scenario: Scenario, end: str) -> dict:
    """Everything the plan page and the PDF show, for one end of the ranges."""
    result = scenario.result
    ends = result["ends"]
    economics = result["economics"]
    plan = ends[end]
    projects = {p.use_case.slug: p for p in scenario.projects.select_related("use_case")}
    context = {
        "scenario": scenario,
        "end": end,
        "end_label": End(end).label,
        "ends": [
            {"key": key, "label": label, "summary": summary(ends[key], economics)}
            for key, label in End.choices
        ],
        "hypotheses": result["profile"]["hypotheses"],
        "plan_profile": result["profile"],
    }
    if "error" in plan:
        return context | {"plan_error": plan["error"]}
    titles = {slug: eco["title"] for slug, eco in economics.items()}
    compared = measured.comparisons(scenario, plan)
    planned = []
    for slug, year in sorted(plan["starts"].items(), key=lambda item: (item[1], titles[item[0]])):
        eco = economics[slug]
        project = projects.get(slug)
        planned.append(
            {
                "slug": slug, "title": titles[slug], "year": year, "eco": eco,
                "reason": plan["reasons"].get(slug, ""), "project": project,
                "measured": compared.get(slug),
            }
        )  # fmt: skip
    done = [
        {"slug": slug, "title": titles[slug], "project": projects.get(slug), "eco": economics[slug]}
        for slug in plan.get("done", [])
    ]
    others = [
        {"slug": slug, "title": eco["title"], "reason": plan["reasons"].get(slug, ""),
         "project": projects.get(slug), "score": eco["score"]}
        for slug, eco in sorted(economics.items(), key=lambda item: -item[1]["score"])
        if slug not in plan["starts"] and slug not in plan.get("done", [])
    ]  # fmt: skip
    decided = [o for o in others if o["project"] is not None]
    others = decided + [o for o in others if o["project"] is None][:NOT_PLANNED_SHOWN]
    rows = [
        row | {"titles": [titles[s] for s in row["starts"]], "net": row["savings"] - row["opex"]}
        for row in plan["rows"]
    ]
    chart = line_chart(
        [
            Series(
                _("Dépenses cumulées (investissement net des aides et fonctionnement)"),
                [(r["year"], round(r["cumulative_spending"])) for r in rows],
            ),
            Series(
                _("Économies cumulées"),
                [(r["year"], round(r["cumulative_savings"])) for r in rows],
                dashed=True,
            ),
        ],
        title=_("Dépenses et économies cumulées (%(end)s)") % {"end": End(end).label},
        y_label=_("euros"),
        x_label=_("année"),
    )
    return context | {
        "plan": plan,
        "planned": planned,
        "done": done,
        "others": others,
        "rows": rows,
        "chart": chart,
        "summary": summary(plan, economics),
    }


def with_story(context: dict, collectivite) -> dict:
    return context | {"story": story.tell(context, collectivite)}


def _end(request) -> str:
    end = request.GET.get("fourchette", End.CENTRAL)
    return end if end in End.values else End.CENTRAL


def scenario_detail(
    request, slug, pk, *, decision_form=None, lock_form=None, adopt_form=None, status=200
):
    collectivite, profile, abilities = roadmap_for(request, slug)
    scenario = scenario_of(collectivite, pk)
    initial = {}
    chosen = request.GET.get("cas")
    project = scenario.projects.filter(use_case__slug=chosen).first() if chosen else None
    if chosen:
        initial = {"use_case": chosen}
    if project is not None:
        initial |= {
            "lock": project.lock, "lock_year": project.lock_year,
            "capex_override": project.capex_override, "opex_override": project.opex_override,
            "saving_override": project.saving_override, "override_note": project.override_note,
        }  # fmt: skip
    context = with_story(plan_context(scenario, _end(request)), collectivite) | {
        "collectivite": collectivite,
        "profile": profile,
        "abilities": abilities,
        "decision_form": decision_form or DecisionForm(initial=initial),
        "lock_form": lock_form or LockDoneForm(),
        "adopt_form": adopt_form or AdoptForm(),
        "scenarios": Scenario.objects.of(collectivite).exclude(pk=scenario.pk),
        "years": list(range(profile.first_year, profile.first_year + profile.horizon_years)),
    }
    return render(request, "roadmap/scenario.html", context, status=status)


def _refused(request, slug, pk, error: ActionError, **forms):
    messages.error(request, error.message)
    return scenario_detail(request, slug, pk, status=error.status, **forms)


@require_POST
def decide(request, slug, pk):
    """Set the decision and figures of one use case, then re-plan (or refuse, unchanged)."""
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="steer")
    scenario = scenario_of(collectivite, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return scenario_detail(request, slug, pk, decision_form=form, status=400)
    try:
        actions.decide(request.user, scenario, form.cleaned_data["use_case"], form.values())
    except ActionError as error:
        return _refused(request, slug, pk, error, decision_form=form)
    messages.success(request, _("Décision enregistrée, plan recalculé."))
    return redirect(scenario)


@require_POST
def replan(request, slug, pk):
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="steer")
    scenario = scenario_of(collectivite, pk)
    try:
        actions.replan(request.user, scenario)
    except ActionError as error:
        return _refused(request, slug, pk, error)
    messages.success(request, _("Plan recalculé avec le profil actuel."))
    return redirect(scenario)


@require_POST
def lock_done(request, slug, pk):
    """Politique des petits pas: what is started becomes done, the rest is re-planned."""
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="steer")
    scenario = scenario_of(collectivite, pk)
    form = LockDoneForm(request.POST)
    if not form.is_valid():
        return scenario_detail(request, slug, pk, lock_form=form, status=400)
    try:
        actions.lock_done_until(request.user, scenario, form.cleaned_data["year"])
    except ActionError as error:
        return _refused(request, slug, pk, error, lock_form=form)
    messages.success(request, _("Projets réalisés verrouillés ; la suite est replanifiée."))
    return redirect(scenario)


@require_POST
def make_current(request, slug, pk):
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="steer")
    scenario = scenario_of(collectivite, pk)
    actions.make_current(request.user, scenario)
    messages.success(request, _("Ce scénario est désormais le plan de référence."))
    return redirect(scenario)


@require_POST
def adopt(request, slug, pk):
    """The élus record the council's deliberation adopting this scenario."""
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="adopt")
    scenario = scenario_of(collectivite, pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        return scenario_detail(request, slug, pk, adopt_form=form, status=400)
    try:
        actions.adopt_scenario(
            request.user, scenario, form.cleaned_data["deliberation_ref"],
            form.cleaned_data["adopted_on"],
        )  # fmt: skip
    except ActionError as error:
        return _refused(request, slug, pk, error, adopt_form=form)
    messages.success(request, _("Adoption enregistrée : ce scénario est le plan de référence."))
    return redirect(scenario)


@require_POST
def delete(request, slug, pk):
    collectivite, _profile, _abilities = roadmap_for(request, slug, need="steer")
    scenario = scenario_of(collectivite, pk)
    actions.delete_scenario(request.user, scenario)
    messages.success(request, _("Scénario supprimé."))
    return redirect("roadmap:overview", slug=collectivite.slug)


def compare(request, slug):
    """Two scenarios side by side, at the central values."""
    collectivite, profile, abilities = roadmap_for(request, slug)
    scenarios = list(Scenario.objects.of(collectivite).filter(solved_at__isnull=False))
    by_pk = {str(s.pk): s for s in scenarios}
    chosen = [by_pk.get(request.GET.get(key, "")) for key in ("a", "b")]
    error = None
    columns = []
    if all(chosen) and chosen[0] != chosen[1]:
        columns = [plan_context(s, End.CENTRAL) for s in chosen]
    elif request.GET:
        error = _("Choisissez deux scénarios différents de cette collectivité.")
    years = sorted({r["year"] for c in columns for r in c.get("rows", [])})
    grid = [
        {
            "year": year,
            "cells": [
                [p["title"] for p in c.get("planned", []) if p["year"] == year] for c in columns
            ],
        }
        for year in years
    ]
    context = {
        "collectivite": collectivite,
        "profile": profile,
        "abilities": abilities,
        "scenarios": scenarios,
        "columns": columns,
        "grid": grid,
        "error": error,
        "a": request.GET.get("a", ""),
        "b": request.GET.get("b", ""),
    }
    return render(request, "roadmap/compare.html", context, status=400 if error else 200)
