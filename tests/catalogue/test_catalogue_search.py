"""The catalogue search: French stemming, accents, facets and their counts, sorting."""

from decimal import Decimal

import pytest

from territoria.catalogue.enums import (
    Axis,
    Hosting,
    LicenceKind,
    Maturity,
    Metric,
    Moderation,
    Unit,
)
from territoria.catalogue.models import Solution
from territoria.catalogue.search import reindex, search, stem, terms
from territoria.territories.models import Region
from tests.catalogue.factories import (
    make_figure,
    make_provider,
    make_solution,
    make_tag,
    make_use_case,
)


@pytest.mark.parametrize(
    ("word", "same_as"),
    [
        pytest.param("fuites", "fuite", id="plural_case"),
        pytest.param("compteurs", "compteur", id="agent_noun_plural_case"),
        pytest.param("comptage", "compteur", id="derivation_case"),
        pytest.param("eclairage", "éclairage", id="accent_case"),
        pytest.param("éclairer", "éclairage", id="verb_case"),
        pytest.param("réseaux", "réseau", id="eaux_plural_case"),
        pytest.param("locaux", "local", id="aux_plural_case"),
        pytest.param("connectées", "connecté", id="feminine_participle_case"),
        pytest.param("intelligente", "intelligents", id="adjective_case"),
    ],
)
def test_stem_joins_inflections(word, same_as):
    """Plurals, feminines, accents and common derivations share one stem."""
    assert terms(word) == terms(same_as)


def test_stem_keeps_short_words_and_numbers():
    """Short words and numbers are left alone, and stop words are dropped."""
    assert stem("eau") == "eau"
    assert stem("2024") == "2024"
    assert terms("Détection des fuites d'eau") == ["detect", "fuit", "eau"]


@pytest.fixture
def catalogue(db):
    leaks = make_use_case("Détection des fuites d'eau", axis=Axis.NETWORKS, slug="fuites")
    lighting = make_use_case(
        "Éclairage public intelligent", axis=Axis.ENVIRONMENT, slug="eclairage"
    )
    lorawan = make_tag("lorawan", name="LoRaWAN")
    region = Region.objects.create(code="24", name="Centre-Val de Loire")
    provider = make_provider("Hydro Exemple SARL", region=region)
    aqua = make_solution(
        "Aquaveille",
        use_cases=[leaks],
        provider=provider,
        summary="Capteurs acoustiques sur les compteurs du réseau",
        licence_kind=LicenceKind.OPEN_SOURCE,
        secnumcloud=True,
        purchase_channels=["ugap", "group"],
        population_min=2_000,
        population_max=20_000,
    )
    aqua.standards.set([lorawan])
    lumen = make_solution(
        "Lumen",
        use_cases=[lighting],
        summary="Télégestion des lampadaires",
        hosting=Hosting.EU,
        maturity=Maturity.MAINSTREAM,
        population_min=50_000,
    )
    both = make_solution(
        "Citéo",
        use_cases=[leaks, lighting],
        summary="Plateforme des réseaux urbains",
        purchase_channels=["direct"],
    )
    hidden = make_solution(
        "Brouillon secret",
        use_cases=[leaks],
        summary="Fuites introuvables zorglub",
        status=Moderation.SUBMITTED,
    )
    make_figure(aqua, Metric.CAPEX, "8000", "15000", Unit.EUR)
    make_figure(aqua, Metric.SAVING, "20", "40", Unit.PERCENT)
    make_figure(aqua, Metric.PAYBACK, "2", "4", Unit.YEARS)
    make_figure(lumen, Metric.CAPEX, "60000", "90000", Unit.EUR)
    make_figure(lumen, Metric.SAVING, "50", "70", Unit.PERCENT)
    make_figure(lumen, Metric.PAYBACK, "5", "9", Unit.YEARS)
    for solution in (aqua, lumen, both):
        solution.refresh_summary()
    reindex([aqua.pk])  # standards were set after the factory indexed the solution
    return {"aqua": aqua, "lumen": lumen, "both": both, "hidden": hidden}


