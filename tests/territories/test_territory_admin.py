"""The back-office: COG tables can be browsed and searched, not edited; collectivités
are listed, searched and created there."""

import pytest

from territoria.accounts.models import User
from territoria.territories.models import Collectivite, Commune


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("super@territoria.localhost", "motdepasse-de-test-42")


@pytest.mark.parametrize("model", ["region", "departement", "epci", "commune", "formercode"])
def test_reference_tables_are_browsable_and_read_only(client, superuser, cog_sample, model):
    """Each COG table lists and searches, and offers no add button."""
    client.force_login(superuser)
    response = client.get(f"/admin/territories/{model}/", {"q": "18"})
    assert response.status_code == 200
    assert client.get(f"/admin/territories/{model}/add/").status_code == 403


def test_commune_change_page_is_read_only(client, superuser, cog_sample):
    """A commune's page shows its facts without a save button."""
    client.force_login(superuser)
    response = client.get("/admin/territories/commune/18197/change/")
    assert response.status_code == 200
    assert "Saint-Amand-Montrond" in response.text
    assert 'name="_save"' not in response.text
    assert client.post("/admin/territories/commune/18197/change/", {"name": "X"}).status_code == 403
    assert Commune.objects.get(code="18197").name == "Saint-Amand-Montrond"


def test_collectivite_is_created_in_the_back_office(client, superuser, cog_sample):
    """An operator registers a commune as a collectivité."""
    client.force_login(superuser)
    response = client.post(
        "/admin/territories/collectivite/add/",
        {
            "name": "Saint-Amand-Montrond",
            "slug": "saint-amand-montrond",
            "kind": "commune",
            "is_active": "on",
            "commune": "18197",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    collectivite = Collectivite.objects.get(slug="saint-amand-montrond")
    assert collectivite.commune_id == "18197"
    listing = client.get(
        "/admin/territories/collectivite/", {"q": "18197", "kind__exact": "commune"}
    )
    assert "saint-amand-montrond" in listing.text or "Saint-Amand-Montrond" in listing.text
