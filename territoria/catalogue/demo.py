"""Demonstration offers: fictitious providers and their solutions for the story use cases.

None of this is reference data: the providers do not exist (no SIREN), every offer and
provider is flagged `is_fictitious`, and every figure is a declared one whose source says
it is a fictitious declaration. Loading twice changes nothing.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from territoria.accounts.models import User
from territoria.catalogue import content
from territoria.catalogue.enums import (
    FigureKind,
    Hosting,
    LicenceKind,
    Maturity,
    Metric,
    Moderation,
    PurchaseChannel,
    Unit,
)
from territoria.catalogue.models import Figure, Provider, Solution, Tag, UseCase

DEMO_PROVIDER_EMAIL = "fournisseur@demo.test"

DECLARATION = "Déclaration du fournisseur (fictif, démonstration)"
FICTITIOUS = "Fournisseur fictif créé pour la démonstration de Territoria ; il n'existe pas."

PROVIDERS = {
    "exemple": ("Exemple SARL", "https://exemple-sarl.example"),
    "capteurs": ("Démo Capteurs SAS", "https://demo-capteurs.example"),
    "commerce": ("Commerce Local Démo SCOP", "https://commerce-local-demo.example"),
}

# slug, provider, name, use cases, standards, summary, figures
# (metric, label, low, high, unit, basis)
SOLUTIONS = [
    (
        "demo-capteurs-fuites", "capteurs", "AquaVeille (démo)", ["capteurs-fuites-eau"],
        ["lorawan"],
        "Têtes émettrices LoRaWAN pour compteurs d'eau et alertes de débit de nuit.",
        [
            (Metric.CAPEX, "Tête émettrice posée", 150, 220, Unit.EUR, "par compteur"),
            (Metric.OPEX, "Abonnement à la plateforme", 12, 18, Unit.EUR_PER_YEAR, "par compteur"),
            (Metric.SAVING, "Baisse de la facture d'eau", 15, 35, Unit.PERCENT,
             "de la facture d'eau des bâtiments équipés"),
            (Metric.PAYBACK, "Retour sur investissement", 1, 3, Unit.YEARS,
             "selon le prix de l'eau"),
        ],
    ),
    (
        "demo-bacs-connectes", "capteurs", "NiveauBac (démo)", ["capteurs-remplissage-conteneurs"],
        ["lorawan"],
        "Capteurs de remplissage à ultrasons et tournées de collecte optimisées.",
        [
            (Metric.CAPEX, "Capteur posé", 90, 140, Unit.EUR, "par conteneur"),
            (Metric.OPEX, "Abonnement et optimisation des tournées", 15, 25, Unit.EUR_PER_YEAR,
             "par conteneur"),
            (Metric.SAVING, "Kilomètres de collecte évités", 10, 25, Unit.PERCENT,
             "des km de collecte"),
        ],
    ),
    (
        "demo-stationnement", "exemple", "PlaceLibre (démo)",
        ["stationnement-minute", "guidage-stationnement"], ["lorawan"],
        "Capteurs de places et tableau de bord d'occupation en temps réel.",
        [
            (Metric.CAPEX, "Capteur de place posé", 250, 400, Unit.EUR, "par place"),
            (Metric.OPEX, "Abonnement", 20, 35, Unit.EUR_PER_YEAR, "par place"),
        ],
    ),
    (
        "demo-place-de-marche", "commerce", "Vitrine Locale (démo)", ["place-de-marche-locale"],
        [],
        "Place de marché des commerçants du centre-ville, retrait en boutique.",
        [
            (Metric.CAPEX, "Mise en place", 5000, 15000, Unit.EUR, "pour la commune"),
            (Metric.OPEX, "Abonnement", 2000, 6000, Unit.EUR_PER_YEAR, "pour la commune"),
        ],
    ),
    (
        "demo-comptage-plages", "capteurs", "CompteSable (démo)",
        ["comptage-frequentation-plages", "comptage-visiteurs-touristiques"], ["lorawan"],
        "Compteurs de personnes anonymes aux accès des plages, carte de remplissage publique.",
        [
            (Metric.CAPEX, "Compteur posé", 800, 1500, Unit.EUR, "par accès de plage"),
            (Metric.OPEX, "Abonnement et carte publique", 150, 300, Unit.EUR_PER_YEAR,
             "par compteur"),
        ],
    ),
    (
        "demo-signalement-open311", "exemple", "SignaleVite (démo)", ["signalement-citoyen"],
        ["open311", "rgaa"],
        "Application mobile de signalement compatible Open311 GeoReport v2.",
        [
            (Metric.OPEX, "Abonnement", 1500, 4000, Unit.EUR_PER_YEAR, "pour la commune"),
        ],
    ),
]  # fmt: skip


@transaction.atomic
def load() -> None:
    """Create or refresh the fictitious providers and offers (idempotent)."""
    needed = {slug for row in SOLUTIONS for slug in row[3]}
    if UseCase.objects.filter(slug__in=needed).count() < len(needed):
        content.load()
    providers = {}
    for key, (name, website) in PROVIDERS.items():
        providers[key], _ = Provider.objects.update_or_create(
            name=name,
            is_fictitious=True,
            defaults={"website": website, "description": FICTITIOUS, "siren": None},
        )
    # The demo's provider account manages the first fictitious provider.
    if account := User.objects.filter(email=DEMO_PROVIDER_EMAIL).first():
        next(iter(providers.values())).members.add(account)
    for slug, provider, name, use_cases, standards, summary, figures in SOLUTIONS:
        solution, created = Solution.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "provider": providers[provider],
                "summary": summary,
                "description": FICTITIOUS,
                "maturity": Maturity.PROVEN,
                "licence_kind": LicenceKind.PROPRIETARY,
                "hosting": Hosting.FRANCE,
                "purchase_channels": [PurchaseChannel.DIRECT, PurchaseChannel.GROUP],
                "status": Moderation.APPROVED,
                "is_fictitious": True,
            },
        )
        if created:
            Solution.objects.filter(pk=solution.pk).update(moderated_at=timezone.now())
        solution.use_cases.set(UseCase.objects.filter(slug__in=use_cases))
        solution.standards.set(Tag.objects.filter(slug__in=standards))
        wanted = [
            (metric, label, Decimal(low), Decimal(high), unit, basis)
            for metric, label, low, high, unit, basis in figures
        ]
        current = [
            (f.metric, f.label, f.value_min, f.value_max, f.unit, f.basis)
            for f in solution.figures.order_by("pk")
        ]
        if current != wanted:
            solution.figures.all().delete()
            Figure.objects.bulk_create(
                Figure(
                    solution=solution,
                    metric=metric,
                    label=label,
                    value_min=low,
                    value_max=high,
                    unit=unit,
                    basis=basis,
                    kind=FigureKind.DECLARED,
                    source_title=DECLARATION,
                )  # fmt: skip
                for metric, label, low, high, unit, basis in wanted
            )
        solution.refresh_summary()
