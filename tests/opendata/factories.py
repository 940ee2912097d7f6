"""Datasets of Saint-Amand-Montrond with private canaries in every source."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from territoria.opendata import actions
from territoria.opendata.enums import Frequency, Source, Theme
from territoria.participation.models import Campaign, Project
from territoria.sensors.enums import DeviceKind, Quantity, SiteKind
from tests.reports.factories import make_category, make_report
from tests.sensors.factories import make_device, make_fleet, make_site

CANARY_EMAIL = "canari.donnees@exemple.fr"
CANARY_PHONE = "0611223344"
CANARY_NAME = "Canari Divulgué"
CANARY_HIDDEN_TEXT = "Texte masqué par la modération canari"
CANARIES = [CANARY_EMAIL, CANARY_PHONE, CANARY_NAME, CANARY_HIDDEN_TEXT]

SUBVENTIONS_HEADER = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,"
    "idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,"
    "datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide"
)
VALID_ROW = (
    "Ville de Saint-Amand-Montrond,21180197500007,2025-02-03,D-12,Association A,"
    "89912345600019,,Animation,4500,aide en numéraire,unique,2025-03-01,,non,0.45,"
)


def subventions_csv(*rows: str) -> bytes:
    return ("\n".join([SUBVENTIONS_HEADER, *rows]) + "\n").encode()


def metadata(**extra) -> dict:
    return {
        "title": "Jeu de test",
        "description": "Un jeu de données de test.",
        "keywords": "test, données",
        "theme": Theme.GOVE,
        "frequency": Frequency.MONTHLY,
        "contact_name": "Service données ouvertes",
        "contact_email": "donnees@saint-amand.example",
        "temporal_start": datetime.date(2025, 1, 1),
        "temporal_end": datetime.date(2025, 12, 31),
        **extra,
    }


def upload_result(actor, collectivite, content: bytes, schema="scdl-subventions", **extra):
    return actions.upload_dataset(
        actor, collectivite, SimpleUploadedFile("fichier.csv", content, "text/csv"), schema,
        **metadata(**extra),
    )  # fmt: skip


def upload(actor, collectivite, content: bytes, schema="scdl-subventions", **extra):
    """(dataset, errors) of an upload."""
    result = upload_result(actor, collectivite, content, schema, **extra)
    return result.dataset, result.errors


def add_daily(device, quantity: int, days: int, start=datetime.date(2025, 6, 1), value=100.0):
    """Daily rollup rows written as the ingestion writes them."""
    rows = []
    for i in range(days):
        day = int(
            datetime.datetime.combine(
                start + datetime.timedelta(days=i), datetime.time(), tzinfo=datetime.UTC
            ).timestamp()
        )
        rows.append((day, device.pk, quantity, 24, value + i, 0.0, value + i, day + 3600, 1.0))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO sensors_daily (day, device_id, quantity, n, total, minimum, maximum, "
            "last_ts, last_value) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


def source_data(collectivite, citizen):
    """Reports, a participatory budget, people counters and car parks, with canaries."""
    from territoria.reports.enums import Publication

    category = make_category(collectivite, "eclairage", "Éclairage public")
    for i in range(3):
        make_report(
            category, reporter=citizen, reporter_email=CANARY_EMAIL, reporter_name=CANARY_NAME,
            reporter_phone=CANARY_PHONE, description=f"Lampadaire éteint n° {i}",
            address="Place de la République",
        )  # fmt: skip
    make_report(
        category, publication=Publication.HIDDEN, description=CANARY_HIDDEN_TEXT,
        reporter_email=CANARY_EMAIL,
    )  # fmt: skip
    make_report(category, publication=Publication.UNCONFIRMED, description=CANARY_HIDDEN_TEXT)
    campaign = Campaign.objects.create(
        collectivite=collectivite, slug="bp-2025", title="Budget participatif 2025",
        envelope=50000, rule="approval", results_published_at=timezone.now(),
    )  # fmt: skip
    for rank, (title, votes) in enumerate([("Jardin partagé", 120), ("Aire de jeux", 80)], 1):
        Project.objects.create(
            collectivite=collectivite, campaign=campaign, title=title, description="Projet",
            author=citizen, author_name=CANARY_NAME, status="selected", cost=20000,
            votes=votes, rank=rank,
        )  # fmt: skip
    fleet, _key = make_fleet(collectivite)
    beach = make_site(collectivite, "Place du marché", SiteKind.STREET, latitude=46.72,
                      longitude=2.50)  # fmt: skip
    counter = make_device(fleet, "CPT-1", DeviceKind.PEOPLE_COUNTER, site=beach)
    add_daily(counter, Quantity.PEOPLE_COUNT, 10)
    park = make_site(collectivite, "Parking de la gare", SiteKind.CAR_PARK, capacity=120,
                     latitude=46.73, longitude=2.51)  # fmt: skip
    gate = make_device(fleet, "PARK-1", DeviceKind.CAR_PARK, site=park)
    add_daily(gate, Quantity.OCCUPIED, 10, value=40.0)


def generated(actor, collectivite, source, **extra):
    return actions.create_generated_dataset(
        actor, collectivite, source, **metadata(title=f"Jeu {source}", **extra)
    )


ALL_SOURCES = [s for s in Source if s != Source.UPLOAD]
