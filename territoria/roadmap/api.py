"""The roadmap JSON API (django-ninja router mounted in territoria/api.py): the current
plan of a collectivité, for its members (session authentication)."""

from ninja import Router, Schema

from territoria.api_errors import ErrorOut, error
from territoria.roadmap import links, planning
from territoria.territories.models import Collectivite

router = Router(tags=["Feuille de route"])


class PlannedProjectOut(Schema):
    id: int
    use_case: str
    title: str
    start_year: int
    capex_eur: float | None
    planned_saving_eur_per_year: float | None
    is_done: bool
    scenario: str


class CostBasisOut(Schema):
    amount_eur: float
    volume: float
    volume_unit: str
    unit_price_eur: float | None
    is_hypothesis: bool
    source: str


class PlanOut(Schema):
    collectivite: str
    projects: list[PlannedProjectOut]
    cost_bases: dict[str, CostBasisOut]


@router.get(
    "/{slug}/plan",
    response={200: PlanOut, 404: ErrorOut},
    url_name="roadmap_plan",
    summary="Plan de référence d'une collectivité (membres seulement)",
    openapi_extra={"security": [{"session": []}]},
)
def plan(request, slug: str):
    collectivite = Collectivite.objects.active().filter(slug=slug).first()
    if collectivite is None or not collectivite.get_abilities(request.user)["view_private"]:
        return error(404, "not_found", "Collectivité inconnue ou réservée à ses membres.")
    profile = planning.profile_for(collectivite)
    return {
        "collectivite": collectivite.slug,
        "projects": links.projects_of(collectivite),
        "cost_bases": {
            key: {k: v for k, v in basis.items() if k in CostBasisOut.model_fields}
            for key, basis in profile.cost_bases().items()
        },
    }
