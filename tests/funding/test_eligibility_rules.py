"""Eligibility rules evaluated against real-shaped territories, with their trace."""

import pytest

from territoria.funding.eligibility import Conditions, Project, evaluate, validate_rules
from territoria.funding.perimeters import for_code, for_collectivite
from tests.funding.factories import DETR_RULES, make_named_list

DETR = Conditions(beneficiaries=("commune", "epci"), rules=tuple(DETR_RULES))


def _verdict(conditions, territory, project=None):
    return evaluate(conditions, territory, project)


@pytest.mark.django_db
def test_a_small_commune_is_eligible_to_detr(world):
    """Orval (1,900 inhabitants) meets DETR's population rule for small communes."""
    result = _verdict(DETR, for_collectivite(world.orval))
    assert result.verdict == "eligible"
    assert result.checks == [] and result.reasons == []


@pytest.mark.django_db
def test_a_medium_commune_is_probably_eligible_with_the_condition_to_check(world):
    """Saint-Amand-Montrond (9,899) is probably eligible: the financial-potential condition
    cannot be checked by a program and is listed to check."""
    result = _verdict(DETR, for_collectivite(world.saint_amand))
    assert result.verdict == "probable"
    assert result.checks == [
        "à vérifier : potentiel financier par habitant inférieur à 1,3 fois la moyenne de la strate"
    ]


@pytest.mark.django_db
def test_a_large_commune_is_not_eligible_and_the_trace_says_why(world):
    """Niort (60,000) fails every branch of DETR; the trace shows each failed condition."""
    result = _verdict(DETR, for_collectivite(world.niort))
    assert result.verdict == "ineligible"
    assert result.reasons == ["l'une des conditions suivantes"]
    failed = [line.text for line in result.lines if line.outcome is False and line.leaf]
    assert "population d'au plus 20\xa0000 habitants" in failed
    assert "bénéficiaire : intercommunalité" in failed


@pytest.mark.django_db
def test_an_epci_under_the_threshold_is_probably_eligible(world):
    """CC Coeur de France (19,000) meets the EPCI branch, with its conditions to check."""
    assert _verdict(DETR, for_collectivite(world.cc)).verdict == "probable"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("codes", "commune", "verdict"),
    [
        (["24"], "saint_amand", "eligible"),
        (["75"], "saint_amand", "ineligible"),
        (["24"], "niort", "ineligible"),
    ],
    ids=["inside_region_case", "other_region_case", "niort_outside_case"],
)
def test_a_regional_perimeter_contains_its_communes_only(world, codes, commune, verdict):
    """A programme of a région is open to the communes inside it, upwards only."""
    conditions = Conditions(scale="regions", codes=frozenset(codes))
    assert _verdict(conditions, for_collectivite(getattr(world, commune))).verdict == verdict


@pytest.mark.django_db
def test_an_epci_partly_inside_a_perimeter_is_flagged_to_check(world):
    """An EPCI with only some member communes inside the perimeter is 'to check'."""
    conditions = Conditions(scale="communes", codes=frozenset({"18197"}))
    result = _verdict(conditions, for_collectivite(world.cc))
    assert result.verdict == "probable"
    assert result.checks == ["territoire compris dans le périmètre du programme"]


@pytest.mark.django_db
def test_a_named_list_admits_its_towns_only(world):
    """Action Cœur de Ville admits the communes of its list and no others."""
    make_named_list(codes=["18197"])
    conditions = Conditions(named_list="action-coeur-de-ville", named_list_name="ACV")
    assert _verdict(conditions, for_collectivite(world.saint_amand)).verdict == "eligible"
    refused = _verdict(conditions, for_collectivite(world.orval))
    assert refused.reasons == ["commune du programme « ACV »"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("project", "verdict"),
    [
        (None, "eligible"),
        (Project(cost=150_000, expense_type="investment"), "eligible"),
        (Project(cost=50_000, expense_type="investment"), "ineligible"),
        (Project(cost=150_000, expense_type="operation"), "ineligible"),
    ],
    ids=["no_project_case", "big_investment_case", "too_small_case", "operation_case"],
)
def test_project_conditions_are_checked_against_the_project(world, project, verdict):
    """Minimum cost and expense type are decided with a project; without one, the
    territory is judged alone and they are listed as conditions for its projects."""
    conditions = Conditions(expense_types=("investment",), min_project_cost=100_000)
    territory = for_collectivite(world.saint_amand)
    result = _verdict(conditions, territory, project)
    assert result.verdict == verdict
    if project is None:
        assert result.project_conditions == [
            "dépense de type investissement",
            "coût du projet d'au moins 100\xa0000 €",
        ]


@pytest.mark.django_db
def test_a_territory_is_found_by_its_official_code(world):
    """INSEE codes find communes, SIREN codes find EPCI; other codes find nothing."""
    assert for_code("18197")[0].name == "Saint-Amand-Montrond"
    assert for_code("200036135")[0].name == "CC Coeur de France"
    assert for_code("99999") is None


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"population_max": -3}], "eligibility[0] : population_max doit être un nombre positif."),
        ([{"unknown": 1}], "eligibility[0] : une seule condition parmi"),
        ([{"any": []}], "eligibility[0] : any attend une liste non vide de règles."),
        ([{"kind_in": ["village"]}], "eligibility[0] : kind_in attend une liste non vide"),
        ([{"all": [{"check": ""}]}], "eligibility[0].all[0] : check attend un texte non vide."),
        ({"population_max": 3}, "eligibility : une liste de règles est attendue."),
    ],
    ids=["negative_case", "unknown_key_case", "empty_any_case", "bad_kind_case",
         "empty_check_case", "not_a_list_case"],
)  # fmt: skip
def test_malformed_rules_are_named_in_french(rules, message):
    """Each malformed rule is reported with where it is and what is wrong."""
    (problem,) = validate_rules(rules)
    assert problem.startswith(message)


def test_well_formed_rules_pass():
    """DETR's rules are well formed."""
    assert validate_rules(DETR_RULES) == []
