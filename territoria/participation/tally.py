"""Vote rules and results of a participatory budget, on plain data.

`check_ballot` says whether a ballot respects the rule; `tally` counts ballots and
selects the winners: projects by decreasing votes, ties broken by the declared rule
(then by submission order, so the result is always total), each kept if it still fits
in the envelope — a project too costly for what is left is skipped and the next ones
are still considered.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

APPROVAL, BUDGET = "approval", "budget"
LOWER_COST, EARLIER = "lower_cost", "earlier"


@dataclass(frozen=True)
class Candidate:
    id: int
    cost: int
    order: int  # submission order, the last tie-break


class BallotRejected(Exception):
    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass
class Outcome:
    ballots: int
    counts: dict[int, int]
    ranking: list[int]
    winners: list[int]
    spent: int
    skipped: list[int] = field(default_factory=list)  # not elected for lack of money


def check_ballot(
    choices: Sequence[int],
    candidates: dict[int, Candidate],
    *,
    rule: str,
    envelope: int,
    max_projects: int | None,
) -> list[int]:
    """The ballot's project ids, sorted, or BallotRejected with a code."""
    if not choices:
        raise BallotRejected("empty_ballot")
    if len(set(choices)) != len(choices):
        raise BallotRejected("duplicate_choice")
    unknown = [c for c in choices if c not in candidates]
    if unknown:
        raise BallotRejected("unknown_project", ids=unknown)
    if rule == APPROVAL and max_projects is not None and len(choices) > max_projects:
        raise BallotRejected("too_many_projects", maximum=max_projects, given=len(choices))
    if rule == BUDGET:
        total = sum(candidates[c].cost for c in choices)
        if total > envelope:
            raise BallotRejected("over_envelope", total=total, envelope=envelope)
    return sorted(choices)


def count(ballots: Iterable[Sequence[int]]) -> Counter:
    counts: Counter = Counter()
    n = 0
    for choices in ballots:
        counts.update(choices)
        n += 1
    counts["__ballots__"] = n
    return counts


def tally(
    ballots: Iterable[Sequence[int]],
    candidates: Sequence[Candidate],
    *,
    envelope: int,
    tie_break: str = LOWER_COST,
) -> Outcome:
    counted = count(ballots)
    n = counted.pop("__ballots__")
    votes = {c.id: counted.get(c.id, 0) for c in candidates}
    if tie_break == LOWER_COST:
        key = lambda c: (-votes[c.id], c.cost, c.order, c.id)  # noqa: E731
    else:
        key = lambda c: (-votes[c.id], c.order, c.id)  # noqa: E731
    ranked = sorted(candidates, key=key)
    winners, skipped, spent = [], [], 0
    for c in ranked:
        if votes[c.id] == 0:
            continue
        if spent + c.cost <= envelope:
            winners.append(c.id)
            spent += c.cost
        else:
            skipped.append(c.id)
    return Outcome(n, votes, [c.id for c in ranked], winners, spent, skipped)
