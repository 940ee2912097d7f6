"""Group-purchase arithmetic: tiers, shares and the exact split of shared costs."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from territoria.purchasing.allocation import (
    Member,
    Tier,
    check_rule,
    check_tiers,
    largest_remainder,
    next_tier,
    shares,
    tier_for,
)

BINS = [Tier(1, 120_000), Tier(50, 105_000), Tier(200, 96_000)]

weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40)
totals = st.integers(min_value=0, max_value=10**11)


@given(totals, weights)
def test_largest_remainder_sums_exactly_to_the_total(total, parts):
    """Shares in cents always add up to the total, to the cent."""
    assert sum(largest_remainder(total, parts)) == total


@given(totals, weights)
def test_each_share_is_within_one_cent_of_its_exact_part(total, parts):
    """No member pays a cent more or less than its exact proportional part allows."""
    result = largest_remainder(total, parts)
    weight = sum(parts) or len(parts)
    for share, part in zip(result, parts if sum(parts) else [1] * len(parts), strict=True):
        exact = Fraction(total * part, weight)
        assert exact - 1 < share < exact + 1


@given(totals, weights)
def test_members_with_equal_weights_differ_by_at_most_a_cent(total, parts):
    """Equal weights give shares that differ by at most one cent."""
    result = largest_remainder(total, parts)
    by_weight = {}
    for share, part in zip(result, parts, strict=True):
        by_weight.setdefault(part, []).append(share)
    assert all(max(group) - min(group) <= 1 for group in by_weight.values())


def test_a_member_with_no_weight_pays_nothing():
    """Zero quantity, zero share (unless every weight is zero: equal shares)."""
    assert largest_remainder(1000, [0, 1, 1]) == [0, 500, 500]
    assert largest_remainder(1001, [0, 0, 0]) == [334, 334, 333]


def test_the_tier_reached_and_the_next_one():
    """120 bins reach the 50-unit tier; 80 more are missing for the 200-unit tier."""
    assert tier_for(BINS, 120) == Tier(50, 105_000)
    assert next_tier(BINS, 120) == (Tier(200, 96_000), 80)
    assert next_tier(BINS, 250) is None
    assert tier_for(BINS, 0) == Tier(1, 120_000)


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([Tier(10, 100)], "le premier palier commence à 1 unité"),
        ([Tier(1, 100), Tier(10, 120)], "le prix monte entre 1 et 10 unités"),
        ([Tier(1, 100), Tier(1, 90)], "deux paliers commencent à 1 unités"),
        ([], "au moins un palier de prix est nécessaire"),
    ],
    ids=["no_single_buyer_tier_case", "rising_price_case", "duplicate_tier_case", "empty_case"],
)
def test_invalid_price_lists_are_explained(tiers, message):
    """Non-monotone or incomplete price lists are refused with a French reason."""
    assert any(problem.startswith(message) for problem in check_tiers(tiers))


def test_rules_are_percentages_summing_to_100():
    """A sharing rule mixes known parts with whole percentages summing to 100."""
    assert check_rule({"quantity": 50, "inhabitants": 30, "equal": 20}) == []
    assert check_rule({"quantity": 60, "equal": 30}) != []
    assert check_rule({"height": 100}) != []


def test_members_share_lots_at_the_group_price_and_save_against_buying_alone():
    """Five communes buying 130 bins together reach the 50-unit tier: each pays the
    group price, saves against its own single-buyer price, and the shared costs are
    split per inhabitant to the cent."""
    members = [
        Member("saint-amand", 9899, {"bins": 60}),
        Member("orval", 1900, {"bins": 20}),
        Member("drevant", 600, {"bins": 10}),
        Member("la-groutte", 200, {"bins": 10}),
        Member("colombiers", 500, {"bins": 30}),
    ]
    result, group = shares(members, {"bins": BINS}, 1_000_001, {"inhabitants": 100})
    assert group == {"volumes": {"bins": 130}, "prices": {"bins": 105_000}}
    assert [s.lots_cents["bins"] for s in result] == [6_300_000, 2_100_000, 1_050_000,
                                                      1_050_000, 3_150_000]  # fmt: skip
    assert sum(s.shared_cents for s in result) == 1_000_001
    assert result[0].alone_cents["bins"] == 60 * 105_000  # 60 alone reach the 50 tier
    assert result[1].alone_cents["bins"] == 20 * 120_000
    assert result[1].saving_cents == 20 * 15_000 - result[1].shared_cents
