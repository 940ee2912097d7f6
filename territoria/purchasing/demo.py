"""Demonstration of group purchasing: five communes of the CC Coeur de France buy
connected-bin sensors together, coordinated by the intercommunalité, and share its
LoRaWAN network. Prices and quantities are fictitious, for the demonstration."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from territoria.accounts.demo import DEMO_PASSWORD, demo_email
from territoria.accounts.enums import Role
from territoria.accounts.models import Membership, User
from territoria.catalogue.models import UseCase
from territoria.purchasing.enums import CampaignStatus, LegalType
from territoria.purchasing.models import (
    Campaign,
    Lot,
    Need,
    Participant,
    PriceTier,
    ServiceUse,
    SharedService,
)
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune

# Member communes of the CC Coeur de France registered for this demonstration.
COMMUNES = [("18172", "orval"), ("18086", "drevant"), ("18069", "colombiers"),
            ("18142", "meillant")]  # fmt: skip
# (slug, sensors, deliberation reference)
NEEDS = [
    ("saint-amand-montrond", 80, "DEL-2026-052"),
    ("orval", 25, "DEL-2026-017"),
    ("drevant", 10, "DEL-2026-009"),
    ("colombiers", 8, "DEL-2026-011"),
    ("meillant", 12, "DEL-2026-014"),
]
TITLE = "Capteurs de remplissage des bacs et colonnes (démonstration)"


def _communes() -> list[tuple[str, str]]:
    logins = []
    for code, slug in COMMUNES:
        commune = Commune.objects.get(code=code)
        collectivite, _ = Collectivite.objects.get_or_create(
            commune=commune,
            defaults={"slug": slug, "name": commune.name, "kind": CollectiviteKind.COMMUNE},
        )
        email = demo_email(Role.AGENT, collectivite.slug)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, DEMO_PASSWORD, full_name=f"Agent {collectivite.name}"
        )
        Membership.objects.get_or_create(
            user=user, collectivite=collectivite, defaults={"role": Role.AGENT}
        )
        logins.append((email, f"Agent — {collectivite.name} (achat groupé)"))
    return logins


@transaction.atomic
def load(collectivites) -> list[tuple[str, str]]:
    """Create (or keep) the demo groupement and shared service; returns extra logins."""
    epci = next((c for c in collectivites if c.slug == "cc-coeur-de-france"), None)
    use_case = UseCase.objects.filter(slug="capteurs-remplissage-conteneurs").first()
    if epci is None or use_case is None:
        return []
    logins = _communes()
    by_slug = {c.slug: c for c in Collectivite.objects.filter(slug__in=[n[0] for n in NEEDS])}
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        collectivite=epci,
        title=TITLE,
        defaults={
            "use_case": use_case,
            "legal_type": LegalType.SIMPLE,
            "status": CampaignStatus.OPEN,
            "open_to_epci": True,
            "needs_deadline": today + timedelta(days=21),
            "publication_date": today + timedelta(days=35),
            "award_date": today + timedelta(days=90),
            "shared_costs_cents": 150_000,
            "sharing_rule": {"quantity": 70, "inhabitants": 30},
            "legal_note": "Exemple fictif : prix, quantités et délibérations inventés pour la "
            "démonstration. Convention constitutive approuvée par chaque membre avant "
            "le lancement de la consultation.",
        },
    )
    if created:
        lot = Lot.objects.create(campaign=campaign, name="Capteurs de remplissage", unit="capteurs")
        PriceTier.objects.bulk_create(
            PriceTier(lot=lot, min_quantity=q, unit_price_cents=p)
            for q, p in [(1, 14_000), (50, 12_000), (150, 10_500), (300, 9_500)]
        )
        for slug, quantity, reference in NEEDS:
            participant = Participant.objects.create(
                campaign=campaign,
                collectivite=by_slug[slug],
                deliberation_ref=reference,
                deliberation_date=today - timedelta(days=12),
            )
            Need.objects.create(participant=participant, lot=lot, quantity=quantity)
    service, created = SharedService.objects.get_or_create(
        collectivite=epci,
        name="Réseau LoRaWAN intercommunal (démonstration)",
        year=today.year,
        defaults={
            "description": "Antennes, serveur de réseau et supervision, exploités par "
            "l'intercommunalité pour les capteurs de ses communes. Coût fictif.",
            "yearly_cost_cents": 1_200_000,
            "sharing_rule": {"quantity": 70, "inhabitants": 30},
        },
    )
    if created:
        for slug, quantity, _reference in NEEDS:
            ServiceUse.objects.create(service=service, commune=by_slug[slug], units=quantity + 5)
    return logins
