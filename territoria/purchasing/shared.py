"""Shared services of an EPCI: the yearly cost split among member communes by the same
rules as group purchases (usage, inhabitants, equal shares)."""

from dataclasses import dataclass

from territoria.purchasing.allocation import largest_remainder, rule_weights

DEFAULT_RULE = {"quantity": 100}


@dataclass
class StatementLine:
    commune: object
    units: int
    inhabitants: int
    share_cents: int


def statement(service) -> list[StatementLine]:
    uses = list(service.uses.select_related("commune__commune", "commune__epci"))
    uses.sort(key=lambda use: use.commune.name)
    weights = rule_weights(
        service.sharing_rule or DEFAULT_RULE,
        [use.units for use in uses],
        [use.commune.population for use in uses],
    )
    shares = largest_remainder(service.yearly_cost_cents, weights)
    return [
        StatementLine(use.commune, use.units, use.commune.population, share)
        for use, share in zip(uses, shares, strict=True)
    ]
