"""Demo collectivités: the towns of the product's stories, on the real COG data."""

from django.db import transaction

from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune

# INSEE code, slug, short description.
DEMO_COMMUNES = [
    (
        "18197",
        "saint-amand-montrond",
        "Capteurs de fuites sur le réseau d'eau, puis bacs connectés, "
        "stationnement intelligent et place de marché locale.",
    ),
    (
        "62041",
        "arras",
        "Signalements et idées des habitants depuis leur téléphone, stationnement connecté.",
    ),
    ("46042", "cahors", "Signalements reçus par une application Open311."),
    ("79191", "niort", "Boîte à idées numérique et consultations en ligne."),
    ("47001", "agen", "Données ouvertes au cœur de la stratégie."),
    ("44055", "la-baule-escoublac", "Comptage en temps réel de la fréquentation des plages."),
]


@transaction.atomic
def load() -> list[Collectivite]:
    """Create (or keep) the demo collectivités; returns them, the EPCI first."""
    created = []
    saint_amand = Commune.objects.select_related("epci").get(code="18197")
    epci = saint_amand.epci
    collectivite, _ = Collectivite.objects.get_or_create(
        epci=epci,
        defaults={
            "slug": "cc-coeur-de-france",
            "name": epci.name,
            "kind": CollectiviteKind.EPCI,
            "description": "Intercommunalité de Saint-Amand-Montrond : une instance pour toutes "
            "ses communes.",
        },
    )
    created.append(collectivite)
    for code, slug, description in DEMO_COMMUNES:
        commune = Commune.objects.get(code=code)
        collectivite, _ = Collectivite.objects.get_or_create(
            commune=commune,
            defaults={
                "slug": slug,
                "name": commune.name,
                "kind": CollectiviteKind.COMMUNE,
                "description": description,
            },
        )
        created.append(collectivite)
    return created
