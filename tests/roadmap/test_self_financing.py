"""« Part autofinancée »: the share of what a plan spends that aid and savings pay, never
100 % when the town's own budget had to advance money."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from territoria.roadmap.optimiser import self_financed_share

money = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
year = st.builds(
    lambda capex, opex, aid, savings: SimpleNamespace(
        capex=capex, opex=opex, aid=aid, savings=savings
    ),
    money,
    money,
    money,
    money,
)


def _prefix_deficits(rows):
    running, deficits = 0.0, []
    for r in rows:
        running += r.capex + r.opex - r.aid - r.savings
        deficits.append(running)
    return deficits


@given(st.lists(year, min_size=1, max_size=12))
def test_the_share_is_a_share_and_100_only_without_an_advance(rows):
    share = self_financed_share(rows)
    assert 0.0 <= share <= 1.0
    spent = sum(r.capex + r.opex for r in rows)
    if spent > 0 and max(_prefix_deficits(rows)) > 1e-6 * spent:
        assert share < 1.0
    if all(d <= 0 for d in _prefix_deficits(rows)):
        assert share == 1.0


@given(st.lists(year, min_size=1, max_size=12), st.floats(min_value=1, max_value=1e6))
def test_a_first_year_paid_by_the_budget_lowers_the_share(rows, extra):
    first = SimpleNamespace(capex=extra, opex=0.0, aid=0.0, savings=0.0)
    assert self_financed_share([first, *rows]) < 1.0


def test_a_worked_example():
    """100 k€ invested in year 1 from the budget, 40 k€ saved each following year: the
    budget advanced 100 k€ of 100 k€ spent, so nothing was self-financed up front."""
    rows = [
        SimpleNamespace(capex=100_000, opex=0, aid=0, savings=0),
        SimpleNamespace(capex=50_000, opex=0, aid=0, savings=40_000),
        SimpleNamespace(capex=0, opex=0, aid=0, savings=40_000),
    ]
    # Spent 150 k€; the budget advanced at most 110 k€ (end of year 2): 40/150 financed.
    assert self_financed_share(rows) == 1 - 110_000 / 150_000
