"""Demonstration content of the reports module: zones, services, categories (waste
collection belongs to CC Coeur de France), and reports in every status."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from territoria.reports.enums import Datatype, Publication, Source, Status
from territoria.reports.models import (
    Category,
    Question,
    Report,
    ReportZone,
    Service,
    Update,
)

# slug: (centre latitude, longitude, half-width of the zone in metres) — town centres
# read on OpenStreetMap; the box is a deliberate over-approximation (docs/reports.md).
ZONES = {
    "arras": (50.2910, 2.7775, 4000),
    "cahors": (44.4475, 1.4419, 6000),
    "saint-amand-montrond": (46.7228, 2.5050, 4000),
    "cc-coeur-de-france": (46.7228, 2.5050, 20000),
}

# service: [(code, name, group, keywords, questions)]
COMMUNE_CATEGORIES = {
    "Voirie": [
        ("nid-de-poule", "Nid-de-poule, chaussée abîmée", "Voirie", "route,trou", []),
        ("trottoir", "Trottoir dégradé", "Voirie", "", []),
        ("signalisation", "Panneau ou feu tricolore", "Voirie", "feu,panneau", []),
    ],
    "Éclairage public": [
        (
            "eclairage",
            "Lampadaire en panne",
            "Éclairage",
            "lumière,lampadaire",
            [
                (
                    "etat",
                    "Le lampadaire est…",
                    Datatype.SINGLEVALUELIST,
                    True,
                    [
                        ["eteint", "éteint"],
                        ["clignote", "clignote"],
                        ["allume-jour", "allumé le jour"],
                    ],
                ),
                ("numero", "Numéro inscrit sur le poteau", Datatype.STRING, False, []),
            ],
        )
    ],
    "Propreté urbaine": [
        ("graffiti", "Tag ou graffiti", "Propreté", "", []),
        ("proprete", "Déchets sur la voie publique", "Propreté", "", []),
    ],
    "Espaces verts": [("espaces-verts", "Arbre, parc, jardin", "Espaces verts", "", [])],
}
EPCI_CATEGORIES = {
    "Collecte des déchets": [
        (
            "depot-sauvage",
            "Dépôt sauvage",
            "Déchets",
            "encombrants",
            [
                (
                    "volume",
                    "Volume estimé",
                    Datatype.SINGLEVALUELIST,
                    False,
                    [["petit", "moins d'un m³"], ["moyen", "1 à 3 m³"], ["grand", "plus de 3 m³"]],
                )
            ],
        ),
        ("bac-plein", "Conteneur ou colonne de tri plein", "Déchets", "verre,tri", []),
    ],
}

DESCRIPTIONS = {
    "nid-de-poule": "Un trou profond sur la chaussée, dangereux pour les vélos.",
    "trottoir": "Dalles soulevées sur le trottoir, difficile avec une poussette.",
    "signalisation": "Le feu piéton reste au rouge.",
    "eclairage": "Le lampadaire devant le numéro 12 ne s'allume plus depuis une semaine.",
    "graffiti": "Tag sur le mur de l'école.",
    "proprete": "Sacs de déchets laissés au pied de l'arbre.",
    "espaces-verts": "Une branche cassée pend au-dessus du banc.",
    "depot-sauvage": "Un canapé et des cartons déposés près des conteneurs.",
    "bac-plein": "La colonne à verre déborde.",
}
PLAN = [
    (Status.NEW, None),
    (Status.NEW, None),
    (Status.ACKNOWLEDGED, "Signalement transmis à l'équipe, intervention prévue cette semaine."),
    (Status.IN_PROGRESS, "Intervention en cours."),
    (Status.RESOLVED, "Réparé, merci pour votre signalement."),
    (Status.RESOLVED, "C'est fait."),
    (Status.NOT_RESOLVED, "Le matériel commandé n'est pas disponible avant deux mois."),
    (Status.NOT_RESPONSIBLE, "Ce point relève du département : nous lui avons transmis."),
]


def _categories(collectivite, catalogue, *, epci_competence=True):
    categories = []
    for order, (service_name, items) in enumerate(catalogue.items()):
        service, _ = Service.objects.get_or_create(collectivite=collectivite, name=service_name)
        for code, name, group, keywords, questions in items:
            category, _ = Category.objects.get_or_create(
                collectivite=collectivite,
                code=code,
                defaults={
                    "name": name,
                    "group": group,
                    "keywords": keywords,
                    "service": service,
                    "order": order,
                    "epci_competence": epci_competence,
                },
            )
            for position, (qcode, label, datatype, required, choices) in enumerate(
                questions, start=1
            ):
                Question.objects.get_or_create(
                    collectivite=collectivite,
                    category=category,
                    code=qcode,
                    defaults={
                        "label": label,
                        "datatype": datatype,
                        "required": required,
                        "choices": choices,
                        "order": position,
                    },
                )
            categories.append(category)
    return categories


def _reports(collectivite, categories, zone, commune, rng, count, source=Source.WEB):
    now = timezone.now()
    lat0, lon0 = zone.centre
    for index in range(count):
        category = categories[index % len(categories)]
        status, text = PLAN[index % len(PLAN)]
        created = now - datetime.timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 23))
        report = Report.objects.create(
            collectivite=category.collectivite,
            category=category,
            service=category.service,
            commune=commune,
            description=DESCRIPTIONS.get(category.code, category.name),
            address=f"{rng.randint(1, 80)} rue de la République",
            latitude=lat0 + rng.uniform(-0.012, 0.012),
            longitude=lon0 + rng.uniform(-0.015, 0.015),
            publication=Publication.PUBLISHED,
            status=status,
            source=source,
            reporter_email="habitante@demo.test",
            reporter_name="Habitante de démonstration",
            answers={"etat": "eteint"} if category.code == "eclairage" else {},
            created_at=created,
            updated_at=created,
            confirmed_at=created,
            supporters=rng.randint(0, 6),
        )
        if status == Status.NEW:
            continue
        acknowledged = created + datetime.timedelta(hours=rng.randint(2, 48))
        closed = acknowledged + datetime.timedelta(hours=rng.randint(12, 240))
        closing = status not in {Status.ACKNOWLEDGED, Status.IN_PROGRESS}
        Update.objects.create(
            collectivite=report.collectivite,
            report=report,
            text="" if closing else text,
            status_before=Status.NEW,
            status_after=Status.ACKNOWLEDGED if closing else status,
            created_at=acknowledged,
            notified_at=acknowledged,
        )
        if closing:
            Update.objects.create(
                collectivite=report.collectivite,
                report=report,
                text=text,
                status_before=Status.ACKNOWLEDGED,
                status_after=status,
                created_at=min(closed, now),
                notified_at=min(closed, now),
            )
        Report.objects.filter(pk=report.pk).update(
            acknowledged_at=acknowledged,
            closed_at=min(closed, now) if closing else None,
            updated_at=min(closed, now) if closing else acknowledged,
        )


@transaction.atomic
def load(collectivites) -> None:
    """Add this module's demo content; idempotent (nothing happens the second time)."""
    by_slug = {c.slug: c for c in collectivites}
    if ReportZone.objects.filter(collectivite__slug__in=ZONES).exists():
        return
    rng = random.Random(311)  # noqa: S311 - demo data, not security
    zones = {}
    for slug, (lat, lon, metres) in ZONES.items():
        if slug in by_slug:
            zone = ReportZone.around(by_slug[slug], lat, lon, metres=metres)
            zone.save()
            zones[slug] = zone
    epci = by_slug.get("cc-coeur-de-france")
    epci_categories = _categories(epci, EPCI_CATEGORIES) if epci else []
    for slug in ("arras", "cahors", "saint-amand-montrond"):
        if slug not in by_slug:
            continue
        collectivite = by_slug[slug]
        categories = _categories(collectivite, COMMUNE_CATEGORIES)
        count = {"arras": 24, "cahors": 12, "saint-amand-montrond": 10}[slug]
        source = Source.OPEN311 if slug == "cahors" else Source.WEB
        _reports(collectivite, categories, zones[slug], collectivite.commune, rng, count, source)
        if slug == "saint-amand-montrond" and epci_categories:
            _reports(epci, epci_categories, zones[slug], collectivite.commune, rng, 5)
