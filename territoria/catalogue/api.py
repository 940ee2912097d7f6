"""The catalogue, read-only, under /api/catalogue: use cases and published solutions.
No personal data: neither the provider's accounts nor the authors of feedback."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema

from territoria.api_errors import ErrorOut, error
from territoria.catalogue.enums import Axis, LicenceKind, Moderation
from territoria.catalogue.models import Feedback, Figure, Solution, UseCase
from territoria.catalogue.templatetags.catalogue_figures import figure_value

router = Router(tags=["Catalogue"])

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class TagOut(Schema):
    slug: str
    name: str


class FigureOut(Schema):
    metric: str = Field(description="Grandeur : capex, opex, saving, payback, impact, context.")
    metric_label: str
    label: str = Field(description="Libellé du chiffre.")
    value_min: float = Field(description="Valeur basse de la fourchette.")
    value_max: float = Field(description="Valeur haute (égale à la basse pour une valeur unique).")
    unit: str
    unit_label: str
    basis: str = Field(description="Base : par point lumineux, de la facture d'eau…")
    display: str = Field(description="Le chiffre écrit en français, unité et base comprises.")
    kind: str = Field(description="Nature : declared, estimated, measured ou hypothesis.")
    kind_label: str
    source_title: str
    source_url: str
    source_date: datetime.date | None
    note: str = Field(description="Raisonnement, pour une hypothèse.")
    verified_at: datetime.datetime | None = Field(
        description="Date de vérification par l'opérateur de l'instance, s'il y a lieu."
    )


class FeedbackOut(Schema):
    title: str
    commune_code: str
    commune_name: str
    population: int = Field(description="Population de la commune au moment du projet.")
    solution_slug: str | None
    scope: str
    started_on: datetime.date | None
    capex_actual: float | None = Field(description="Investissement réel, en euros.")
    opex_actual: float | None = Field(description="Fonctionnement réel, en euros par an.")
    indicator: str
    value_before: str
    value_after: str
    method: str
    would_do_again: bool | None
    lessons: str
    evidence_url: str
    source_title: str


class CommuneRefOut(Schema):
    code: str = Field(description="Code INSEE.")
    name: str


class SolutionRefOut(Schema):
    slug: str
    name: str
    url: str


class UseCaseRefOut(Schema):
    slug: str
    title: str
    url: str


class UseCaseSummaryOut(Schema):
    slug: str
    title: str
    axis: str
    axis_label: str
    summary: str
    maturity: str
    maturity_label: str
    solution_count: int = Field(description="Nombre de solutions publiées.")
    url: str = Field(description="Adresse de la fiche sur le site.")


class UseCaseOut(UseCaseSummaryOut):
    problem: str
    how_it_works: str
    indicators: str
    cost_driver: str
    regulatory_drivers: str
    risks: str
    population_min: int
    population_max: int | None
    prerequisites: list[TagOut]
    figures: list[FigureOut]
    solutions: list[SolutionRefOut]
    feedback: list[FeedbackOut]


class ProviderOut(Schema):
    name: str
    siren: str | None
    website: str
    region: str | None
    is_fictitious: bool


class SolutionSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    provider: ProviderOut | None
    use_cases: list[str] = Field(description="Identifiants des cas d'usage mis en œuvre.")
    maturity: str
    licence_kind: str
    hosting: str
    secnumcloud: bool
    capex_min: float | None = Field(description="Plus petit investissement chiffré, en euros.")
    payback_years: float | None
    saving_percent: float | None
    feedback_count: int
    is_fictitious: bool = Field(description="Offre fictive des données de démonstration.")
    url: str


class SolutionOut(SolutionSummaryOut):
    description: str
    maturity_label: str
    licence_label: str
    licence_name: str
    code_url: str
    hosting_label: str
    standards: list[TagOut]
    purchase_channels: list[str]
    reversibility: str
    accessibility: str
    security: str
    population_min: int
    population_max: int | None
    references: list[CommuneRefOut] = Field(description="Communes de référence.")
    figures: list[FigureOut]
    feedback: list[FeedbackOut]


class SolutionPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[SolutionSummaryOut]


def _small_integer(text: str) -> bool:
    """ASCII digits, at most 9 of them: int() never fails and SQL offsets never overflow."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def _invalid_axis():
    return error(
        422,
        "invalid_axis",
        _("L'axe doit valoir l'une de ces valeurs : %(values)s.")
        % {"values": ", ".join(Axis.values)},
    )


