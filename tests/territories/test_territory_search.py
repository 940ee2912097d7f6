"""Territory search on the sample: names, codes, ranking and the result's shape."""

from django.db.models import Q

import pytest

from territoria.territories.models import Collectivite, Commune
from territoria.territories.search import name_matches, resolve, search
from tests.factories import make_collectivite


def codes(query, **options):
    return [result["code"] for result in search(query, **options)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("saint-etienne", "42218"),
        ("SAINT ÉTIENNE", "42218"),
        ("Saint Etienne", "42218"),
        ("st etienne du rouvray", "76575"),
        ("st-étienne-du-rouvray", "76575"),
        ("st amand montrond", "18197"),
        ("St-Amand-Montrond", "18197"),
        ("saint amand", "18197"),
        ("amand montrond", "18197"),
        ("montrond amand", "18197"),
        ("l'isle adam", "95313"),
        ("l’isle-adam", "95313"),
        ("lisle adam", "95313"),
        ("l isle adam", "95313"),
        ("isle adam", "95313"),
        ("ste marie", "97418"),
        ("sainte marie 35", "35294"),
        ("ajaccio 2a", "2A004"),
        ("niort", "79191"),
        ("coeur de france", "200036135"),
        ("cœur de france", "200036135"),
        ("stras", "67482"),
    ],
)
def test_names_are_found_whatever_their_spelling(db, cog_sample, query, first):
    """Case, accents, hyphens, apostrophes and St/Ste do not matter; words may come in
    any order and the département code may follow."""
    assert codes(query)[0] == first


@pytest.mark.parametrize("typed", ["saint a", "saint am", "saint amand m", "saint amand montr"])
def test_every_prefix_typed_keeps_the_commune_in_the_list(db, cog_sample, typed):
    """Each word is matched as a prefix, so incremental typing narrows the list."""
    assert "18197" in codes(typed, limit=50)


def test_every_word_of_the_query_starts_a_word_of_the_name(db, cog_sample):
    """ "sa ch" lists names with a word starting with "sa" and one starting with "ch"."""
    results = search("sa ch", limit=50)
    assert len(results) == 5
    for result in results:
        words = result["name"].lower().replace("-", " ").replace("'", " ").split()
        assert any(w.startswith("sa") for w in words) and any(w.startswith("ch") for w in words)


def test_ranking_exact_name_then_start_then_words_then_population(db, cog_sample):
    """An exact name comes first, then names starting with the query, then names merely
    containing its words; within each, the larger population first."""
    results = search("saint etienne", limit=10)
    assert [(r["code"], r["match"]) for r in results[:3]] == [
        ("42218", "name"),
        ("244200770", "name_start"),  # Saint-Étienne Métropole, 407,700 inhabitants
        ("76575", "name_start"),
    ]
    order = {"name": 0, "name_start": 1, "words": 2}
    keys = [(order[r["match"]], -r["population"]) for r in results]
    assert keys == sorted(keys)


def test_same_rank_is_ordered_by_population(db, cog_sample):
    """Two communes both named Sainte-Marie: the more populous first."""
    results = search("sainte marie")
    assert [(r["code"], r["population"]) for r in results[:2]] == [
        ("97418", 37093),
        ("35294", 2247),
    ]


def test_postal_code_finds_its_communes_most_populous_first(db, cog_sample):
    """A postal code lists its communes by population; 18200 gives Saint-Amand-Montrond
    first, not the commune whose INSEE code is 18200."""
    results = search("18200", limit=20)
    assert results[0]["code"] == "18197"
    assert results[0]["match"] == "postal_code"
    populations = [r["population"] for r in results]
    assert populations == sorted(populations, reverse=True)
    assert {r["code"] for r in results if r["match"] == "code"} == {"18200"}  # Saint-Bouize
    assert all("18200" in r["postal_codes"] for r in results if r["match"] == "postal_code")


def test_insee_code_match_is_kept_within_the_limit(db, cog_sample):
    """Saint-Bouize (INSEE 18200, 253 inhabitants) stays in a short list of 18200."""
    results = search("18200", limit=3)
    assert [r["code"] for r in results] == ["18197", "18172", "18200"]


def test_postal_code_prefix(db, cog_sample):
    """The start of a postal code lists the communes whose postal code starts so."""
    results = search("1820", limit=50)
    assert results[0]["code"] == "18197"
    assert all(any(p.startswith("1820") for p in r["postal_codes"]) for r in results)


