"""Bad feedback input gets French field errors and saves nothing."""

import datetime

from django.utils import timezone

import pytest

from territoria.accounts.models import AuditEvent
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback
from tests.catalogue.factories import make_solution, make_use_case
from tests.catalogue.feedback_helpers import make_offer, valid_data

pytestmark = pytest.mark.django_db
NEW = "/catalogue/retours/nouveau/"


def _errors(client, data):
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert AuditEvent.objects.filter(action="feedback.submitted").count() == 0
    return response.context["form"].errors


def test_negative_amounts_are_refused(world, client):
    """Investment and running costs cannot be negative."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, valid_data(world, use_case, capex_actual="-1", opex_actual="-0.5"))
    assert errors == {
        "capex_actual": ["Le montant doit être positif ou nul."],
        "opex_actual": ["Le montant doit être positif ou nul."],
    }


def test_start_date_in_the_future_is_refused(world, client):
    """A project cannot start after today."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = _errors(client, valid_data(world, use_case, started_on=tomorrow.isoformat()))
    assert errors == {"started_on": ["La date de début ne peut pas être dans le futur."]}


def test_evidence_link_must_be_a_url(world, client):
    """The evidence link is a web address."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, valid_data(world, use_case, evidence_url="pas une adresse"))
    assert errors == {"evidence_url": ["Saisissez une adresse web valide (https://…)."]}


def test_unknown_use_case_is_refused(world, client):
    """A use case that does not exist cannot be chosen."""
    client.force_login(world.agent_saint_amand)
    data = valid_data(world, make_offer()[0]) | {"use_case": "cas-inexistant"}
    assert _errors(client, data) == {
        "use_case": ["Ce cas d'usage n'existe pas ou n'est pas publié."]
    }


@pytest.mark.parametrize("status", [Moderation.DRAFT, Moderation.SUBMITTED, Moderation.REJECTED])
def test_unpublished_solution_is_refused(world, client, status):
    """Only a published solution can be named as the one deployed."""
    use_case, _ = make_offer()
    hidden = make_solution("Offre cachée", slug="offre-cachee", use_cases=[use_case], status=status)
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, valid_data(world, use_case, hidden))
    assert errors == {"solution": ["Cette solution n'existe pas ou n'est pas publiée."]}


def test_unknown_solution_is_refused(world, client):
    """A solution that does not exist cannot be named."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, valid_data(world, use_case) | {"solution": "offre-inexistante"})
    assert errors == {"solution": ["Cette solution n'existe pas ou n'est pas publiée."]}


def test_solution_of_another_use_case_is_refused(world, client):
    """The solution named must answer the use case chosen."""
    _, solution = make_offer()
    other = make_use_case("Éclairage intelligent", slug="eclairage")
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, valid_data(world, other, solution))
    assert errors == {"solution": ["Cette solution ne répond pas à ce cas d'usage."]}


def test_required_fields_are_named_in_french(world, client):
    """An empty form names what is missing, in French."""
    client.force_login(world.agent_saint_amand)
    errors = _errors(client, {})
    assert errors == {
        "collectivite": ["Choisissez la commune qui partage ce retour."],
        "use_case": ["Choisissez le cas d'usage."],
        "population": ["Ce champ est obligatoire."],
        "title": ["Ce champ est obligatoire."],
        "would_do_again": ["Ce champ est obligatoire."],
    }


def test_edit_with_bad_input_changes_nothing(world, client):
    """A refused edit leaves the feedback as it was."""
    use_case, _ = make_offer()
    client.force_login(world.agent_saint_amand)
    client.post(NEW, valid_data(world, use_case))
    feedback = Feedback.objects.get()
    data = valid_data(world, use_case, capex_actual="-10", title="Nouveau titre")
    response = client.post(f"/catalogue/retours/{feedback.pk}/modifier/", data)
    feedback.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "capex_actual": ["Le montant doit être positif ou nul."]
    }
    assert feedback.title == "Capteurs sur le réseau d'eau du centre-ville"
    assert feedback.capex_actual == 45000
