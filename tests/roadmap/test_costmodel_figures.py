"""The cost model reads the catalogue's figures with their basis: per unit × a unit
count, per-town totals scaled with the population, yearly running costs as such."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territoria.roadmap import costmodel

USE_CASES = json.loads(
    (Path(costmodel.__file__).parents[1] / "data/catalogue/use_cases.json").read_text()
)
BY_SLUG = {uc["slug"]: uc for uc in USE_CASES}


def profile(population, bases=None, **extra):
    bases = bases or {}
    return {
        "population": population,
        "generic_capex_eur_per_inhabitant": 2,
        "generic_opex_percent": 10,
        "cost_bases": {
            key: {"amount_eur": amount, "label": key, "is_hypothesis": True}
            for key, amount in bases.items()
        },
    } | extra


def test_per_town_totals_scale_with_the_population():
    """A figure « pour une commune d'environ 10 000 habitants » doubles for 20 000."""
    wifi = BY_SLUG["wifi-public"]
    small = costmodel.economics(wifi, profile(10_000))
    large = costmodel.economics(wifi, profile(20_000))
    assert small.capex == (10_000, 20_000, 30_000)
    assert large.capex == (20_000, 40_000, 60_000)
    assert large.opex == (2_000, 5_000, 8_000)
    texts = " ".join(line.text for line in large.lines if line.what == "Investissement")
    assert "ramené à 20\u00a0000 habitants" in texts


def test_per_unit_figures_are_multiplied_by_a_labelled_unit_count():
    """« par compteur » × one meter per 100 inhabitants, the count named as a hypothesis."""
    eco = costmodel.economics(BY_SLUG["capteurs-fuites-eau"], profile(9_900))
    assert eco.units == 99
    assert eco.capex == (9_900, 19_800, 29_700)
    capex_line = next(line for line in eco.lines if line.what == "Investissement")
    assert "99 compteurs communaux" in capex_line.text
    assert "un compteur communal" in capex_line.note


def test_yearly_running_costs_are_read_in_euros_per_year():
    """An opex figure in €/year is used as such, not as a share of the investment."""
    eco = costmodel.economics(BY_SLUG["capteurs-fuites-eau"], profile(10_000))
    assert eco.opex == (2_000, 4_000, 6_000)
    opex_line = next(line for line in eco.lines if line.what == "Fonctionnement")
    assert opex_line.kind == "hypothesis"
    assert "d'environ 10 000 habitants" in opex_line.text


def test_a_percentage_of_the_investment_is_kept_when_the_source_states_it():
    """Video protection's running cost is 30 % of its investment, as its source says."""
    eco = costmodel.economics(BY_SLUG["videoprotection"], profile(10_000))
    assert eco.opex == pytest.approx(tuple(v * 0.3 for v in eco.capex))


def test_the_profile_percentage_is_a_fallback_hypothesis():
    """Without any opex figure, the profile's percentage applies, labelled hypothesis."""
    uc = {"slug": "sans-chiffres", "figures": []}
    eco = costmodel.economics(uc, profile(1_000))
    assert eco.generic_capex
    assert eco.opex == pytest.approx(tuple(v * 0.1 for v in eco.capex))
    assert {line.kind for line in eco.lines} == {"hypothesis"}


def test_a_stated_absence_of_saving_is_said_so():
    """« aucune économie directe » saves nothing and says so with its source figure."""
    eco = costmodel.economics(BY_SLUG["wifi-public"], profile(10_000))
    assert eco.saving == (0, 0, 0)
    assert eco.no_direct_saving and not eco.has_saving_figure


def test_yearly_savings_of_a_smaller_town_are_scaled():
    """13 000 € a year saved by a town of 4 500 inhabitants: 26 000 € for 9 000."""
    eco = costmodel.economics(BY_SLUG["eclairage-a-la-demande"], profile(9_000))
    assert eco.saving == pytest.approx((26_000, 26_000, 26_000))


def test_every_line_names_its_kind_and_source():
    """Every line of every use case says its kind, and a source unless a hypothesis
    of this module that explains itself."""
    bases = {key: v[0] * 10_000 for key, v in costmodel.COST_BASIS_DEFAULTS.items()}
    for uc in USE_CASES:
        for line in costmodel.economics(uc, profile(10_000, bases)).lines:
            assert line.kind in {"measured", "declared", "estimated", "hypothesis", "territory"}
            assert line.source_title or line.note, (uc["slug"], line)


populations = st.integers(min_value=1, max_value=2_000_000)
base_amounts = st.fixed_dictionaries(
    {key: st.floats(min_value=0, max_value=1e7) for key in costmodel.COST_BASIS_DEFAULTS}
)


@settings(max_examples=60, deadline=None)
@given(population=populations, bases=base_amounts, slug=st.sampled_from(sorted(BY_SLUG)))
def test_ranges_are_ordered(population, bases, slug):
    """low ≤ central ≤ high for capex, opex and saving, whatever the territory."""
    eco = costmodel.economics(BY_SLUG[slug], profile(population, bases))
    for low, central, high in (eco.capex, eco.opex, eco.saving):
        assert 0 <= low <= central <= high


@settings(max_examples=60, deadline=None)
@given(
    small=populations, extra=populations, bases=base_amounts, slug=st.sampled_from(sorted(BY_SLUG))
)
def test_costs_grow_with_the_population(small, extra, bases, slug):
    """A larger territory never costs less nor saves less on the same cost bases."""
    a = costmodel.economics(BY_SLUG[slug], profile(small, bases))
    b = costmodel.economics(BY_SLUG[slug], profile(small + extra, bases))
    for before, after in ((a.capex, b.capex), (a.opex, b.opex), (a.saving, b.saving)):
        assert all(x <= y * (1 + 1e-9) for x, y in zip(before, after, strict=True))
