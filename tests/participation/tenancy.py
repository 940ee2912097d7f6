"""Participation citoyenne URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from territoria.participation.census import import_census
from territoria.participation.enums import Visibility
from territoria.participation.models import Answer, CensusEntry, Comment, Response
from tests.participation.factories import (
    CENSUS,
    make_campaign,
    make_consultation,
    make_idea,
    make_project,
)

# Citizens' pages: anyone may open them (a signed-in member of another collectivité
# may support an idea or submit a project anywhere); they are still searched for canaries.
PUBLIC: set[str] = {
    "participation:home",
    "participation:oidc_callback",
    "participation:collectivite",
    "participation:ideas",
    "participation:idea_new",
    "participation:campaign",
    "participation:project_new",
    "participation:vote",
    "participation:oidc_start",
    "participation:ballot",
    "participation:voted",
    "api:participation_campaign",
    "api:participation_ideas",
}

HIDDEN_IDEA = "Idée masquée canari"
MODERATION_NOTE = "Note de modération canari"
HIDDEN_COMMENT = "Commentaire masqué canari"
DRAFT_CONSULTATION = "Consultation brouillon canari"
PENDING_TEXT = "Réponse libre en attente canari"
PROJECT_REASON = "Motif d'analyse public"


def samples(world):
    place = world.saint_amand
    slug = {"slug": place.slug}
    visible = make_idea(place, world.citizen, title="Idée visible", author_name="Camille")
    Comment.objects.create(
        idea=visible, author=world.citizen, body=HIDDEN_COMMENT, visibility=Visibility.HIDDEN
    )
    hidden = make_idea(
        place,
        world.citizen,
        title=HIDDEN_IDEA,
        visibility=Visibility.PENDING,
        moderation_note=MODERATION_NOTE,
        image="participation/ideas/0123456789abcdef.jpg",  # a name only: nothing written
    )
    campaign = make_campaign(place)
    project = make_project(campaign, "Projet du walker", 1_000)
    import_census(campaign, world.agent_saint_amand, CENSUS, with_codes=True)
    census_hash = CensusEntry.objects.filter(campaign=campaign).first().identity_hash
    draft, questions = make_consultation(place, published=False)
    draft.title = DRAFT_CONSULTATION
    draft.save()
    response = Response.objects.create(consultation=draft, respondent_key="k" * 64)
    Answer.objects.create(
        response=response, question=questions[4], value=PENDING_TEXT, review="pending"
    )
    b = {"slug": place.slug, "campaign": campaign.slug}
    c = {"slug": place.slug, "consultation": draft.slug}
    return {
        "participation:collectivite": slug,
        "participation:ideas": slug,
        "participation:idea_new": slug,
        "participation:moderation": slug,
        "participation:campaign_new": slug,
        "participation:consultation_new": slug,
        "participation:idea": {**slug, "pk": hidden.pk},
        "participation:idea_image": {**slug, "pk": hidden.pk},
        "participation:idea_support": {**slug, "pk": hidden.pk},
        "participation:idea_comment": {**slug, "pk": hidden.pk},
        "participation:idea_flag": {**slug, "pk": hidden.pk},
        "participation:idea_answer": {**slug, "pk": hidden.pk},
        "participation:idea_to_project": {**slug, "pk": hidden.pk},
        "participation:campaign": b,
        "participation:project_new": b,
        "participation:vote": b,
        "participation:oidc_start": b,
        "participation:ballot": b,
        "participation:voted": b,
        "participation:campaign_manage": b,
        "participation:campaign_rules": b,
        "participation:campaign_transition": {**b, "step": "ouvrir"},
        "participation:census_import": b,
        "participation:paper_ballot": b,
        "participation:project_review": {**b, "pk": project.pk},
        "participation:milestone_new": {**b, "pk": project.pk},
        "participation:consultation": c,
        "participation:consultation_results": c,
        "participation:consultation_export": c,
        "participation:consultation_manage": c,
        "participation:consultation_texts": c,
        "api:participation_campaign": b,
        "api:participation_ideas": slug,
        "CANARIES": {
            HIDDEN_IDEA,
            MODERATION_NOTE,
            HIDDEN_COMMENT,
            DRAFT_CONSULTATION,
            PENDING_TEXT,
            census_hash,
            world.citizen.email,
        },
    }
