"""The catalogue search page: filters in the URL, HTMX fragment, bad parameters, queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from territoria.catalogue.enums import Axis, FigureKind, LicenceKind, Metric, Moderation, Unit
from tests.catalogue.factories import make_figure, make_provider, make_solution, make_use_case

URL = "/catalogue/"


def page(response) -> str:
    """The page's HTML with runs of white space made single spaces."""
    return " ".join(response.content.decode().split())


@pytest.fixture
def catalogue(db):
    leaks = make_use_case("Détection des fuites d'eau", axis=Axis.NETWORKS, slug="fuites")
    lighting = make_use_case(
        "Éclairage public intelligent", axis=Axis.ENVIRONMENT, slug="eclairage"
    )
    provider = make_provider("Hydro Exemple SARL")
    aqua = make_solution(
        "Aquaveille",
        slug="aquaveille",
        use_cases=[leaks],
        provider=provider,
        summary="Capteurs acoustiques sur les compteurs",
        licence_kind=LicenceKind.OPEN_SOURCE,
        secnumcloud=True,
        purchase_channels=["ugap"],
    )
    make_figure(aqua, Metric.CAPEX, "8000", "15000", Unit.EUR, kind=FigureKind.DECLARED)
    make_figure(
        aqua, Metric.PAYBACK, "2", "4", Unit.YEARS, kind=FigureKind.HYPOTHESIS,
        source_title="", source_url="", note="Ordre de grandeur des retours publiés.",
    )  # fmt: skip
    aqua.refresh_summary()
    make_solution("Lumen", slug="lumen", use_cases=[lighting], summary="Télégestion")
    make_solution("Brouillon secret", use_cases=[leaks], summary="zorglub", status=Moderation.DRAFT)
    return {"leaks": leaks, "aqua": aqua}


def test_the_catalogue_home_is_the_search_page(catalogue, client):
    """/catalogue/ is catalogue:search, linked from the main navigation."""
    assert reverse("catalogue:search") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = page(response)
    assert f'<a href="{URL}" aria-current="page">Catalogue</a>' in html
    assert "2 solutions" in html
    assert "Brouillon secret" not in html


def test_search_page_shows_cards_with_sourced_figures(catalogue, client):
    """A card links to the solution and shows its badges and figures with their kind."""
    html = page(client.get(URL, {"q": "fuites"}))
    assert 'href="/catalogue/solutions/aquaveille/"' in html
    assert "Hydro Exemple SARL" in html
    for text in ("Logiciel libre", "SecNumCloud", "Disponible à l'UGAP"):
        assert text in html
    assert "à partir de 8 000 €" in html
    assert "Déclaré" in html
    assert "source : Localtis, 19 décembre 2018" in html
    assert "Hypothèse" in html
    assert "Lumen" not in html


def test_filters_are_kept_in_the_url(catalogue, client):
    """Filters come from GET parameters, show checked, and the page links keep them."""
    response = client.get(URL, {"q": "eclairage", "axis": "environment", "sort": "name"})
    html = page(response)
    assert "1 solution" in html
    assert "Lumen" in html and "Aquaveille" not in html
    assert 'name="axis" value="environment" checked>' in html
    assert 'href="?q=eclairage&amp;sort=name">Effacer les filtres' in html


def test_htmx_requests_get_the_results_fragment(catalogue, client):
    """An HTMX request gets the results and facets only, not the whole page."""
    response = client.get(URL, {"q": "fuites"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="catalogue-search-total"' in html
    assert "Aquaveille" in html


def test_facets_are_accessible_checkbox_groups(catalogue, client):
    """Each facet is a fieldset with a legend; a count is part of its label."""
    html = client.get(URL).content.decode()
    assert "<legend>Axe</legend>" in html
    assert '<label for="filtre-axis-networks">' in html
    assert "<summary>" in html


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"page": "abc"}, id="page_not_a_number_case"),
        pytest.param({"page": "-3"}, id="negative_page_case"),
        pytest.param({"page": "99999999999999"}, id="huge_page_case"),
        pytest.param({"axis": "moon"}, id="unknown_value_case"),
        pytest.param({"colour": "blue"}, id="unknown_facet_case"),
        pytest.param({"sort": "price"}, id="unknown_sort_case"),
        pytest.param({"q": "x" * 5000}, id="long_query_case"),
        pytest.param({"q": '"* AND OR NEAR( -'}, id="fts_syntax_case"),
    ],
)
def test_bad_parameters_are_ignored_with_a_french_message(catalogue, client, params):
    """Bad parameters never fail: they are left out, and named in a French message."""
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    if "q" in params:
        assert "ignorés" not in html
    else:
        assert "Ces paramètres de l&#x27;adresse ne sont pas reconnus" in html


def test_page_past_the_end_shows_the_last_page(catalogue, client):
    """A page number beyond the results shows the last page."""
    html = client.get(URL, {"page": "7"}).content.decode()
    assert "Aquaveille" in html and "Lumen" in html


def test_pagination_links_keep_the_filters(db, client):
    """With more than 20 results, the next page link keeps the query and filters."""
    use_case = make_use_case(slug="fuites")
    for number in range(23):
        make_solution(f"Solution {number:02d}", use_cases=[use_case])
    html = client.get(URL, {"axis": "networks"}).content.decode()
    assert "Page 1 sur 2" in html
    assert 'href="?axis=networks&amp;page=2"' in html
    second = client.get(URL, {"axis": "networks", "page": "2"}).content.decode()
    assert "Solution 22" in second and "Solution 00" not in second


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "capteurs", "axis": "networks"})
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_catalogue(db, client):
    """The page issues the same number of queries with 5 or 50 solutions."""
    use_case = make_use_case(slug="fuites")
    provider = make_provider("Exemple SARL")

    def add(count):
        for _number in range(count):
            solution = make_solution(
                summary="Capteurs de fuites", use_cases=[use_case], provider=provider
            )
            make_figure(solution, Metric.CAPEX, "1000", "2000", Unit.EUR)
            make_figure(solution, Metric.SAVING, "10", "20", Unit.PERCENT)
            solution.refresh_summary()

    add(5)
    with_five = _page_queries(client)
    add(45)
    assert _page_queries(client) == with_five
