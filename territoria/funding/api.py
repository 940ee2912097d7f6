"""The funding JSON API (read-only): programmes and eligibility by official codes
(INSEE for communes and départements, SIREN for EPCI), never internal ids."""

from datetime import date

from ninja import Field, Router, Schema

from territoria.api_errors import ErrorOut, error
from territoria.funding import perimeters
from territoria.funding.forms import FilterForm
from territoria.funding.matching import compiled, match
from territoria.funding.models import Programme

router = Router(tags=["Financements"])


class WindowOut(Schema):
    opens_on: date | None = Field(description="Ouverture des dépôts.")
    closes_on: date | None = Field(description="Date limite ; absente : au fil de l'eau.")
    recurrence: str
    note: str


class SourceOut(Schema):
    url: str
    title: str = ""
    date: str | None = Field(None, description="Date de la source ; absente : inconnue.")


class ProgrammeOut(Schema):
    slug: str
    name: str
    description: str
    funders: list[str]
    aid_types: list[str]
    axes: list[str]
    use_cases: list[str] = Field(description="Identifiants des cas d'usage du catalogue.")
    scale: str = Field(description="national, regions, departements, epcis ou communes.")
    perimeter_codes: list[str] = Field(description="Codes INSEE ou SIREN du périmètre.")
    zone: str
    named_list: str | None = Field(description="Liste de communes requise (slug).")
    beneficiaries: list[str]
    expense_types: list[str]
    rate_min: float | None
    rate_max: float | None
    ceiling_eur: int | None
    min_project_cost_eur: int | None
    eligibility: list[dict] = Field(description="Règles d'éligibilité, en données.")
    windows: list[WindowOut]
    application_url: str
    sources: list[SourceOut]
    last_checked: date | None
    fictitious: bool

    @staticmethod
    def resolve_funders(programme):
        return [f.name for f in programme.funders.all()]

    @staticmethod
    def resolve_use_cases(programme):
        return [u.slug for u in programme.use_cases.all()]

    @staticmethod
    def resolve_named_list(programme):
        return programme.named_list.slug if programme.named_list_id else None

    @staticmethod
    def resolve_windows(programme):
        return list(programme.windows.all())


class VerdictOut(Schema):
    programme: str = Field(description="Identifiant (slug) du programme.")
    name: str
    verdict: str = Field(description="eligible, probable ou ineligible.")
    reasons: list[str] = Field(description="Conditions non remplies.")
    checks: list[str] = Field(description="Conditions à vérifier.")


class EligibilityOut(Schema):
    code: str
    name: str
    population: int
    programmes: list[VerdictOut]


def _programmes():
    return (
        Programme.objects.published()
        .select_related("named_list")
        .prefetch_related("funders", "windows", "use_cases")
        .order_by("name")
    )


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut], 400: ErrorOut},
    url_name="funding_programmes",
    summary="Programmes de financement publiés",
)
def programmes(
    request,
    financeur: str = "",
    type: str = "",
    axe: str = "",
    ouvert: bool = False,
    bientot: bool = False,
):
    """Les filtres sont ceux de la page « Financements » : nature du financeur, type
    d'aide, axe, ouvert aujourd'hui, clôture dans les 30 jours."""
    form = FilterForm(
        {"financeur": financeur, "type": type, "axe": axe, "ouvert": ouvert, "bientot": bientot}
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return error(400, "invalid_filter", f"{field} : {errors[0]}")
    keep = form.filters()
    slugs = {p.slug for p in compiled() if keep.keep(p)}
    return [p for p in _programmes() if p.slug in slugs]


@router.get(
    "/programmes/{slug}",
    response={200: ProgrammeOut, 404: ErrorOut},
    url_name="funding_programme",
    summary="Un programme",
)
def programme(request, slug: str):
    found = _programmes().filter(slug=slug).first()
    if found is None:
        return error(404, "not_found", f"Aucun programme « {slug} ».")
    return found


@router.get(
    "/eligibilite/{code}",
    response={200: EligibilityOut, 404: ErrorOut},
    url_name="funding_eligibility",
    summary="Éligibilité d'un territoire à chaque programme",
)
def eligibility(request, code: str):
    """`code` : code INSEE d'une commune ou SIREN d'une intercommunalité."""
    found = perimeters.for_code(code)
    if found is None:
        return error(404, "unknown_territory", f"Aucune commune ni intercommunalité « {code} ».")
    place, area = found
    verdicts = [
        {
            "programme": m.programme.slug,
            "name": m.programme.name,
            "verdict": m.result.verdict,
            "reasons": m.result.reasons,
            "checks": m.result.checks,
        }
        for matches in match(area).values()
        for m in matches
    ]
    return {
        "code": code,
        "name": place.name,
        "population": place.population,
        "programmes": verdicts,
    }