def _figure(figure: Figure) -> dict:
    return {
        "metric": figure.metric,
        "metric_label": str(figure.get_metric_display()),
        "label": figure.label,
        "value_min": figure.value_min,
        "value_max": figure.value_max,
        "unit": figure.unit,
        "unit_label": str(figure.get_unit_display()),
        "basis": figure.basis,
        "display": figure_value(figure),
        "kind": figure.kind,
        "kind_label": str(figure.get_kind_display()),
        "source_title": figure.source_title,
        "source_url": figure.source_url,
        "source_date": figure.source_date,
        "note": figure.note,
        "verified_at": figure.verified_at,
    }


def _feedback(item: Feedback) -> dict:
    solution = item.solution
    return {
        "title": item.title,
        "commune_code": item.commune_id,
        "commune_name": item.commune.name,
        "population": item.population,
        "solution_slug": solution.slug
        if solution and solution.status == Moderation.APPROVED
        else None,
        **{
            field: getattr(item, field)
            for field in (
                "scope",
                "started_on",
                "capex_actual",
                "opex_actual",
                "indicator",
                "value_before",
                "value_after",
                "method",
                "would_do_again",
                "lessons",
                "evidence_url",
                "source_title",
            )
        },  # fmt: skip
    }


def _use_case_summary(use_case: UseCase) -> dict:
    return {
        "slug": use_case.slug,
        "title": use_case.title,
        "axis": use_case.axis,
        "axis_label": str(use_case.get_axis_display()),
        "summary": use_case.summary,
        "maturity": use_case.maturity,
        "maturity_label": str(use_case.get_maturity_display()),
        "solution_count": use_case.solution_count,
        "url": use_case.get_absolute_url(),
    }


def _provider(solution: Solution) -> dict | None:
    provider = solution.provider
    if provider is None:
        return None
    return {
        "name": provider.name,
        "siren": provider.siren,
        "website": provider.website,
        "region": provider.region.name if provider.region else None,
        "is_fictitious": provider.is_fictitious,
    }


def _solution_summary(solution: Solution) -> dict:
    return {
        "slug": solution.slug,
        "name": solution.name,
        "summary": solution.summary,
        "provider": _provider(solution),
        "use_cases": sorted(use_case.slug for use_case in solution.use_cases.all()),
        "maturity": solution.maturity,
        "licence_kind": solution.licence_kind,
        "hosting": solution.hosting,
        "secnumcloud": solution.secnumcloud,
        "capex_min": solution.capex_min,
        "payback_years": solution.payback_years,
        "saving_percent": solution.saving_percent,
        "feedback_count": solution.feedback_count,
        "is_fictitious": solution.is_fictitious,
        "url": solution.get_absolute_url(),
    }


def _with_solution_count(queryset):
    return queryset.annotate(
        solution_count=Count(
            "solutions", filter=Q(solutions__status=Moderation.APPROVED), distinct=True
        )
    )


@router.get(
    "/cas-d-usage",
    response={200: list[UseCaseSummaryOut], 422: ErrorOut},
    url_name="catalogue_use_cases",
    summary="Lister les cas d'usage",
    description="Tous les cas d'usage, par axe puis par intitulé. Paramètre facultatif : "
    "axis (" + ", ".join(Axis.values) + ").",
)
def list_use_cases(request, axis: str = ""):
    use_cases = _with_solution_count(UseCase.objects.all()).order_by("axis", "title")
    if axis:
        if axis not in Axis.values:
            return _invalid_axis()
        use_cases = use_cases.filter(axis=axis)
    return [_use_case_summary(use_case) for use_case in use_cases]


@router.get(
    "/cas-d-usage/{slug}",
    response={200: UseCaseOut, 404: ErrorOut},
    url_name="catalogue_use_case",
    summary="Un cas d'usage, avec ses chiffres sourcés, ses solutions et ses retours",
    description="Chaque chiffre indique sa nature (déclaré, estimé, mesuré, hypothèse), sa "
    "source et sa date, et s'il a été vérifié par l'opérateur.",
)
def get_use_case(request, slug: str):
    use_case = (
        _with_solution_count(UseCase.objects.all())
        .prefetch_related(
            "prerequisites",
            Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk")),
            Prefetch(
                "solutions", queryset=Solution.objects.published().order_by("name"),
                to_attr="published_solutions",
            ),
            Prefetch(
                "feedback", queryset=Feedback.objects.published().select_related(
                    "commune", "solution"
                ),
                to_attr="published_feedback",
            ),
        )
        .filter(slug=slug)
        .first()
    )  # fmt: skip
    if use_case is None:
        return error(
            404,
            "use_case_not_found",
            _("Aucun cas d'usage n'a l'identifiant « %(slug)s ».") % {"slug": slug[:100]},
        )
    return _use_case_summary(use_case) | {
        "problem": use_case.problem,
        "how_it_works": use_case.how_it_works,
        "indicators": use_case.indicators,
        "cost_driver": use_case.cost_driver,
        "regulatory_drivers": use_case.regulatory_drivers,
        "risks": use_case.risks,
        "population_min": use_case.population_min,
        "population_max": use_case.population_max,
        "prerequisites": list(use_case.prerequisites.all()),
        "figures": [_figure(figure) for figure in use_case.figures.all()],
        "solutions": [
            {"slug": s.slug, "name": s.name, "url": s.get_absolute_url()}
            for s in use_case.published_solutions
        ],
        "feedback": [_feedback(item) for item in use_case.published_feedback],
    }


