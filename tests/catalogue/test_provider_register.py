"""Registering a provider: SIREN checked by its Luhn key, unique, the person becomes a
member; the provider's page is for its members only."""

from django.urls import reverse

import pytest

from territoria.accounts.models import AuditEvent
from territoria.catalogue.models import Provider
from territoria.territories.identifiers import is_valid_siren
from tests.catalogue.factories import make_provider

REGISTER = reverse("catalogue:provider_register")
SIREN_ERROR = (
    "Ce numéro SIREN n'est pas valide : il faut neuf chiffres dont la clé de contrôle est juste."
)


def _data(**extra):
    return {
        "name": "Hydro Exemple SAS",
        "siren": "732 829 320",
        "website": "hydro.example.fr",
        "region": "",
        "description": "Capteurs pour réseaux d'eau.",
    } | extra


@pytest.mark.parametrize("siren", ["732829320", "552100554", "732 829 320"])
def test_siren_with_a_valid_key_is_accepted(siren):
    """A SIREN of nine digits whose Luhn key is right is valid (spaces are ignored)."""
    assert is_valid_siren(siren) is True


@pytest.mark.parametrize("siren", ["732829321", "73282932", "7328293200", "73282932a", ""])
def test_siren_with_a_wrong_key_or_length_is_refused(siren):
    """A wrong Luhn key, a wrong length or a letter makes a SIREN invalid."""
    assert is_valid_siren(siren) is False


@pytest.mark.django_db
def test_registering_creates_the_provider_and_its_member(world, client):
    """A signed-in person registers a provider and becomes its member; it is audited."""
    client.force_login(world.citizen)
    response = client.post(REGISTER, _data())
    provider = Provider.objects.get(siren="732829320")
    assert response.status_code == 302
    assert response.url == reverse("catalogue:provider", kwargs={"pk": provider.pk})
    assert list(provider.members.all()) == [world.citizen]
    assert provider.website == "https://hydro.example.fr"
    assert provider.is_fictitious is False
    event = AuditEvent.objects.get(action="provider.registered")
    assert (event.actor, event.object_id) == (world.citizen, str(provider.pk))


@pytest.mark.django_db
def test_an_invalid_siren_gets_a_french_message_and_saves_nothing(world, client):
    """A SIREN with a wrong key is refused with a French message; nothing is created."""
    client.force_login(world.citizen)
    response = client.post(REGISTER, _data(siren="732829321"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"siren": [SIREN_ERROR]}
    assert Provider.objects.count() == 0
    assert AuditEvent.objects.filter(action="provider.registered").count() == 0


@pytest.mark.django_db
def test_a_siren_already_registered_is_refused(world, client):
    """Two providers cannot share a SIREN."""
    make_provider("Déjà là", siren="552100554")
    client.force_login(world.citizen)
    response = client.post(REGISTER, _data(siren="552100554"))
    assert response.context["form"].errors == {
        "siren": ["Un fournisseur est déjà inscrit avec ce numéro SIREN."]
    }
    assert Provider.objects.count() == 1


@pytest.mark.django_db
def test_visitors_are_sent_to_the_login_page(client):
    """Registering a provider needs an account."""
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_provider_page_is_for_its_members_only(world, client):
    """A provider's page opens for its members, 404 for others and for unknown ids."""
    provider = make_provider("Hydro Exemple")
    provider.members.add(world.provider)
    url = reverse("catalogue:provider", kwargs={"pk": provider.pk})
    client.force_login(world.provider)
    assert client.get(url).status_code == 200
    client.force_login(world.citizen)
    assert client.get(url).status_code == 404
    missing = reverse("catalogue:provider", kwargs={"pk": provider.pk + 1000})
    assert client.get(missing).status_code == 404


@pytest.mark.django_db
def test_the_registration_page_links_to_ones_providers(world, client):
    """A member finds their providers' pages from the registration page."""
    provider = make_provider("Hydro Exemple")
    provider.members.add(world.provider)
    client.force_login(world.provider)
    page = client.get(REGISTER).content.decode()
    assert reverse("catalogue:provider", kwargs={"pk": provider.pk}) in page
    assert "Vos fournisseurs" in page
