"""Operators edit the catalogue in the administration; the search follows."""

from territoria.catalogue import search
from territoria.catalogue.enums import Moderation
from tests.catalogue.factories import make_solution, make_use_case


def test_operator_adds_a_use_case_to_a_solution_and_search_finds_it(world, client):
    """Saving a solution in the admin with a new use case reindexes it at once."""
    lighting = make_use_case("Éclairage public intelligent", slug="eclairage")
    solution = make_solution("Lampadaire Démo", use_cases=[])
    assert search.search("eclairage").total == 0
    client.force_login(world.operator)
    page = client.get(f"/admin/catalogue/solution/{solution.pk}/change/")
    assert page.status_code == 200
    data = {
        "slug": solution.slug,
        "name": solution.name,
        "summary": solution.summary,
        "maturity": solution.maturity,
        "licence_kind": solution.licence_kind,
        "hosting": solution.hosting,
        "purchase_channels": "[]",
        "population_min": 0,
        "status": Moderation.APPROVED,
        "use_cases": [lighting.pk],
        "figures-TOTAL_FORMS": 0,
        "figures-INITIAL_FORMS": 0,
    }
    response = client.post(f"/admin/catalogue/solution/{solution.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [s.name for s in search.search("eclairage").solutions] == ["Lampadaire Démo"]


def test_members_of_collectivites_cannot_open_the_catalogue_admin(world, client):
    """Only operators reach the catalogue's administration."""
    client.force_login(world.admin_saint_amand)
    assert client.get("/admin/catalogue/solution/").status_code == 302