@pytest.mark.parametrize(
    ("query", "code", "match"),
    [
        ("18197", "18197", "code"),
        ("2A004", "2A004", "code"),
        ("2a004", "2A004", "code"),
        ("211801972", "18197", "siren"),
        ("200036135", "200036135", "siren"),
        ("13201", "13055", "former_code"),
    ],
    ids=[
        "insee_case",
        "corsica_case",
        "corsica_lower_case",
        "commune_siren_case",
        "epci_siren_case",
        "arrondissement_case",
    ],
)
def test_codes_find_their_territory(db, cog_sample, query, code, match):
    """INSEE codes (Corsica's included), SIRENs and former codes find their territory."""
    result = search(query)[0]
    assert (result["code"], result["match"]) == (code, match)


def test_former_code_that_is_also_a_postal_code(db, cog_sample):
    """01340 is an ancien code of Arboys en Bugey: it is listed, with the former code."""
    result = next(r for r in search("01340") if r["match"] == "former_code")
    assert (result["code"], result["name"], result["former_code"]) == (
        "01015",
        "Arboys en Bugey",
        "01340",
    )


def test_kind_restricts_the_results(db, cog_sample):
    """kind="epci" lists only intercommunalités, kind="commune" only communes."""
    assert {r["kind"] for r in search("saint", kind="epci", limit=50)} == {"epci"}
    assert {r["kind"] for r in search("saint", kind="commune", limit=50)} == {"commune"}
    assert search("18200", kind="epci") == []


@pytest.mark.parametrize("query", ["", " ", "s", "1", "zzzzqx", "99999", "999999999", "--"])
def test_short_or_unknown_queries_return_nothing(db, cog_sample, query):
    """Fewer than two characters, or nothing matching, gives an empty list."""
    assert search(query) == []


def test_limit_is_respected(db, cog_sample):
    """No more results than asked for, and never more than 50."""
    assert len(search("saint", limit=3)) == 3
    assert len(search("s a", limit=500)) <= 50


def test_result_is_a_plain_dict_with_the_collectivite_slug(db, cog_sample):
    """A result carries the commune's facts and the slug of its registered collectivité."""
    make_collectivite(Commune.objects.get(code="18197"), "saint-amand-montrond")
    assert search("st amand montrond")[0] == {
        "kind": "commune",
        "code": "18197",
        "name": "Saint-Amand-Montrond",
        "label": "Saint-Amand-Montrond (18)",
        "departement_code": "18",
        "departement_name": "Cher",
        "postal_codes": ["18200"],
        "population": 9899,
        "siren": "211801972",
        "epci_siren": "200036135",
        "epci_name": "CC Coeur de France",
        "collectivite_slug": "saint-amand-montrond",
        "match": "name",
        "former_code": None,
    }


def test_epci_result(db, cog_sample):
    """An EPCI result has its SIREN as code and no département."""
    result = search("200036135")[0]
    assert result == {
        "kind": "epci",
        "code": "200036135",
        "name": "CC Coeur de France",
        "label": "CC Coeur de France (intercommunalité)",
        "departement_code": None,
        "departement_name": None,
        "postal_codes": [],
        "population": 18225,
        "siren": "200036135",
        "epci_siren": None,
        "epci_name": None,
        "collectivite_slug": None,
        "match": "siren",
        "former_code": None,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Amand-Montrond", "18197"),
        ("st amand montrond", "18197"),
        ("18197", "18197"),
        ("Saint-Amand-Montrond (18)", "18197"),
        ("Niort", "79191"),
        ("Sainte-Marie 974", "97418"),
    ],
)
def test_resolve_names_one_territory(db, cog_sample, text, expected):
    """Typed text naming exactly one territory resolves to it."""
    match, _candidates = resolve(text)
    assert match["code"] == expected


@pytest.mark.parametrize("text", ["Sainte-Marie", "18200", "saint", "zzzzqx"])
def test_resolve_refuses_to_guess(db, cog_sample, text):
    """Several equally good matches, or none, resolve to nothing."""
    match, _candidates = resolve(text)
    assert match is None


def test_name_matches_filters_the_registered_collectivites(db, cog_sample):
    """name_matches() narrows another table, here the registered collectivités."""
    make_collectivite(Commune.objects.get(code="18197"), "saint-amand-montrond")
    make_collectivite(Commune.objects.get(code="79191"), "niort")
    tokens = name_matches("st amand")
    found = Collectivite.objects.filter(
        Q(commune__in=tokens.values("commune_id")) | Q(epci__in=tokens.values("epci_id"))
    )
    assert list(found.values_list("slug", flat=True)) == ["saint-amand-montrond"]
