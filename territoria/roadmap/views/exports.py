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
    # The document tells the central plan; the three ends' summaries come with it.
    main = with_story(plan_context(scenario, End.CENTRAL), collectivite)
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


PROJECT_COLUMNS = [
    "cas_usage", "projet", "statut", "annee_prevue", "realise_depuis", "investissement_eur",
    "fonctionnement_eur_par_an", "economie_prevue_eur_par_an", "unites_prevues",
    "economie_prevue_perimetre_mesure_eur_par_an", "economie_mesuree_eur_par_an",
    "economie_mesuree_au_prix_du_profil_eur_par_an", "appareils_mesures", "jours_mesures",
    "prix_mesure_eur", "prix_profil_eur", "part_prevue_pct", "part_mesuree_pct", "explication",
]  # fmt: skip


def _amount(value, digits=2):
    return "" if value is None else Decimal(f"{value:.{digits}f}")


def scenario_projects_csv(request, slug, pk):
    """The central plan's projects, planned against measured like the plan page
    (same comparison): one row per project; comma-separated UTF-8, point decimals."""
    collectivite, _profile, _abilities = roadmap_for(request, slug)
    scenario = scenario_of(collectivite, pk)
    response, writer = tabular.csv_response(_filename(scenario, "csv").replace(
        "feuille-de-route-", "projets-"
    ))  # fmt: skip
    writer.writerow(PROJECT_COLUMNS)
    for item in plan_context(scenario, End.CENTRAL).get("planned", []):
        eco, found = item["eco"], item["measured"] or {}
        writer.writerow(
            [
                item["slug"], item["title"],
                "realise" if found.get("realised") else "prevu", item["year"],
                found.get("since_year", "") if found.get("realised") else "",
                _amount(eco["capex"][1]), _amount(eco["opex"][1]),
                _amount(eco["saving"][1]) if eco.get("has_saving") else "",
                eco.get("units") or "",
                _amount(found.get("planned_on_perimeter")),
                _amount(found.get("eur_per_year")), _amount(found.get("at_profile_price")),
                found.get("devices", ""), found.get("days", ""),
                _amount(found.get("price"), 4), _amount(found.get("profile_price"), 4),
                _amount(found.get("planned_percent"), 1),
                _amount(found.get("measured_percent"), 1),
                found.get("explanation", ""),
            ]
        )  # fmt: skip
    return response
