"""The plan as a PDF for the municipal council and its cash flow as CSV."""

from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from territoria import tabular
from territoria.roadmap import planning
from territoria.roadmap.enums import End
from territoria.roadmap.views.common import roadmap_for, scenario_of
from territoria.roadmap.views.plan import plan_context, with_story

CSV_COLUMNS = [
    ("year", "annee"),
    ("budget", "budget_eur"),
    ("aid", "aides_eur"),
    ("capex", "investissement_eur"),
    ("opex", "fonctionnement_eur"),
    ("savings", "economies_eur"),
    ("cash_end", "tresorerie_fin_annee_eur"),
    ("cumulative_spending", "depenses_cumulees_eur"),
    ("cumulative_savings", "economies_cumulees_eur"),
]


def _filename(scenario, extension):
    name = f"{slugify(scenario.collectivite.slug)}-{slugify(scenario.name)}"
    return f"feuille-de-route-{name}.{extension}"


def scenario_pdf(request, slug, pk):
    collectivite, profile, _abilities = roadmap_for(request, slug)
    scenario = scenario_of(collectivite, pk)
    context = {End(end).value: plan_context(scenario, end) for end in End.values}
    main = with_story(context[End.CENTRAL], collectivite)
    ranked = {r.slug: r for r in planning.recommendation(profile)}
    lines = [
        {"title": p["title"], "lines": ranked[p["slug"]].economics.lines}
        for p in main.get("planned", [])
        if p["slug"] in ranked
    ]
    html = render_to_string(
        "roadmap/plan_pdf.html",
        main
        | {
            "collectivite": collectivite,
            "profile": profile,
            "cost_bases": profile.cost_bases().values(),
            "economics_lines": lines,
        },
        request=request,
    )
    from weasyprint import HTML  # a heavy import, needed by this view only

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(scenario, "pdf")}"'
    return response


def scenario_csv(request, slug, pk):
    """One row per year and end of the ranges; comma-separated UTF-8, point decimals."""
    collectivite, _profile, _abilities = roadmap_for(request, slug)
    scenario = scenario_of(collectivite, pk)
    response, writer = tabular.csv_response(_filename(scenario, "csv"))
    writer.writerow(["fourchette", *[name for _key, name in CSV_COLUMNS], "projets_lances"])
    for end in End.values:
        plan = scenario.result["ends"][end]
        if "error" in plan:
            continue
        titles = {s: e["title"] for s, e in scenario.result["economics"].items()}
        for row in plan["rows"]:
            values = [
                row[key] if key == "year" else Decimal(f"{row[key]:.2f}") for key, _n in CSV_COLUMNS
            ]
            writer.writerow([end, *values, " | ".join(titles[s] for s in row["starts"])])
    return response
