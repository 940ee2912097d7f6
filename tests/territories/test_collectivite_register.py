"""Operators register communes and intercommunalités on the instance."""

from django.core import mail

import pytest

from territoria.accounts.models import AuditEvent, Invitation
from territoria.territories.models import Collectivite
from tests.factories import make_commune


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_operator_registers_an_epci_with_its_member_communes(
    world, client, django_capture_on_commit_callbacks
):
    """Registering an EPCI with its communes creates the missing ones, invites the first
    admin by email and logs who did it."""
    make_commune("18033", "Bouzais", population=300, epci=world.cc.epci)
    world.cc.delete()
    client.force_login(world.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/collectivites/inscrire/",
            {
                "territoire": "CC Coeur de France",
                "territoire_code": "200036135",
                "admin_email": "dgs@cc-coeur-de-france.fr",
                "with_member_communes": "on",
            },
        )
    epci = Collectivite.objects.get(epci_id="200036135")
    assert response.status_code == 302
    assert response["Location"] == epci.get_absolute_url()
    assert sorted(
        Collectivite.objects.filter(commune__epci_id="200036135").values_list("name", flat=True)
    ) == ["Bouzais", "Orval", "Saint-Amand-Montrond"]
    assert Invitation.objects.get(email="dgs@cc-coeur-de-france.fr").collectivite == epci
    assert mail.outbox[-1].to == ["dgs@cc-coeur-de-france.fr"]
    assert (
        AuditEvent.objects.filter(actor=world.operator, action="collectivite.registered").count()
        == 2
    )


def test_homonyms_get_distinct_addresses(world, client):
    """Two communes of the same name get two public addresses."""
    client.force_login(world.operator)
    make_commune("97411", "Saint-Denis", population=150_000, dep="974", reg="04")
    make_commune("93066", "Saint-Denis", population=113_000, dep="93", reg="11")
    for code in ("97411", "93066"):
        client.post(
            "/collectivites/inscrire/", {"territoire": "Saint-Denis", "territoire_code": code}
        )
    assert sorted(
        Collectivite.objects.filter(name="Saint-Denis").values_list("slug", flat=True)
    ) == ["saint-denis", "saint-denis-93066"]


def test_registering_twice_is_refused_and_changes_nothing(world, client):
    """A collectivité already registered cannot be registered again."""
    client.force_login(world.operator)
    before = Collectivite.objects.count()
    response = client.post(
        "/collectivites/inscrire/", {"territoire": "Niort", "territoire_code": "79191"}
    )
    assert response.status_code == 200
    assert "Niort est déjà inscrite sur cette instance." in response.content.decode()
    assert Collectivite.objects.count() == before


def test_malformed_admin_email_creates_nothing(world, client):
    """A malformed address for the first admin is refused before anything is created."""
    make_commune("18001", "Ainay-le-Vieil", population=200)
    client.force_login(world.operator)
    before = Collectivite.objects.count()
    response = client.post(
        "/collectivites/inscrire/",
        {"territoire": "Ainay", "territoire_code": "18001", "admin_email": "pas-une-adresse"},
    )
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert Collectivite.objects.count() == before


def test_unknown_territory_gets_a_french_error(world, client):
    """A name that matches no territory says so, and nothing is created."""
    client.force_login(world.operator)
    before = Collectivite.objects.count()
    response = client.post("/collectivites/inscrire/", {"territoire": "Atlantide"})
    assert "Aucun territoire ne correspond à « Atlantide »." in response.content.decode()
    assert Collectivite.objects.count() == before


@pytest.mark.parametrize("persona", ["admin_saint_amand", "agent_niort", "citizen"])
def test_only_operators_register_collectivites(world, client, persona):
    """Members of collectivités, even admins, cannot register new ones."""
    client.force_login(getattr(world, persona))
    assert client.get("/collectivites/inscrire/").status_code == 403
    response = client.post(
        "/collectivites/inscrire/", {"territoire": "Orval", "territoire_code": "18173"}
    )
    assert response.status_code == 403
