"""Group-purchase arithmetic on plain data, in cents: price tiers reached by the
aggregated volume, each member's share, its saving against buying alone, and the split
of shared costs by a rule, summing exactly to the total (largest remainder).
"""

from dataclasses import dataclass
from fractions import Fraction

RULES = ("quantity", "inhabitants", "equal")


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    unit_price_cents: int


def check_tiers(tiers: list[Tier]) -> list[str]:
    """French messages for tiers that are not a valid volume price list: the first
    starts at 1 unit (the price for a buyer alone), quantities strictly increase and
    prices never increase with volume."""
    problems = []
    if not tiers:
        return ["au moins un palier de prix est nécessaire"]
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    if ordered[0].min_quantity != 1:
        problems.append("le premier palier commence à 1 unité (le prix pour un acheteur seul)")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.min_quantity == before.min_quantity:
            problems.append(f"deux paliers commencent à {after.min_quantity} unités")
        elif after.unit_price_cents > before.unit_price_cents:
            problems.append(
                f"le prix monte entre {before.min_quantity} et {after.min_quantity} unités : "
                "un palier de volume ne peut que baisser le prix"
            )
    if any(t.unit_price_cents < 0 or t.min_quantity < 1 for t in tiers):
        problems.append("quantités et prix sont positifs")
    return problems


def tier_for(tiers: list[Tier], quantity: int) -> Tier:
    """The tier a volume reaches (the first tier for zero)."""
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    reached = ordered[0]
    for tier in ordered:
        if quantity >= tier.min_quantity:
            reached = tier
    return reached


def next_tier(tiers: list[Tier], quantity: int) -> tuple[Tier, int] | None:
    """The next cheaper tier and how many units are missing to reach it, or None."""
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        if tier.min_quantity > quantity:
            return tier, tier.min_quantity - quantity
    return None


def largest_remainder(total_cents: int, weights: list) -> list[int]:
    """Split total_cents in proportion to the weights, in whole cents that sum exactly
    to the total: floors first, then one more cent to the largest remainders (ties to
    the earlier member). All weights zero: equal shares."""
    if not weights:
        return []
    weights = [Fraction(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights are never negative")
    if sum(weights) == 0:
        weights = [Fraction(1)] * len(weights)
    total_weight = sum(weights)
    exact = [Fraction(total_cents) * w / total_weight for w in weights]
    shares = [int(e // 1) for e in exact]
    missing = total_cents - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in order[:missing]:
        shares[index] += 1
    return shares


def rule_weights(rule: dict[str, int], quantities: list[int], inhabitants: list[int]):
    """Per member, the weight of a mixed rule: each part (quantity, inhabitants, equal)
    is the member's fraction of that part, times the part's percentage."""
    count = len(quantities)
    parts = {
        "quantity": quantities,
        "inhabitants": inhabitants,
        "equal": [1] * count,
    }
    weights = [Fraction(0)] * count
    for name, percent in rule.items():
        values = parts[name]
        total = sum(values)
        for index in range(count):
            fraction = Fraction(values[index], total) if total else Fraction(1, count)
            weights[index] += Fraction(percent) * fraction
    return weights


def check_rule(rule: dict[str, int]) -> list[str]:
    if not rule or set(rule) - set(RULES):
        return ["la règle de partage combine quantités, habitants et parts égales"]
    if any(not isinstance(v, int) or v < 0 for v in rule.values()) or sum(rule.values()) != 100:
        return [
            "les parts de la règle de partage sont des pourcentages entiers dont la somme fait 100"
        ]
    return []


@dataclass(frozen=True)
class Member:
    key: object
    inhabitants: int
    quantities: dict  # lot key -> units


@dataclass
class Share:
    key: object
    lots_cents: dict  # lot key -> cents at the group price
    alone_cents: dict  # lot key -> cents at the price this member alone would reach
    shared_cents: int

    @property
    def total_cents(self) -> int:
        return sum(self.lots_cents.values()) + self.shared_cents

    @property
    def saving_cents(self) -> int:
        """Saving on the lots against buying the same quantities alone (shared costs
        are the price of buying together, so they count against the saving)."""
        return sum(self.alone_cents.values()) - self.total_cents


def shares(
    members: list[Member],
    lots: dict,  # lot key -> list[Tier] (or a fixed awarded price as [Tier(1, price)])
    shared_costs_cents: int,
    rule: dict[str, int],
    extra_volume: dict | None = None,  # lot key -> units bought by others (what-if)
) -> tuple[list[Share], dict]:
    """Each member's cost per lot at the tier the group reaches, its cost alone, and its
    part of the shared costs; with the group's volume and price per lot."""
    extra_volume = extra_volume or {}
    volumes = {
        lot: sum(m.quantities.get(lot, 0) for m in members) + extra_volume.get(lot, 0)
        for lot in lots
    }
    prices = {lot: tier_for(tiers, volumes[lot]).unit_price_cents for lot, tiers in lots.items()}
    weights = rule_weights(
        rule,
        [sum(m.quantities.values()) for m in members],
        [m.inhabitants for m in members],
    )
    shared = largest_remainder(shared_costs_cents, weights)
    result = []
    for member, part in zip(members, shared, strict=True):
        lots_cents, alone_cents = {}, {}
        for lot, tiers in lots.items():
            quantity = member.quantities.get(lot, 0)
            lots_cents[lot] = quantity * prices[lot]
            alone_cents[lot] = quantity * tier_for(tiers, quantity).unit_price_cents
        result.append(Share(member.key, lots_cents, alone_cents, part))
    return result, {"volumes": volumes, "prices": prices}
