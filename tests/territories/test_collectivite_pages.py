"""The instance's home page, the list of member collectivités and their public pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests.factories import make_collectivite, make_commune


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("st amand", ["Saint-Amand-Montrond"]),
        ("SAINT-AMAND", ["Saint-Amand-Montrond"]),
        ("coeur de france", ["CC Coeur de France"]),
        ("18200", ["Orval", "Saint-Amand-Montrond"]),
        ("79191", ["Niort"]),
        ("200036135", ["CC Coeur de France"]),
        ("lyon", []),
    ],
    ids=[
        "abbreviation_case",
        "hyphen_case",
        "epci_case",
        "postal_code_case",
        "insee_case",
        "siren_case",
        "no_match_case",
    ],
)
def test_member_collectivites_are_found_by_name_or_code(world, query, expected):
    """The member search folds accents, hyphens and "St", and takes codes."""
    from territoria.territories.models import Collectivite

    found = Collectivite.objects.search(query).order_by("name").values_list("name", flat=True)
    assert list(found) == expected


def test_home_page_presents_the_platform_and_its_members(world, client):
    """The home page says what the platform does and lists the member collectivités."""
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Collectivités membres" in body
    assert "4 collectivités utilisent cette instance." in body
    assert "Saint-Amand-Montrond" in body


def test_list_answers_htmx_with_the_results_fragment_only(world, client):
    """Typing in the search box refreshes only the results, not the whole page."""
    response = client.get("/collectivites/", {"q": "niort"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Niort" in body
    assert "Saint-Amand-Montrond" not in body


def test_collectivite_page_shows_its_territory_and_registered_neighbours(world, client):
    """A commune's page shows its codes, population with its source, and its registered
    EPCI; the EPCI's page lists its registered member communes."""
    body = client.get("/c/saint-amand-montrond/").content.decode()
    assert "18197" in body
    assert "9\xa0899 habitants" in body
    assert "source : Insee" in body
    assert 'href="/c/cc-coeur-de-france/"' in body
    epci_page = client.get("/c/cc-coeur-de-france/").content.decode()
    assert 'href="/c/orval/"' in epci_page
    assert 'href="/c/saint-amand-montrond/"' in epci_page


def test_unknown_or_inactive_collectivite_is_not_found_in_french(world, client):
    """An unknown or deactivated collectivité answers 404 with a French page."""
    world.orval.is_active = False
    world.orval.save()
    for url in ("/c/inconnue/", "/c/orval/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


def test_member_management_button_follows_the_abilities(world, client):
    """Only an admin of the collectivité sees the button to manage its members."""
    client.force_login(world.agent_saint_amand)
    assert "Gérer les membres" not in client.get("/c/saint-amand-montrond/").content.decode()
    client.force_login(world.admin_saint_amand)
    assert "Gérer les membres" in client.get("/c/saint-amand-montrond/").content.decode()


def test_list_issues_a_bounded_number_of_queries(world, client):
    """The list page costs the same number of queries with 4 or 40 collectivités."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/collectivites/").status_code == 200
        return len(queries)

    before = count()
    for index in range(36):
        code = f"18{300 + index}"
        make_collectivite(make_commune(code, f"Commune {index}"), f"commune-{index}")
    assert count() == before