@router.get(
    "/solutions",
    response={200: SolutionPageOut, 422: ErrorOut},
    url_name="catalogue_solutions",
    summary="Lister les solutions publiées",
    description="Solutions publiées, par nom, page par page. Filtres facultatifs : axis, "
    "use_case (identifiant d'un cas d'usage), licence (" + ", ".join(LicenceKind.values) + "). "
    f"Pagination : page (à partir de 1), page_size (1 à {MAX_PAGE_SIZE}, "
    f"{DEFAULT_PAGE_SIZE} par défaut).",
)
def list_solutions(
    request,
    axis: str = "",
    use_case: str = "",
    licence: str = "",
    page: str = "1",
    page_size: str = str(DEFAULT_PAGE_SIZE),
):
    solutions = Solution.objects.published()
    if axis:
        if axis not in Axis.values:
            return _invalid_axis()
        solutions = solutions.filter(use_cases__axis=axis)
    if use_case:
        if not UseCase.objects.filter(slug=use_case).exists():
            return error(
                422,
                "unknown_use_case",
                _("Aucun cas d'usage n'a l'identifiant « %(slug)s ».") % {"slug": use_case[:100]},
            )
        solutions = solutions.filter(use_cases__slug=use_case)
    if licence:
        if licence not in LicenceKind.values:
            return error(
                422,
                "invalid_licence",
                _("La licence doit valoir l'une de ces valeurs : %(values)s.")
                % {"values": ", ".join(LicenceKind.values)},
            )
        solutions = solutions.filter(licence_kind=licence)
    if not _small_integer(page) or int(page) < 1:
        return error(422, "invalid_page", _("La page doit être un entier supérieur ou égal à 1."))
    if not _small_integer(page_size) or not 1 <= int(page_size) <= MAX_PAGE_SIZE:
        return error(
            422,
            "invalid_page_size",
            _("La taille de page doit être un entier entre 1 et %(max)d.") % {"max": MAX_PAGE_SIZE},
        )
    number, size = int(page), int(page_size)
    solutions = solutions.distinct().order_by("name", "pk")
    count = solutions.count()
    start = (number - 1) * size
    rows = (
        solutions.select_related("provider__region").prefetch_related("use_cases")[
            start : start + size
        ]
        if start < count
        else []
    )
    return {
        "count": count,
        "page": number,
        "page_size": size,
        "pages": (count + size - 1) // size,
        "results": [_solution_summary(solution) for solution in rows],
    }


@router.get(
    "/solutions/{slug}",
    response={200: SolutionOut, 404: ErrorOut},
    url_name="catalogue_solution",
    summary="Une solution publiée, avec ses chiffres sourcés et ses retours d'expérience",
)
def get_solution(request, slug: str):
    solution = (
        Solution.objects.published()
        .select_related("provider__region")
        .prefetch_related(
            "use_cases",
            "standards",
            "references",
            Prefetch("figures", queryset=Figure.objects.order_by("metric", "pk")),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.published().select_related("commune", "solution"),
                to_attr="published_feedback",
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if solution is None:
        return error(
            404,
            "solution_not_found",
            _("Aucune solution publiée n'a l'identifiant « %(slug)s ».") % {"slug": slug[:100]},
        )
    return _solution_summary(solution) | {
        "description": solution.description,
        "maturity_label": str(solution.get_maturity_display()),
        "licence_label": str(solution.get_licence_kind_display()),
        "licence_name": solution.licence_name,
        "code_url": solution.code_url,
        "hosting_label": str(solution.get_hosting_display()),
        "standards": list(solution.standards.all()),
        "purchase_channels": list(solution.purchase_channels),
        "reversibility": solution.reversibility,
        "accessibility": solution.accessibility,
        "security": solution.security,
        "population_min": solution.population_min,
        "population_max": solution.population_max,
        "references": [{"code": c.code, "name": c.name} for c in solution.references.all()],
        "figures": [_figure(figure) for figure in solution.figures.all()],
        "feedback": [_feedback(item) for item in solution.published_feedback],
    }
