"""Participation factories: a budget in voting phase with feasible projects and a census."""

import datetime

from django.utils import timezone

from territoria.participation import budget_actions
from territoria.participation.census import import_census
from territoria.participation.enums import Phase, ProjectStatus
from territoria.participation.models import Campaign, Consultation, Idea, Project, Question

CENSUS = (
    "nom;prenom;date_naissance;quartier;adresse\n"
    "Martin;Camille;12/04/1985;Centre;1 rue Haute\n"
    "Durand;Léa;03/11/1990;Centre;2 rue Basse\n"
    "Petit;Hugo;21/07/1972;Gare;3 avenue de la Gare\n"
)


def make_campaign(
    collectivite,
    *,
    slug="bp-2026",
    rule="budget",
    envelope=100_000,
    max_projects=None,
    phase=Phase.SUBMISSION,
    **extra,
) -> Campaign:
    return Campaign.objects.create(
        collectivite=collectivite,
        slug=slug,
        title=f"Budget participatif {slug}",
        envelope=envelope,
        rule=rule,
        max_projects=max_projects,
        phase=phase,
        **extra,
    )


def make_project(campaign, title, cost, status=ProjectStatus.FEASIBLE, **extra) -> Project:
    return Project.objects.create(
        collectivite=campaign.collectivite,
        campaign=campaign,
        title=title,
        description=f"Description de {title}",
        cost=cost,
        status=status,
        **extra,
    )


def voting_campaign(collectivite, actor, *, census=CENSUS, with_codes=True, **rules):
    """A campaign whose vote is open, with three feasible projects and a census.
    Returns (campaign, projects, letters CSV)."""
    campaign = make_campaign(collectivite, **rules)
    projects = [
        make_project(campaign, "Jardin partagé", 40_000),
        make_project(campaign, "Pistes cyclables", 70_000),
        make_project(campaign, "Boîte à livres", 5_000),
    ]
    _added, _known, letters = import_census(campaign, actor, census, with_codes=with_codes)
    campaign = budget_actions.open_vote(campaign, actor)
    return campaign, projects, letters


def letter_codes(letters: str) -> list[str]:
    return [line.split(";")[-1] for line in letters.strip().splitlines()[1:]]


def make_idea(collectivite, author, title="Des bancs au parc", **extra) -> Idea:
    return Idea.objects.create(
        collectivite=collectivite,
        author=author,
        title=title,
        body="Pour se reposer.",
        category="living",
        **extra,
    )


def make_consultation(
    collectivite, *, slug="mobilite", participation="verified", results_public=True, published=True
) -> Consultation:
    now = timezone.now()
    consultation = Consultation.objects.create(
        collectivite=collectivite,
        slug=slug,
        title="Consultation mobilité",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        participation=participation,
        results_public=results_public,
        published=published,
    )
    q1 = Question.objects.create(
        consultation=consultation,
        position=1,
        kind="single",
        label="Venez-vous en vélo ?",
        required=True,
        choices=["Oui", "Non"],
    )
    q2 = Question.objects.create(
        consultation=consultation,
        position=2,
        kind="multiple",
        label="Quels trajets ?",
        choices=["École", "Travail", "Loisirs"],
        condition_question=q1,
        condition_choice="Oui",
    )
    q3 = Question.objects.create(
        consultation=consultation,
        position=3,
        kind="scale",
        label="Sécurité ressentie",
        scale_min=1,
        scale_max=5,
    )
    q4 = Question.objects.create(
        consultation=consultation,
        position=4,
        kind="ranking",
        label="Priorités",
        choices=["Pistes", "Parkings", "Bus"],
    )
    q5 = Question.objects.create(
        consultation=consultation, position=5, kind="text", label="Une remarque ?"
    )
    return consultation, [q1, q2, q3, q4, q5]
