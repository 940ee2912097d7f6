"""Catalogue URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from territoria.catalogue.enums import Moderation
from tests.catalogue.factories import (
    make_feedback,
    make_figure,
    make_provider,
    make_solution,
    make_use_case,
)

# Search, use-case and solution pages, comparison, read-only API.
PUBLIC: set[str] = {
    "catalogue:search",
    "catalogue:use_case_list",
    "catalogue:use_case",
    "catalogue:solution",
    "catalogue:compare",
    "catalogue:compare_pdf",
    "api:catalogue_use_cases",
    "api:catalogue_use_case",
    "api:catalogue_solutions",
    "api:catalogue_solution",
}

DRAFT_CANARY = "Offre brouillon canari"

# The lessons of a feedback of Saint-Amand-Montrond awaiting moderation.
FEEDBACK_CANARY = "Enseignement canari en attente de modération"


def feedback_samples(world, use_case):
    """A feedback of Saint-Amand-Montrond awaiting moderation: its members and operators
    only may see it."""
    pending = make_feedback(
        use_case,
        world.saint_amand.commune,
        collectivite=world.saint_amand,
        author=world.agent_saint_amand,
        status=Moderation.SUBMITTED,
        lessons=FEEDBACK_CANARY,
    )
    return {
        "catalogue:feedback_detail": {"pk": pending.pk},
        "catalogue:feedback_edit": {"pk": pending.pk},
        "catalogue:feedback_moderate": {"pk": pending.pk},
    }


def samples(world):
    # A published use case and solution, with feedback written by an agent of
    # Saint-Amand-Montrond (whose e-mail is a canary) and a provider whose member's
    # e-mail must never show; a draft offer whose name must never show either.
    use_case = make_use_case(slug="detection-fuites-walker")
    provider = make_provider("Exemple Walker SARL")
    provider.members.add(world.provider)
    solution = make_solution(
        "Capteurs Walker", slug="capteurs-walker", use_cases=[use_case], provider=provider
    )
    make_figure(solution)
    make_feedback(
        use_case,
        world.saint_amand.commune,
        solution=solution,
        collectivite=world.saint_amand,
        author=world.agent_saint_amand,
    )
    draft = make_solution(
        DRAFT_CANARY, slug="offre-brouillon", use_cases=[use_case], provider=provider,
        status=Moderation.DRAFT,
    )  # fmt: skip
    draft_figure = make_figure(draft)
    return {
        "catalogue:use_case": {"slug": use_case.slug},
        "catalogue:solution": {"slug": solution.slug},
        "api:catalogue_use_case": {"slug": use_case.slug},
        "api:catalogue_solution": {"slug": solution.slug},
        # Providers' pages (members only: 404) and moderation (operators only: 403).
        "catalogue:provider": {"pk": provider.pk},
        "catalogue:solution_create": {"pk": provider.pk},
        "catalogue:solution_edit": {"pk": provider.pk, "solution_pk": draft.pk},
        "catalogue:moderate": {"pk": draft.pk},
        "catalogue:verify_figure": {"pk": draft_figure.pk},
        **feedback_samples(world, use_case),
        "CANARIES": {
            DRAFT_CANARY,
            FEEDBACK_CANARY,
            world.provider.email,
            world.agent_saint_amand.email,
        },
    }
