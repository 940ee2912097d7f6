"""The read-only catalogue API: use cases with sourced figures, published solutions,
structured French errors, and no personal data."""

import pytest

from territoria.catalogue.enums import Axis, FigureKind, LicenceKind, Metric, Moderation, Unit
from tests.catalogue.factories import (
    make_feedback,
    make_figure,
    make_provider,
    make_solution,
    make_tag,
    make_use_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    leaks = make_use_case("Détection des fuites d'eau", Axis.NETWORKS, slug="fuites")
    leaks.prerequisites.set([make_tag("lorawan", name="Réseau LoRaWAN")])
    ideas = make_use_case("Boîte à idées", Axis.SOCIAL, slug="idees")
    provider = make_provider("Exemple SARL", siren="732829320")
    provider.members.add(world.provider)
    alpha = make_solution(
        "Alpha", slug="alpha", use_cases=[leaks], provider=provider,
        licence_kind=LicenceKind.OPEN_SOURCE, purchase_channels=["ugap"],
    )  # fmt: skip
    alpha.references.set([world.saint_amand.commune])
    make_solution("Beta", slug="beta", use_cases=[leaks, ideas])
    make_solution("Gamma", slug="gamma", use_cases=[ideas])
    make_solution("Brouillon", slug="brouillon", use_cases=[leaks], status=Moderation.DRAFT)
    make_figure(
        leaks, Metric.SAVING, "10", "35", label="Économie", basis="de la facture d'eau",
        kind=FigureKind.MEASURED,
    )  # fmt: skip
    make_figure(
        leaks, Metric.CAPEX, "80", "80", Unit.EUR, kind=FigureKind.HYPOTHESIS, label="Capteur",
        source_title="", source_url="", source_date=None, note="Prix catalogue moyen.",
    )  # fmt: skip
    make_figure(alpha, Metric.CAPEX, "360", "3000", Unit.EUR, basis="par point lumineux")
    make_feedback(
        leaks, world.saint_amand.commune, solution=alpha, author=world.agent_saint_amand,
        collectivite=world.saint_amand, lessons="Commencer petit.",
    )  # fmt: skip
    make_feedback(leaks, world.niort.commune, title="En attente", status=Moderation.SUBMITTED)
    alpha.refresh_summary()
    return leaks


def test_use_case_list_and_axis_filter(client, catalogue):
    """Use cases are listed by axis with their number of published solutions."""
    response = client.get("/api/catalogue/cas-d-usage")
    assert response.status_code == 200
    assert [(u["slug"], u["solution_count"]) for u in response.json()] == [
        ("fuites", 2), ("idees", 2),
    ]  # fmt: skip
    social = client.get("/api/catalogue/cas-d-usage?axis=social").json()
    assert [u["slug"] for u in social] == ["idees"]
    assert social[0]["axis_label"] == "Cohésion sociale"
    assert social[0]["url"] == "/catalogue/cas-d-usage/idees/"


def test_use_case_detail_has_figures_with_provenance(client, catalogue):
    """A use case carries its figures with kind, source, date and French display."""
    data = client.get("/api/catalogue/cas-d-usage/fuites").json()
    assert [f["label"] for f in data["figures"]] == ["Capteur", "Économie"]
    capteur, economie = data["figures"]
    assert economie == {
        "metric": "saving", "metric_label": "Économie", "label": "Économie",
        "value_min": 10.0, "value_max": 35.0, "unit": "percent", "unit_label": "%",
        "basis": "de la facture d'eau", "display": "10 à 35\xa0% de la facture d'eau",
        "kind": "measured", "kind_label": "Mesuré",
        "source_title": "Localtis, 19 décembre 2018",
        "source_url": "https://www.banquedesterritoires.fr/localtis",
        "source_date": "2018-12-19", "note": "", "verified_at": None,
    }  # fmt: skip
    assert (capteur["kind"], capteur["note"]) == ("hypothesis", "Prix catalogue moyen.")
    assert data["prerequisites"] == [{"slug": "lorawan", "name": "Réseau LoRaWAN"}]
    assert [s["slug"] for s in data["solutions"]] == ["alpha", "beta"]
    assert [f["commune_name"] for f in data["feedback"]] == ["Saint-Amand-Montrond"]


def test_solution_list_is_published_only_and_paginated(client, catalogue):
    """Only published solutions, by name, page by page."""
    first = client.get("/api/catalogue/solutions?page_size=2").json()
    assert (first["count"], first["pages"], first["page"]) == (3, 2, 1)
    assert [s["slug"] for s in first["results"]] == ["alpha", "beta"]
    second = client.get("/api/catalogue/solutions?page_size=2&page=2").json()
    assert [s["slug"] for s in second["results"]] == ["gamma"]
    assert first["results"][0]["capex_min"] == 360.0
    assert first["results"][0]["provider"] == {
        "name": "Exemple SARL", "siren": "732829320", "website": "", "region": None,
        "is_fictitious": True,
    }  # fmt: skip


@pytest.mark.parametrize(
    "query,slugs",
    [("axis=social", ["beta", "gamma"]), ("use_case=fuites", ["alpha", "beta"]),
     ("licence=open_source", ["alpha"]), ("axis=networks&licence=proprietary", ["beta"])],
    ids=["axis_case", "use_case_case", "licence_case", "combined_case"],
)  # fmt: skip
def test_solution_filters(client, catalogue, query, slugs):
    """Solutions filter by axis, use case and licence."""
    data = client.get(f"/api/catalogue/solutions?{query}").json()
    assert [s["slug"] for s in data["results"]] == slugs
    assert data["count"] == len(slugs)


@pytest.mark.parametrize(
    "url,code,message",
    [
        ("/api/catalogue/solutions?axis=espace", "invalid_axis",
         "L'axe doit valoir l'une de ces valeurs : economy, quality_of_life, networks, social, "
         "environment, attractiveness."),
        ("/api/catalogue/solutions?use_case=inconnu", "unknown_use_case",
         "Aucun cas d'usage n'a l'identifiant « inconnu »."),
        ("/api/catalogue/solutions?licence=gratuit", "invalid_licence",
         "La licence doit valoir l'une de ces valeurs : open_source, proprietary, mixed, "
         "not_software."),
        ("/api/catalogue/solutions?page=0", "invalid_page",
         "La page doit être un entier supérieur ou égal à 1."),
        ("/api/catalogue/solutions?page=" + "9" * 5000, "invalid_page",
         "La page doit être un entier supérieur ou égal à 1."),
        ("/api/catalogue/solutions?page=%C2%B2", "invalid_page",
         "La page doit être un entier supérieur ou égal à 1."),
        ("/api/catalogue/solutions?page_size=500", "invalid_page_size",
         "La taille de page doit être un entier entre 1 et 100."),
        ("/api/catalogue/cas-d-usage?axis=x", "invalid_axis",
         "L'axe doit valoir l'une de ces valeurs : economy, quality_of_life, networks, social, "
         "environment, attractiveness."),
    ],
    ids=["axis_case", "use_case_case", "licence_case", "page_case", "huge_page_case",
         "superscript_page_case", "page_size_case",
         "use_case_axis_case"],
)  # fmt: skip
def test_bad_parameters_get_structured_errors(client, catalogue, url, code, message):
    """Bad parameters answer 422 with a code and a French message."""
    response = client.get(url)
    assert response.status_code == 422
    assert response.json() == {"code": code, "message": message}


def test_page_after_the_last_is_empty(client, catalogue):
    """A page past the end answers an empty list, not an error."""
    data = client.get("/api/catalogue/solutions?page=999999999").json()
    assert (data["count"], data["results"]) == (3, [])


def test_solution_detail(client, catalogue):
    """A published solution with its figures, references and facts."""
    data = client.get("/api/catalogue/solutions/alpha").json()
    assert data["name"] == "Alpha"
    assert data["licence_label"] == "Logiciel libre"
    assert data["purchase_channels"] == ["ugap"]
    assert data["references"] == [{"code": "18197", "name": "Saint-Amand-Montrond"}]
    assert data["figures"][0]["display"] == "360 à 3\xa0000\xa0€ par point lumineux"
    assert [f["lessons"] for f in data["feedback"]] == ["Commencer petit."]


@pytest.mark.parametrize("slug", ["inconnue", "brouillon"], ids=["unknown_case", "draft_case"])
def test_unknown_or_unpublished_solution_is_a_structured_404(client, world, catalogue, slug):
    """Unknown and unpublished solutions answer the same 404, even to their provider."""
    client.force_login(world.provider)
    response = client.get(f"/api/catalogue/solutions/{slug}")
    assert response.status_code == 404
    assert response.json() == {
        "code": "solution_not_found",
        "message": f"Aucune solution publiée n'a l'identifiant « {slug} ».",
    }


def test_unknown_use_case_is_a_structured_404(client, catalogue):
    """An unknown use case answers 404 with a French message."""
    response = client.get("/api/catalogue/cas-d-usage/inconnu")
    assert response.status_code == 404
    assert response.json()["code"] == "use_case_not_found"


def test_no_personal_data(client, world, catalogue):
    """No e-mail address, no author name, no account in any catalogue answer."""
    for url in ["/api/catalogue/cas-d-usage", "/api/catalogue/cas-d-usage/fuites",
                "/api/catalogue/solutions", "/api/catalogue/solutions/alpha"]:  # fmt: skip
        body = client.get(url).content.decode()
        assert "@" not in body, url
        assert "Agnès" not in body, url
        assert "author" not in body, url


def test_openapi_documents_the_catalogue(client):
    """The catalogue endpoints are in the OpenAPI schema with French summaries."""
    paths = client.get("/api/openapi.json").json()["paths"]
    assert paths["/api/catalogue/solutions"]["get"]["summary"] == "Lister les solutions publiées"
    assert "/api/catalogue/cas-d-usage/{slug}" in paths
    assert "/api/catalogue/solutions/{slug}" in paths
