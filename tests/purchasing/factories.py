"""Group purchases for the tests: connected-bin sensors bought by communes of the
CC Coeur de France."""

from datetime import timedelta

from django.utils import timezone

from territoria.accounts.enums import Role
from territoria.purchasing import actions
from tests.catalogue.factories import make_use_case
from tests.factories import make_collectivite, make_commune, make_member

# Tiers written in the tender: 1 unit alone 140 €, from 50 units 120 €, from 150 105 €.
BIN_TIERS = [(1, 14_000), (50, 12_000), (150, 10_500)]


def make_campaign(world, *, open_=True, lots=None, **fields):
    use_case = make_use_case(slug="capteurs-remplissage-walker")
    values = {
        "title": "Capteurs de remplissage des bacs",
        "use_case": use_case,
        "needs_deadline": timezone.localdate() + timedelta(days=20),
        "open_to_epci": True,
        "shared_costs_cents": 300_000,
        "sharing_rule": {"quantity": 50, "inhabitants": 50},
        **fields,
    }
    campaign = actions.create_campaign(
        world.agent_cc,
        world.cc,
        lots=lots or [{"name": "Capteurs", "unit": "capteur", "tiers": BIN_TIERS}],
        **values,
    )
    if open_:
        actions.open_campaign(world.agent_cc, campaign)
    return campaign


def make_member_commune(code, name, population, world):
    commune = make_commune(code, name, population=population, epci=world.cc.epci)
    collectivite = make_collectivite(commune)
    agent = make_member(collectivite, Role.AGENT, f"agent@{collectivite.slug}.fr")
    return collectivite, agent


def join(campaign, user, collectivite, quantity, ref="DEL-2026-01"):
    lot = campaign.lots.get()
    return actions.join(
        user,
        campaign,
        collectivite,
        needs={lot.pk: quantity},
        deliberation_ref=ref,
        deliberation_date=timezone.localdate() - timedelta(days=10),
    )
