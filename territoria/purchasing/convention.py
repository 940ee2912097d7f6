"""The state of a groupement as its members and its convention need it: lots with the
tier reached and the next one, each member's needs, share and saving, the aggregated
value against the procurement threshold. The page, the PDF and the CSV read it."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.purchasing import allocation
from territoria.purchasing.templatetags.purchasing_tags import euros
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
class Shortfall:
    """Buying together costs more than buying alone for some members (shared costs above
    the volume gain): who loses, and what each member would save if every lot reached its
    next tier with today's quantities (the missing units bought by a newcomer)."""

    losers: list[MemberLine]
    group_saving_cents: int
    steps: list[LotState]  # lots with a next tier, and the units missing to reach it
    saving_at_next_tier: dict  # participant pk -> cents, empty without a next tier
    group_saving_at_next_tier_cents: int | None

    @property
    def group_loses(self) -> bool:
        return self.group_saving_cents < 0

    def sentences(self, members: list[MemberLine], focus: MemberLine | None = None) -> list[str]:
        """The warning in words, the same on the page, in the PDF and in emails; focus
        speaks to one member about its own share."""
        said = []
        for line in [focus] if focus else self.losers:
            if line.share.saving_cents < 0:
                said.append(
                    _(
                        "%(name)s paierait %(amount)s de plus qu'en achetant seule : sa part "
                        "des frais communs dépasse ce que le prix de groupe lui fait gagner."
                    )
                    % {"name": _name(line), "amount": euros(-line.share.saving_cents)}
                )
        if self.group_loses:
            said.append(
                _(
                    "Le groupement dans son ensemble paierait %(amount)s de plus que si chaque "
                    "membre achetait seul."
                )
                % {"amount": euros(-self.group_saving_cents)}
            )
        if not self.steps:
            said.append(
                _(
                    "Il n'existe pas de palier de prix plus bas : seule une baisse des frais "
                    "communs ou une autre règle de partage peut corriger cette perte."
                )
            )
            return said
        for state in self.steps:
            said.append(
                _(
                    "Il manque %(missing)s %(unit)s au lot « %(lot)s » pour atteindre le palier "
                    "à %(price)s l'unité (un nouveau membre ou des besoins revus à la hausse)."
                )
                % {
                    "missing": state.missing,
                    "unit": state.lot.unit,
                    "lot": state.lot.name,
                    "price": euros(state.next_tier.unit_price_cents),
                }
            )
        shown = [focus] if focus else sorted(members, key=lambda m: m.share.saving_cents)
        outcomes = [
            _("%(name)s %(verb)s %(amount)s")
            % {
                "name": _name(line),
                "verb": _("économiserait") if saving >= 0 else _("perdrait encore"),
                "amount": euros(abs(saving)),
            }
            for line in shown
            for saving in [self.saving_at_next_tier[line.participant.pk]]
        ]
        said.append(
            _(
                "À ce palier, avec les quantités d'aujourd'hui : %(outcomes)s ; "
                "le groupement %(verb)s %(amount)s."
            )
            % {
                "outcomes": ", ".join(outcomes),
                "verb": _("économiserait")
                if self.group_saving_at_next_tier_cents >= 0
                else _("perdrait encore"),
                "amount": euros(abs(self.group_saving_at_next_tier_cents)),
            }
        )
        return said


def _name(line: MemberLine) -> str:
    return line.participant.collectivite.name


@dataclass
class Convention:
    campaign: object
    lots: list[LotState]
    members: list[MemberLine]
    value_cents: int
    threshold: Threshold
    shortfall: Shortfall | None = None

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
    result = Convention(campaign, states, lines, value, threshold(campaign.market_kind, day))
    result.shortfall = _shortfall(result, members, campaign)
    return result


def _shortfall(data: Convention, members, campaign) -> Shortfall | None:
    losers = [line for line in data.members if line.share.saving_cents < 0]
    if not losers and data.saving_cents >= 0:
        return None
    steps = [state for state in data.lots if state.next_tier]
    at_next, group_at_next = {}, None
    if steps:
        shares, _ = allocation.shares(
            members,
            {state.lot.pk: state.lot.priced_tiers() for state in data.lots},
            campaign.shared_costs_cents,
            campaign.rule(),
            extra_volume={state.lot.pk: state.missing for state in steps},
        )
        at_next = {
            line.participant.pk: share.saving_cents
            for line, share in zip(data.members, shares, strict=True)
        }
        group_at_next = sum(at_next.values())
    return Shortfall(losers, data.saving_cents, steps, at_next, group_at_next)
