"""Eligibility of the demo towns to real shipped programmes."""

import pytest

from territoria.funding import content
from territoria.funding.eligibility import Project
from territoria.funding.matching import compiled
from territoria.funding.perimeters import for_collectivite


@pytest.fixture
def shipped(shipped_catalogue):
    content.load()
    return {p.slug: p for p in compiled()}


def _verdict(shipped, slug, collectivite, project=None):
    from territoria.funding.eligibility import evaluate

    return evaluate(shipped[slug].conditions, for_collectivite(collectivite), project)


@pytest.mark.parametrize(
    ("commune", "verdict"),
    [("orval", "eligible"), ("saint_amand", "probable"), ("niort", "ineligible")],
    ids=["small_commune_case", "medium_commune_case", "large_commune_case"],
)
def test_detr_by_population(world, shipped, commune, verdict):
    """DETR: small communes are eligible, medium ones under a condition, large ones not."""
    assert _verdict(shipped, "detr", getattr(world, commune)).verdict == verdict


def test_petites_villes_de_demain_follows_the_published_list(world, shipped):
    """Saint-Amand-Montrond is on the Petites Villes de Demain list; Niort is not."""
    assert _verdict(shipped, "petites-villes-de-demain", world.saint_amand).verdict == "eligible"
    refused = _verdict(shipped, "petites-villes-de-demain", world.niort)
    assert refused.verdict == "ineligible"
    assert "Petites Villes de Demain" in refused.reasons[0]


def test_action_coeur_de_ville_follows_the_published_list(world, shipped):
    """Niort signed an Action Cœur de Ville convention; Orval did not."""
    assert _verdict(shipped, "action-coeur-de-ville", world.niort).verdict == "eligible"
    assert _verdict(shipped, "action-coeur-de-ville", world.orval).verdict == "ineligible"


@pytest.mark.parametrize(
    ("cost", "verdict"),
    [(None, "probable"), (200_000, "ineligible"), (600_000, "probable")],
    ids=["no_project_case", "too_small_case", "big_enough_case"],
)
def test_intracting_requires_a_minimum_amount_of_works(world, shipped, cost, verdict):
    """Intracting asks for works of at least 500,000 €."""
    project = Project(cost=cost, expense_type="investment") if cost else None
    assert _verdict(shipped, "bdt-intracting", world.saint_amand, project).verdict == verdict


def test_a_regional_programme_stays_in_its_region(world, shipped):
    """The fictitious Centre-Val de Loire call is open to Saint-Amand-Montrond, not Niort."""
    slug = "demo-region-centre-territoires-connectes"
    result = _verdict(shipped, slug, world.saint_amand)
    assert result.verdict == "eligible"
    assert "Projet d'au moins 10 000 € (règle fictive)" in result.project_conditions
    assert _verdict(shipped, slug, world.niort).verdict == "ineligible"
