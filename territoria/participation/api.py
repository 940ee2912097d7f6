"""The participation JSON API (django-ninja router mounted in territoria/api.py):
public results of participatory budgets and published ideas. Nothing personal."""

from django.shortcuts import get_object_or_404

from ninja import Router, Schema

from territoria.api_errors import ErrorOut, error
from territoria.participation.enums import Phase, Visibility
from territoria.participation.models import Campaign, Idea, Project
from territoria.territories.models import Collectivite

router = Router(tags=["Participation citoyenne"])


class ProjectOut(Schema):
    id: int
    title: str
    status: str
    cost: int | None
    votes: int | None
    rank: int | None


class CampaignOut(Schema):
    slug: str
    title: str
    phase: str
    rule: str
    envelope: int
    max_projects: int | None
    tie_break: str
    results_published: bool
    projects: list[ProjectOut]


class IdeaOut(Schema):
    id: int
    title: str
    category: str
    status: str
    answer: str
    supports: int
    author: str


@router.get(
    "/{slug}/budgets/{campaign}",
    response={200: CampaignOut, 404: ErrorOut},
    url_name="participation_campaign",
)
def campaign_detail(request, slug: str, campaign: str):
    """A participatory budget, its rule and projects; votes once results are published."""
    place = get_object_or_404(Collectivite.objects.active(), slug=slug)
    found = Campaign.objects.filter(collectivite=place, slug=campaign).first()
    if found is None:
        return error(404, "not_found", "Budget participatif inconnu.")
    published = found.phase in {Phase.RESULTS, Phase.IMPLEMENTATION}
    projects = [
        ProjectOut(
            id=p.pk,
            title=p.title,
            status=p.status,
            cost=p.cost,
            votes=p.votes if published else None,
            rank=p.rank if published else None,
        )
        for p in Project.objects.filter(campaign=found)
    ]
    return CampaignOut(
        slug=found.slug,
        title=found.title,
        phase=found.phase,
        rule=found.rule,
        envelope=found.envelope,
        max_projects=found.max_projects,
        tie_break=found.tie_break,
        results_published=published,
        projects=projects,
    )


@router.get(
    "/{slug}/idees", response={200: list[IdeaOut], 404: ErrorOut}, url_name="participation_ideas"
)
def idea_list(request, slug: str):
    """Published ideas of a collectivité, with the display name their authors chose."""
    place = get_object_or_404(Collectivite.objects.active(), slug=slug)
    return [
        IdeaOut(
            id=i.pk,
            title=i.title,
            category=i.category,
            status=i.status,
            answer=i.answer,
            supports=i.support_count,
            author=i.public_author,
        )
        for i in Idea.objects.of(place).filter(visibility=Visibility.VISIBLE).with_supports()[:500]
    ]
