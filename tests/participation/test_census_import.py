"""Census import: salted hashes only, every faulty line named, nothing half-imported."""

import pytest

from territoria.participation import budget_actions
from territoria.participation.census import import_census
from territoria.participation.models import CensusEntry, VoteCode
from tests.participation.factories import CENSUS, letter_codes, make_campaign


def test_the_census_is_stored_as_salted_hashes(world):
    """No name or birth date is stored; the same file in another campaign hashes apart."""
    first = make_campaign(world.saint_amand)
    second = make_campaign(world.saint_amand, slug="bp-2027")
    added, known, letters = import_census(first, world.agent_saint_amand, CENSUS)
    import_census(second, world.agent_saint_amand, CENSUS)
    assert (added, known, letters) == (3, 0, None)
    stored = " ".join(CensusEntry.objects.values_list("identity_hash", flat=True))
    for clear in ("Martin", "martin", "Camille", "1985", "12/04"):
        assert clear not in stored
    hashes = [
        set(CensusEntry.objects.filter(campaign=c).values_list("identity_hash", flat=True))
        for c in (first, second)
    ]
    assert hashes[0].isdisjoint(hashes[1])


def test_reimporting_adds_only_new_people_and_codes(world):
    """A second import of the same file adds nobody and issues no second code."""
    campaign = make_campaign(world.saint_amand)
    _a, _k, letters = import_census(campaign, world.agent_saint_amand, CENSUS, with_codes=True)
    again = import_census(campaign, world.agent_saint_amand, CENSUS, with_codes=True)
    assert len(letter_codes(letters)) == 3
    assert again[:2] == (0, 3)
    assert letter_codes(again[2]) == []
    assert VoteCode.objects.count() == 3


def test_faulty_lines_are_listed_and_nothing_is_imported(world):
    """Each faulty line is named in French and the file is refused as a whole."""
    campaign = make_campaign(world.saint_amand)
    text = (
        "nom,prenom,date_naissance\n"
        "Martin,Camille,12/04/1985\n"
        ",Léa,03/11/1990\n"
        "Petit,Hugo,31/02/1972\n"
        "MARTIN,camille,1985-04-12\n"
    )
    with pytest.raises(budget_actions.LineErrors) as refused:
        import_census(campaign, world.agent_saint_amand, text)
    assert refused.value.lines == [
        "Ligne 3 : le nom et le prénom sont obligatoires.",
        "Ligne 4 : date de naissance « 31/02/1972 » illisible (attendu JJ/MM/AAAA).",
        "Ligne 5 : même personne qu'à la ligne 2.",
    ]
    assert CensusEntry.objects.count() == 0


def test_a_file_without_the_columns_is_refused(world):
    """A file missing required columns names them."""
    campaign = make_campaign(world.saint_amand)
    with pytest.raises(budget_actions.LineErrors) as refused:
        import_census(campaign, world.agent_saint_amand, "nom;ville\nA;B\n")
    assert refused.value.lines[0].startswith(
        "Ligne 1 : colonnes manquantes : date_naissance, prenom"
    )
