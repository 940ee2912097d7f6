"""The sort menu keeps what the person chose, so a query typed later ranks by relevance."""

import re

from tests.catalogue.factories import make_solution, make_use_case


def _selected(body: str) -> str:
    return re.search(r'<option value="(\w+)"\s+selected', body).group(1)


def test_catalogue_home_keeps_relevance_chosen_for_the_next_query(db, client):
    """With no text yet, "Pertinence" stays selected; a typed query then ranks by it."""
    leak = make_use_case("Détection des fuites d'eau")
    make_solution("Aqua", use_cases=[leak], summary="Alertes de fuites sur les compteurs d'eau.")
    assert _selected(client.get("/catalogue/").content.decode()) == "relevance"
    body = client.get("/catalogue/", {"q": "fuites", "sort": "relevance"}).content.decode()
    assert _selected(body) == "relevance"
    assert "Aqua" in body


def test_an_explicit_sort_stays_selected(db, client):
    """A sort chosen in the menu is kept in the page that answers."""
    assert _selected(client.get("/catalogue/", {"sort": "payback"}).content.decode()) == "payback"
