"""Group-purchase URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from datetime import timedelta

from django.utils import timezone

from territoria.purchasing.models import Campaign, Lot, Participant, PriceTier, SharedService
from tests.catalogue.factories import make_use_case

PUBLIC: set[str] = {"purchasing:home", "purchasing:campaign"}

DELIBERATION_CANARY = "DEL-CANARI-2026"
SERVICE_CANARY = "Service mutualisé canari"


def samples(world):
    """An open campaign of the CC Coeur de France with Saint-Amand-Montrond as a member
    (its deliberation is private to the groupement), a draft one, a shared service."""
    use_case = make_use_case(slug="achat-groupe-walker")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        collectivite=world.cc, title="Achat walker", use_case=use_case, status="open",
        needs_deadline=today + timedelta(days=10),
    )  # fmt: skip
    lot = Lot.objects.create(campaign=campaign, name="Lot walker")
    PriceTier.objects.create(lot=lot, min_quantity=1, unit_price_cents=1000)
    Participant.objects.create(
        campaign=campaign, collectivite=world.saint_amand, deliberation_ref=DELIBERATION_CANARY,
        deliberation_date=today,
    )  # fmt: skip
    draft = Campaign.objects.create(
        collectivite=world.saint_amand, title="Brouillon d'achat canari", use_case=use_case,
        needs_deadline=today + timedelta(days=10),
    )  # fmt: skip
    service = SharedService.objects.create(
        collectivite=world.cc, name=SERVICE_CANARY, yearly_cost_cents=1000, year=today.year
    )
    return {
        "purchasing:campaign": {"pk": draft.pk},
        "purchasing:join": {"pk": campaign.pk},
        "purchasing:invite": {"pk": campaign.pk},
        "purchasing:open": {"pk": draft.pk},
        "purchasing:freeze": {"pk": campaign.pk},
        "purchasing:award": {"pk": campaign.pk},
        "purchasing:close": {"pk": campaign.pk},
        "purchasing:convention_pdf": {"pk": campaign.pk},
        "purchasing:convention_csv": {"pk": campaign.pk},
        "purchasing:service": {"pk": service.pk},
        "CANARIES": [DELIBERATION_CANARY, "Brouillon d'achat canari", SERVICE_CANARY],
    }