def names(result) -> list[str]:
    return [solution.name for solution in result.solutions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("fuites", ["Aquaveille", "Citéo"], id="plural_finds_singular_case"),
        pytest.param("fuite", ["Aquaveille", "Citéo"], id="singular_case"),
        pytest.param("eclairage", ["Citéo", "Lumen"], id="no_accent_finds_accent_case"),
        pytest.param("ÉCLAIRAGE", ["Citéo", "Lumen"], id="upper_case_case"),
        pytest.param("compteurs", ["Aquaveille"], id="summary_case"),
        pytest.param("hydro", ["Aquaveille"], id="provider_name_case"),
        pytest.param("lampadaire fuite", [], id="every_word_required_case"),
        pytest.param("citeo", ["Citéo"], id="name_case"),
    ],
)
def test_text_search_is_stemmed_and_accent_insensitive(catalogue, query, expected):
    """French words match their inflections, accents and case ignored, every word required."""
    assert sorted(names(search(query))) == expected


def test_unpublished_solutions_never_appear_nor_count(catalogue):
    """A solution awaiting moderation is neither found nor counted, its text included."""
    assert search("zorglub").total == 0
    result = search("fuites")
    assert result.total == 2
    assert result.counts["use_case"] == {"fuites": 2, "eclairage": 1}
    everything = search("")
    assert everything.total == 3
    assert "Brouillon secret" not in names(everything)


def test_unpublishing_removes_from_the_index(catalogue):
    """A solution taken off line disappears from results and counts at once."""
    aqua = catalogue["aqua"]
    aqua.status = Moderation.REJECTED
    aqua.save()
    assert names(search("fuites")) == ["Citéo"]
    assert "secnumcloud" not in search("").counts


def test_status_changed_without_reindex_never_leaks(catalogue):
    """A solution unpublished behind the index's back is still neither shown nor counted."""
    Solution.objects.filter(pk=catalogue["aqua"].pk).update(status=Moderation.REJECTED)
    everything = search("")
    assert (everything.total, names(everything)) == (2, ["Citéo", "Lumen"])
    assert "secnumcloud" not in everything.counts
    assert everything.counts["use_case"] == {"fuites": 1, "eclairage": 2}


def test_facet_counts_apply_the_other_facets_filters(catalogue):
    """Each facet is counted with the other facets' filters, not its own."""
    result = search("", {"axis": [Axis.ENVIRONMENT]})
    assert sorted(names(result)) == ["Citéo", "Lumen"]
    assert result.counts["axis"] == {"networks": 2, "environment": 2}
    assert result.counts["maturity"] == {"proven": 1, "mainstream": 1}
    combined = search("", {"axis": [Axis.ENVIRONMENT], "maturity": [Maturity.PROVEN]})
    assert names(combined) == ["Citéo"]
    assert combined.counts["axis"] == {"networks": 2, "environment": 1}
    assert combined.counts["maturity"] == {"proven": 1, "mainstream": 1}
    assert combined.total == 1


def test_values_of_one_facet_are_alternatives(catalogue):
    """Two values of the same facet widen the search; two facets narrow it."""
    result = search("", {"hosting": [Hosting.EU, Hosting.FRANCE]})
    assert result.total == 3
    narrowed = search("", {"hosting": [Hosting.EU, Hosting.FRANCE], "channel": ["ugap"]})
    assert names(narrowed) == ["Aquaveille"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"population": ["0-2000"]}, ["Citéo"], id="population_below_case"),
        pytest.param({"population": ["5000-20000"]}, ["Aquaveille", "Citéo"], id="overlap_case"),
        pytest.param({"population": ["100000-"]}, ["Citéo", "Lumen"], id="open_range_case"),
        pytest.param({"capex": ["0-10000"]}, ["Aquaveille"], id="capex_case"),
        pytest.param({"capex": ["50000-200000"]}, ["Lumen"], id="capex_band_case"),
        pytest.param({"capex": ["unknown"]}, ["Citéo"], id="capex_unknown_case"),
        pytest.param({"payback": ["3-7"]}, ["Aquaveille"], id="payback_case"),
        pytest.param({"payback": ["7-"]}, ["Lumen"], id="payback_long_case"),
        pytest.param({"licence": ["open_source"]}, ["Aquaveille"], id="licence_case"),
        pytest.param({"secnumcloud": ["yes"]}, ["Aquaveille"], id="secnumcloud_case"),
        pytest.param({"standard": ["lorawan"]}, ["Aquaveille"], id="standard_case"),
        pytest.param({"channel": ["group"]}, ["Aquaveille"], id="purchase_channel_case"),
        pytest.param({"region": ["24"]}, ["Aquaveille"], id="provider_region_case"),
        pytest.param({"use_case": ["eclairage"]}, ["Citéo", "Lumen"], id="use_case_case"),
    ],
)
def test_each_facet_filters(catalogue, filters, expected):
    """Every facet filters the published solutions by its own rule."""
    assert sorted(names(search("", filters))) == expected


