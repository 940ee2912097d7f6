"""The state of a groupement as its members and its convention need it: lots with the
tier reached and the next one, each member's needs, share and saving, the aggregated
value against the procurement threshold. The page, the PDF and the CSV read it."""

from dataclasses import dataclass

from django.utils import timezone

from territoria.purchasing import allocation
from territoria.purchasing.thresholds import Threshold, threshold


@dataclass
class LotState:
    lot: object
    volume: int
    unit_price_cents: int
    next_tier: allocation.Tier | None
    missing: int
    awarded: bool

    @property
    def value_cents(self) -> int:
        return self.volume * self.unit_price_cents


@dataclass
class MemberLine:
    participant: object
    inhabitants: int
    quantities: dict  # lot id -> units
    share: allocation.Share


@dataclass
class Convention:
    campaign: object
    lots: list[LotState]
    members: list[MemberLine]
    value_cents: int
    threshold: Threshold

    @property
    def over_threshold(self) -> bool:
        return self.value_cents >= self.threshold.amount_cents

    @property
    def total_cents(self) -> int:
        return sum(m.share.total_cents for m in self.members)

    @property
    def saving_cents(self) -> int:
        return sum(m.share.saving_cents for m in self.members)

    def line_for(self, collectivite) -> MemberLine | None:
        return next(
            (m for m in self.members if m.participant.collectivite_id == collectivite.pk), None
        )


def convention(campaign) -> Convention:
    lots = list(campaign.lots.prefetch_related("tiers").order_by("pk"))
    participants = list(
        campaign.participants.select_related(
            "collectivite__commune", "collectivite__epci"
        ).prefetch_related("needs")
    )
    members = [
        allocation.Member(
            key=p.pk,
            inhabitants=p.collectivite.population,
            quantities={n.lot_id: n.quantity for n in p.needs.all()},
        )
        for p in participants
    ]
    shares, group = allocation.shares(
        members,
        {lot.pk: lot.priced_tiers() for lot in lots},
        campaign.shared_costs_cents,
        campaign.rule(),
    )
    states = []
    for lot in lots:
        volume = group["volumes"][lot.pk]
        upcoming = (
            None
            if lot.awarded_unit_price_cents is not None
            else (allocation.next_tier(lot.price_list(), volume))
        )
        states.append(
            LotState(
                lot=lot,
                volume=volume,
                unit_price_cents=group["prices"][lot.pk],
                next_tier=upcoming[0] if upcoming else None,
                missing=upcoming[1] if upcoming else 0,
                awarded=lot.awarded_unit_price_cents is not None,
            )
        )
    lines = [
        MemberLine(p, m.inhabitants, m.quantities, s)
        for p, m, s in zip(participants, members, shares, strict=True)
    ]
    value = sum(s.value_cents for s in states) + campaign.shared_costs_cents
    day = campaign.publication_date or timezone.localdate()
    return Convention(campaign, states, lines, value, threshold(campaign.market_kind, day))
