"""Vote rules and results on plain data."""

import pytest

from territoria.participation import tally
from territoria.participation.tally import BallotRejected, Candidate

CANDIDATES = {1: Candidate(1, 40, 0), 2: Candidate(2, 70, 1), 3: Candidate(3, 5, 2)}


@pytest.mark.parametrize(
    ("choices", "rule", "code"),
    [
        ([], "budget", "empty_ballot"),
        ([1, 1], "budget", "duplicate_choice"),
        ([1, 99], "budget", "unknown_project"),
        ([1, 2], "budget", "over_envelope"),
        ([1, 2, 3], "approval", "too_many_projects"),
    ],
    ids=["empty_case", "duplicate_case", "foreign_case", "envelope_case", "approval_max_case"],
)
def test_bad_ballots_are_rejected_with_a_code(choices, rule, code):
    """A ballot breaking the rule is rejected with the rule's code."""
    with pytest.raises(BallotRejected) as refused:
        tally.check_ballot(choices, CANDIDATES, rule=rule, envelope=100, max_projects=2)
    assert refused.value.code == code


def test_a_valid_ballot_is_sorted():
    """A valid ballot comes back as sorted project ids."""
    assert tally.check_ballot(
        [3, 1], CANDIDATES, rule="budget", envelope=100, max_projects=None
    ) == [1, 3]


def test_winners_fill_the_envelope_skipping_what_no_longer_fits():
    """Projects are taken by votes; one too costly for what is left is skipped."""
    outcome = tally.tally([[2], [2], [2], [1], [1], [3]], list(CANDIDATES.values()), envelope=100)
    assert outcome.ranking == [2, 1, 3]
    assert outcome.winners == [2, 3]
    assert outcome.skipped == [1]
    assert outcome.spent == 75
    assert outcome.ballots == 6


@pytest.mark.parametrize(
    ("tie_break", "first"),
    [("lower_cost", 3), ("earlier", 1)],
    ids=["lower_cost_case", "earlier_case"],
)
def test_ties_follow_the_declared_rule(tie_break, first):
    """Equal votes are ordered by the declared tie-break."""
    outcome = tally.tally([[1, 3]], list(CANDIDATES.values()), envelope=45, tie_break=tie_break)
    assert outcome.ranking[0] == first
    assert outcome.counts == {1: 1, 2: 0, 3: 1}


def test_projects_without_votes_never_win():
    """A project nobody chose is not elected even if money is left."""
    outcome = tally.tally([[3]], list(CANDIDATES.values()), envelope=1000)
    assert outcome.winners == [3]