def test_facet_choices_have_labels_and_selection(catalogue):
    """Facet choices carry French labels, counts and whether they are selected."""
    result = search("", {"region": ["24"]})
    region = next(facet for facet in result.facets if facet.key == "region")
    assert [(c.label, c.count, c.selected) for c in region.choices] == [
        ("Centre-Val de Loire", 1, True)
    ]
    use_case = next(facet for facet in result.facets if facet.key == "use_case")
    assert [(c.label, c.count) for c in use_case.choices] == [("Détection des fuites d'eau", 1)]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        pytest.param("name", ["Aquaveille", "Citéo", "Lumen"], id="name_case"),
        pytest.param("savings", ["Lumen", "Aquaveille", "Citéo"], id="savings_desc_case"),
        pytest.param("payback", ["Aquaveille", "Lumen", "Citéo"], id="payback_asc_case"),
    ],
)
def test_sorting(catalogue, sort, expected):
    """Sorts put the unknown values last."""
    assert names(search("", sort=sort)) == expected


def test_sorting_by_feedback_and_relevance(catalogue):
    """Feedback count sorts descending; relevance puts a name match first."""
    Solution.objects.filter(pk=catalogue["lumen"].pk).update(feedback_count=3)
    assert names(search("", sort="feedback")) == ["Lumen", "Aquaveille", "Citéo"]
    result = search("aquaveille fuites")
    assert (result.sort, names(result)) == ("relevance", ["Aquaveille"])
    Solution.objects.filter(pk=catalogue["aqua"].pk).update(description="Compatible Citéo.")
    reindex([catalogue["aqua"].pk])
    assert names(search("citeo")) == ["Citéo", "Aquaveille"]


def test_unknown_parameters_are_ignored_and_reported(catalogue):
    """Unknown facets, values and sorts are left out and listed, never an error."""
    result = search("", {"axis": ["moon", Axis.NETWORKS], "colour": ["blue"]}, sort="price")
    assert result.ignored == ["axis=moon", "colour=blue", "sort=price"]
    assert sorted(names(result)) == ["Aquaveille", "Citéo"]
    assert result.sort == "name"


def test_pagination_clamps_the_page(catalogue):
    """Pages hold the requested size; a page past the end shows the last one."""
    first = search("", per_page=2)
    assert (first.total, first.pages, names(first)) == (3, 2, ["Aquaveille", "Citéo"])
    last = search("", page=9, per_page=2)
    assert (last.page, names(last)) == (2, ["Lumen"])


def test_result_cards_carry_their_figures(catalogue):
    """Each result knows the figure behind its starting price, payback and saving."""
    aqua = search("aquaveille").solutions[0]
    assert aqua.capex_figure.value_min == Decimal("8000.00")
    assert aqua.payback_figure.value_max == Decimal("4.00")
    assert aqua.saving_figure.value_min == Decimal("20.00")
    assert search("citeo").solutions[0].capex_figure is None


def test_reindex_everything_rebuilds_the_same_counts(catalogue):
    """A full rebuild gives the same results as the incremental index."""
    before = search("").counts
    reindex()
    assert search("").counts == before
