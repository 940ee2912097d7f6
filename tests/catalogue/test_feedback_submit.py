"""Members of a commune write experience feedback; it awaits moderation."""

import datetime
from decimal import Decimal

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Membership
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback
from tests.catalogue.feedback_helpers import LESSONS, make_offer, valid_data

pytestmark = pytest.mark.django_db
NEW = "/catalogue/retours/nouveau/"


def test_agent_submits_feedback_saved_as_submitted(world, client):
    """A valid form is saved as submitted, with its author, collectivité and commune."""
    use_case, solution = make_offer()
    client.force_login(world.agent_saint_amand)
    response = client.post(NEW, valid_data(world, use_case, solution))
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/retours/{feedback.pk}/"
    assert feedback.status == Moderation.SUBMITTED
    assert feedback.author == world.agent_saint_amand
    assert feedback.collectivite == world.saint_amand
    assert feedback.commune == world.saint_amand.commune
    assert feedback.use_case == use_case
    assert feedback.solution == solution
    assert feedback.population == 9800
    assert feedback.started_on == datetime.date(2023, 3, 1)
    assert feedback.capex_actual == Decimal("45000")
    assert feedback.opex_actual == Decimal("3200.50")
    assert feedback.would_do_again is True
    assert feedback.lessons == LESSONS
    assert AuditEvent.objects.filter(action="feedback.submitted").count() == 1


def test_unknown_would_do_again_is_stored_as_null(world, client):
    """ "Ne sait pas encore" is stored as an unknown answer."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post(NEW, valid_data(world, use_case, would_do_again="unknown"))
    assert Feedback.objects.get().would_do_again is None


def test_form_is_prefilled_from_the_page_and_the_population(world, client):
    """Coming from a solution page preselects the solution, its use case and the
    commune's current population."""
    use_case, solution = make_offer()
    client.force_login(world.agent_saint_amand)
    response = client.get(NEW, {"solution": solution.slug})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["solution"] == solution.slug
    assert form.initial["use_case"] == use_case.slug
    assert form.initial["population"] == 9_899
    assert form.fields["collectivite"].initial == world.saint_amand.pk


def test_member_of_an_epci_only_gets_a_french_explanation(world, client):
    """Only commune collectivités write feedback: a member of an EPCI only is told why."""
    client.force_login(world.agent_cc)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "seules les communes peuvent partager un retour" in response.content.decode()


def test_person_without_collectivite_gets_a_french_explanation(world, client):
    """A signed-in person who belongs to no collectivité cannot write feedback."""
    use_case, _ = make_offer()
    client.force_login(world.citizen)
    response = client.post(NEW, valid_data(world, use_case))
    assert response.status_code == 403
    assert "Seuls les membres d'une commune" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_visitor_is_sent_to_sign_in(world, client):
    """A visitor is asked to sign in before writing."""
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/catalogue/retours/nouveau/"


def test_member_cannot_write_for_a_collectivite_they_do_not_belong_to(world, client):
    """Choosing another town's collectivité is refused and saves nothing."""
    use_case, _ = make_offer()
    client.force_login(world.agent_niort)
    response = client.post(NEW, valid_data(world, use_case))
    assert response.status_code == 200
    assert response.context["form"].errors["collectivite"] == [
        "Choisissez une commune dont vous êtes membre."
    ]
    assert Feedback.objects.count() == 0


def test_member_of_several_communes_chooses_one(world, client):
    """A person in two communes picks which one writes; the EPCI is not offered."""
    use_case, _ = make_offer()
    Membership.objects.create(
        user=world.agent_saint_amand, collectivite=world.orval, role=Role.AGENT
    )
    client.force_login(world.agent_saint_amand)
    response = client.get(NEW)
    choices = list(response.context["form"].fields["collectivite"].queryset)
    assert choices == [world.orval, world.saint_amand]
    client.post(NEW, valid_data(world, use_case, collectivite=str(world.orval.pk)))
    assert Feedback.objects.get().commune == world.orval.commune


def test_colleague_edits_submitted_feedback(world, client):
    """Members of the writing collectivité edit the feedback while it awaits moderation."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post(NEW, valid_data(world, use_case))
    feedback = Feedback.objects.get()
    client.force_login(world.admin_saint_amand)
    data = valid_data(world, use_case, title="Titre corrigé")
    del data["collectivite"]
    response = client.post(f"/catalogue/retours/{feedback.pk}/modifier/", data)
    feedback.refresh_from_db()
    assert response.status_code == 302
    assert feedback.title == "Titre corrigé"
    assert feedback.author == world.agent_saint_amand
    assert AuditEvent.objects.filter(action="feedback.updated").count() == 1


def test_other_collectivites_get_404(world, client):
    """Members of other collectivités know nothing of feedback awaiting moderation."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post(NEW, valid_data(world, use_case))
    feedback = Feedback.objects.get()
    client.force_login(world.agent_niort)
    assert client.get(f"/catalogue/retours/{feedback.pk}/").status_code == 404
    edit = client.post(f"/catalogue/retours/{feedback.pk}/modifier/", {"title": "Piraté"})
    assert edit.status_code == 404
    mine = client.get("/catalogue/retours/").content.decode()
    assert LESSONS not in mine
    assert "Capteurs sur le réseau" not in mine
    feedback.refresh_from_db()
    assert feedback.title == "Capteurs sur le réseau d'eau du centre-ville"


def test_own_list_shows_submitted_feedback(world, client):
    """A member finds their collectivité's feedback and its status on their list."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post(NEW, valid_data(world, use_case))
    client.force_login(world.admin_saint_amand)
    body = client.get("/catalogue/retours/").content.decode()
    assert "Capteurs sur le réseau d&#x27;eau du centre-ville" in body
    assert "En attente de modération" in body


def test_share_link_shown_to_members_only(world, client):
    """The link to share feedback is on the use-case and solution pages for members only."""
    use_case, solution = make_offer()
    link = "Partager votre retour d&#x27;expérience"
    assert link not in client.get(use_case.get_absolute_url()).content.decode()
    client.force_login(world.citizen)
    assert link not in client.get(solution.get_absolute_url()).content.decode()
    client.force_login(world.agent_niort)
    use_case_page = client.get(use_case.get_absolute_url()).content.decode()
    solution_page = client.get(solution.get_absolute_url()).content.decode()
    assert f'href="{NEW}?cas=detection-fuites"' in use_case_page
    assert f'href="{NEW}?solution=capteurs-exemple"' in solution_page
