"""Side-by-side comparison of 2 to 4 published solutions, as a page and as a PDF."""

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria.catalogue.enums import Metric, Moderation
from territoria.catalogue.models import Figure, Solution
from territoria.catalogue.templatetags.catalogue_figures import purchase_channel_labels

MIN_SOLUTIONS = 2
MAX_SOLUTIONS = 4


class CompareError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def requested_slugs(request) -> list[str]:
    """The `s` parameters, stripped, without duplicates, in the order given."""
    slugs = []
    for raw in request.GET.getlist("s"):
        slug = raw.strip()
        if slug and slug not in slugs:
            slugs.append(slug)
    return slugs


def solutions_to_compare(slugs: list[str]) -> list[Solution]:
    """The published solutions named by `slugs`, in that order, or a CompareError."""
    if len(slugs) < MIN_SOLUTIONS:
        raise CompareError(
            "too_few", _("Choisissez au moins deux solutions à comparer (au plus quatre).")
        )
    if len(slugs) > MAX_SOLUTIONS:
        raise CompareError(
            "too_many",
            _("On compare au plus quatre solutions à la fois : vous en avez choisi %(count)d.")
            % {"count": len(slugs)},
        )
    found = {
        solution.slug: solution
        for solution in Solution.objects.published()
        .filter(slug__in=slugs)
        .select_related("provider")
        .annotate(
            published_feedback=Count(
                "feedback", filter=Q(feedback__status=Moderation.APPROVED), distinct=True
            )
        )
        .prefetch_related(
            "standards",
            "references",
            Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk")),
        )
    }
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise CompareError(
            "unknown_solution",
            _("Ces solutions n'existent pas ou ne sont pas publiées : %(slugs)s.")
            % {"slugs": ", ".join(f"« {slug[:120]} »" for slug in unknown)},
        )
    return [found[slug] for slug in slugs]


def _figures(metric):
    def cell(solution):
        figures = [f for f in solution.figures.all() if f.metric == metric]
        key = tuple((f.value_min, f.value_max, f.unit, f.basis) for f in figures)
        return {"figures": figures, "key": key}

    return cell


def _text(getter):
    def cell(solution):
        value = getter(solution)
        value = "" if value is None else str(value).strip()
        return {"text": value, "key": value}

    return cell


def _items(getter):
    def cell(solution):
        values = list(getter(solution))
        return {"entries": values, "key": tuple(values)}

    return cell


def _licence(solution):
    parts = [str(solution.get_licence_kind_display())]
    if solution.licence_name:
        parts.append(f"({solution.licence_name})")
    return {"text": " ".join(parts), "link": solution.code_url, "key": (*parts, solution.code_url)}


def _yes_no(value):
    return _("Oui") if value else _("Non")


ROWS = [
    ("provider", gettext_lazy("Fournisseur"), _text(lambda s: s.provider or "")),
    ("capex", gettext_lazy("Investissement"), _figures(Metric.CAPEX)),
    ("opex", gettext_lazy("Coût de fonctionnement annuel"), _figures(Metric.OPEX)),
    ("saving", gettext_lazy("Économies"), _figures(Metric.SAVING)),
    ("payback", gettext_lazy("Retour sur investissement"), _figures(Metric.PAYBACK)),
    ("maturity", gettext_lazy("Maturité"), _text(lambda s: s.get_maturity_display())),
    (
        "references",
        gettext_lazy("Collectivités de référence"),
        _text(lambda s: len(s.references.all())),
    ),
    (
        "feedback",
        gettext_lazy("Retours d'expérience publiés"),
        _text(lambda s: s.published_feedback),
    ),
    ("licence", gettext_lazy("Licence et code source"), _licence),
    (
        "hosting",
        gettext_lazy("Hébergement et souveraineté"),
        _text(lambda s: s.get_hosting_display()),
    ),
    ("secnumcloud", gettext_lazy("Qualifié SecNumCloud"), _text(lambda s: _yes_no(s.secnumcloud))),
    ("security", gettext_lazy("Sécurité et RGPD"), _text(lambda s: s.security)),
    (
        "accessibility",
        gettext_lazy("Accessibilité (déclaration RGAA)"),
        _text(lambda s: s.accessibility),
    ),
    (
        "standards",
        gettext_lazy("Normes et standards"),
        _items(lambda s: [t.name for t in s.standards.all()]),
    ),
    ("reversibility", gettext_lazy("Réversibilité des données"), _text(lambda s: s.reversibility)),
    (
        "purchase_channels",
        gettext_lazy("Canaux d'achat"),
        _items(lambda s: purchase_channel_labels(s.purchase_channels)),
    ),
]


def comparison_rows(solutions: list[Solution], only_differences: bool = False) -> list[dict]:
    """The same rows for each solution; `differs` marks a row whose values are not equal."""
    rows = []
    for key, label, build in ROWS:
        cells = [build(solution) for solution in solutions]
        differs = len({cell["key"] for cell in cells}) > 1
        if only_differences and not differs:
            continue
        rows.append({"key": key, "label": label, "cells": cells, "differs": differs})
    return rows


def _context(request):
    slugs = requested_slugs(request)
    only_differences = request.GET.get("differences") == "1"
    context = {"slugs": slugs, "only_differences": only_differences}
    try:
        solutions = solutions_to_compare(slugs)
    except CompareError as error:
        return context | {"error": error}
    return context | {
        "solutions": solutions,
        "rows": comparison_rows(solutions, only_differences),
        "difference_count": sum(row["differs"] for row in comparison_rows(solutions)),
    }


def compare(request):
    context = _context(request)
    status = 400 if "error" in context else 200
    return render(request, "catalogue/compare.html", context, status=status)


def compare_pdf(request):
    """The comparison as a PDF file (WeasyPrint), for a council or a committee."""
    context = _context(request)
    if "error" in context:
        return render(request, "catalogue/compare.html", context, status=400)
    from weasyprint import HTML  # a heavy import, needed by this view only

    html = render_to_string("catalogue/compare_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="comparaison.pdf"'
    return response
