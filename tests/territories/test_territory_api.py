"""The JSON API under /api/territoires: search, a commune, an EPCI, and bad input."""

import pytest

from territoria.territories.models import Commune
from tests.factories import make_collectivite

SEARCH = "/api/territoires/recherche"
NOT_INSEE = "n'est pas un code INSEE de commune (5 caractères, par exemple 18197 ou 2A004)."


def test_search_returns_ranked_results(client, db, cog_sample):
    """The search endpoint answers the query, its count and the results, best first."""
    response = client.get(SEARCH, {"q": "st amand montrond"})
    assert response.status_code == 200
    body = response.json()
    assert (body["query"], body["count"]) == ("st amand montrond", 1)
    assert body["results"][0]["code"] == "18197"
    assert body["results"][0]["label"] == "Saint-Amand-Montrond (18)"


def test_search_by_postal_code_with_kind_and_limit(client, db, cog_sample):
    """kind and limit narrow the list."""
    body = client.get(SEARCH, {"q": "18200", "kind": "commune", "limit": "2"}).json()
    assert [r["code"] for r in body["results"]] == ["18197", "18200"]  # postal, then INSEE
    body = client.get(SEARCH, {"q": "coeur de france", "kind": "epci"}).json()
    assert [r["code"] for r in body["results"]] == ["200036135"]


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({}, "query_too_short", "Saisissez au moins 2 caractères."),
        ({"q": "a"}, "query_too_short", "Saisissez au moins 2 caractères."),
        ({"q": "  a  "}, "query_too_short", "Saisissez au moins 2 caractères."),
        ({"q": "a" * 101}, "query_too_long", "La recherche est limitée à 100 caractères."),
        (
            {"q": "niort", "kind": "region"},
            "invalid_kind",
            "Le type doit valoir « commune » ou « epci » (ou être omis).",
        ),
        (
            {"q": "niort", "limit": "0"},
            "invalid_limit",
            "Le nombre de résultats doit être un entier entre 1 et 50.",
        ),
        (
            {"q": "niort", "limit": "beaucoup"},
            "invalid_limit",
            "Le nombre de résultats doit être un entier entre 1 et 50.",
        ),
        (
            {"q": "niort", "limit": "51"},
            "invalid_limit",
            "Le nombre de résultats doit être un entier entre 1 et 50.",
        ),
    ],
    ids=[
        "missing_case",
        "one_letter_case",
        "padded_case",
        "too_long_case",
        "kind_case",
        "zero_limit_case",
        "text_limit_case",
        "big_limit_case",
    ],
)
def test_bad_search_input_gets_a_french_structured_error(client, db, params, code, message):
    """A too short query or a bad parameter answers 422 {code, message} in French."""
    response = client.get(SEARCH, params)
    assert response.status_code == 422
    assert response.json() == {"code": code, "message": message}


def test_commune_by_insee_code(client, db, cog_sample):
    """A commune's facts, its EPCI and its former codes."""
    make_collectivite(Commune.objects.get(code="13055"), "marseille")
    response = client.get("/api/territoires/communes/13055")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("code", "name", "siren", "collectivite_slug")} == {
        "code": "13055",
        "name": "Marseille",
        "siren": "211300553",
        "collectivite_slug": "marseille",
    }
    assert body["departement"] == {"code": "13", "name": "Bouches-du-Rhône"}
    assert body["region"] == {"code": "93", "name": "Provence-Alpes-Côte d'Azur"}
    assert body["epci"] == {
        "siren": "200054807",
        "name": "Métropole d'Aix-Marseille-Provence",
        "kind": "METRO",
    }
    assert body["former_codes"][:3] == ["13201", "13202", "13203"]
    assert (body["requested_code"], body["former_code"]) == ("13055", None)


def test_commune_by_former_code(client, db, cog_sample):
    """A former code answers the current commune and says which code led there."""
    body = client.get("/api/territoires/communes/01340").json()
    assert (body["code"], body["name"], body["requested_code"], body["former_code"]) == (
        "01015",
        "Arboys en Bugey",
        "01340",
        "01340",
    )


def test_corsican_code_in_lower_case(client, db, cog_sample):
    """2a004 is read as 2A004."""
    assert client.get("/api/territoires/communes/2a004").json()["name"] == "Ajaccio"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (
            "99999",
            {
                "code": "commune_not_found",
                "message": "Aucune commune, actuelle ou ancienne, n'a le code INSEE 99999.",
            },
        ),
        (
            "1819",
            {
                "code": "invalid_code",
                "message": "« 1819 » " + NOT_INSEE,
            },
        ),
        (
            "abcde",
            {
                "code": "invalid_code",
                "message": "« abcde » " + NOT_INSEE,
            },
        ),
    ],
    ids=["unknown_case", "short_case", "letters_case"],
)
def test_unknown_or_malformed_commune_code_is_404(client, db, cog_sample, code, error):
    """An unknown or malformed code answers 404 with a French structured error."""
    response = client.get(f"/api/territoires/communes/{code}")
    assert response.status_code == 404
    assert response.json() == error


def test_epci_with_its_member_communes(client, db, cog_sample):
    """An EPCI answers with its members, sorted by name."""
    response = client.get("/api/territoires/epci/200036135")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["kind"], body["kind_label"], body["member_count"]) == (
        "CC Coeur de France",
        "CC",
        "Communauté de communes",
        19,
    )
    names = [member["name"] for member in body["members"]]
    assert names == sorted(names)
    assert {
        "code": "18197",
        "name": "Saint-Amand-Montrond",
        "population": 9899,
        "postal_codes": ["18200"],
        "departement_code": "18",
    } in body["members"]


@pytest.mark.parametrize(
    ("siren", "error"),
    [
        (
            "200000000",
            {
                "code": "epci_not_found",
                "message": "Aucune intercommunalité n'a le SIREN 200000000.",
            },
        ),
        (
            "2000",
            {
                "code": "invalid_siren",
                "message": "« 2000 » n'est pas un numéro SIREN (9 chiffres).",
            },
        ),
    ],
    ids=["unknown_case", "malformed_case"],
)
def test_unknown_or_malformed_siren_is_404(client, db, cog_sample, siren, error):
    """An unknown or malformed SIREN answers 404 with a French structured error."""
    response = client.get(f"/api/territoires/epci/{siren}")
    assert response.status_code == 404
    assert response.json() == error
