"""Demonstration content of the opendata module: Agen publishes two uploaded SCDL files
(fictitious rows) and its roadmap; other towns publish what their demo modules hold
(reports, parking, beach counters, participatory budget, consultation)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from territoria.accounts.models import User
from territoria.opendata import actions
from territoria.opendata.enums import Frequency, Source, Theme
from territoria.opendata.models import Dataset

DEMO_DIR = Path(settings.BASE_DIR) / "data" / "opendata" / "demo"

UPLOADS = {
    "agen": [
        (
            "agen_subventions_2025.csv",
            "scdl-subventions",
            {
                "title": "Subventions aux associations 2025 (démonstration)",
                "description": "Subventions attribuées par la Ville en 2025, au format SCDL "
                "Subventions. Données fictives de démonstration.",
                "keywords": "subventions, associations, SCDL",
                "theme": Theme.GOVE,
                "frequency": Frequency.ANNUAL,
                "temporal_start": datetime.date(2025, 1, 1),
                "temporal_end": datetime.date(2025, 12, 31),
            },
        ),
        (
            "agen_equipements.csv",
            "scdl-equipements",
            {
                "title": "Équipements collectifs (démonstration)",
                "description": "Équipements publics de la commune au format SCDL Équipements. "
                "Données fictives de démonstration.",
                "keywords": "équipements, SCDL, services publics",
                "theme": Theme.REGI,
                "frequency": Frequency.IRREGULAR,
            },
        ),
    ]
}

GENERATED = {
    "agen": [
        (Source.ROADMAP, "Projets de services intelligents", Theme.GOVE, Frequency.MONTHLY,
         "projets, territoire intelligent, feuille de route"),
    ],
    "saint-amand-montrond": [
        (Source.ROADMAP, "Projets de services intelligents", Theme.GOVE, Frequency.MONTHLY,
         "projets, territoire intelligent, feuille de route"),
    ],
    "arras": [
        (Source.REPORTS, "Signalements citoyens", Theme.REGI, Frequency.DAILY,
         "signalements, espace public, Open311"),
        (Source.CAR_PARKS, "Occupation des parkings", Theme.TRAN, Frequency.DAILY,
         "stationnement, parkings, capteurs"),
        (Source.BUDGET, "Résultats du budget participatif", Theme.GOVE, Frequency.ANNUAL,
         "budget participatif, participation"),
    ],
    "cahors": [
        (Source.REPORTS, "Signalements citoyens", Theme.REGI, Frequency.DAILY,
         "signalements, espace public, Open311"),
    ],
    "la-baule-escoublac": [
        (Source.PEOPLE_COUNTS, "Fréquentation des plages (comptages quotidiens)", Theme.TRAN,
         Frequency.DAILY, "comptage, plages, fréquentation"),
        (Source.COUNT_SITES, "Fréquentation des plages : sites de comptage", Theme.TRAN,
         Frequency.IRREGULAR, "comptage, plages, sites"),
        (Source.COUNT_CHANNELS, "Fréquentation des plages : compteurs", Theme.TRAN,
         Frequency.IRREGULAR, "comptage, plages, compteurs"),
    ],
    "niort": [
        (Source.CONSULTATIONS, "Résultats des consultations", Theme.GOVE, Frequency.IRREGULAR,
         "consultation, participation"),
    ],
}  # fmt: skip


def _contact(collectivite) -> dict:
    return {
        "contact_name": f"Service données ouvertes — {collectivite.name}",
        "contact_email": f"donnees@{collectivite.slug}.demo.test",
    }


def load(collectivites) -> None:
    """Add this module's demo content; idempotent (datasets are keyed by title)."""
    operator = User.objects.filter(is_staff=True).order_by("pk").first()
    by_slug = {c.slug: c for c in collectivites}
    for slug, uploads in UPLOADS.items():
        collectivite = by_slug.get(slug)
        if collectivite is None:
            continue
        for filename, schema, meta in uploads:
            if Dataset.objects.of(collectivite).filter(title=meta["title"]).exists():
                continue
            content = (DEMO_DIR / filename).read_bytes()
            uploaded = actions.upload_dataset(
                operator, collectivite, SimpleUploadedFile(filename, content, "text/csv"),
                schema, **meta, **_contact(collectivite),
            )  # fmt: skip
            assert not uploaded.errors, uploaded.errors
            actions.set_published(operator, uploaded.dataset, True)
    _agen_plan(by_slug.get("agen"))
    for slug, generated in GENERATED.items():
        collectivite = by_slug.get(slug)
        if collectivite is None:
            continue
        for source, title, theme, frequency, keywords in generated:
            if Dataset.objects.of(collectivite).filter(source=source).exists():
                continue
            dataset = actions.create_generated_dataset(
                operator, collectivite, source, title=title, theme=theme, frequency=frequency,
                keywords=keywords, description=_description(source, collectivite),
                **_contact(collectivite),
            )  # fmt: skip
            if dataset.row_count:  # empty sources stay drafts until they hold data
                actions.set_published(operator, dataset, True)


def _agen_plan(agen) -> None:
    """Agen's roadmap plan, made with the roadmap's own verb, so that its projects can be
    published."""
    from territoria.roadmap.actions import create_scenario
    from territoria.roadmap.models import Scenario

    if agen is None or Scenario.objects.filter(collectivite=agen).exists():
        return
    agent = User.objects.filter(email="agent.agen@demo.test").first()
    if agent is not None:
        create_scenario(agent, agen, "Plan de mandat")


def _description(source, collectivite) -> str:
    return {
        Source.ROADMAP: "Projets du plan pluriannuel en vigueur : cas d'usage, année de "
        "lancement, investissement et économie annuelle prévus.",
        Source.REPORTS: "Signalements publiés par les habitants, anonymisés (ni nom, ni "
        "courriel, ni téléphone) ; description publiée après modération.",
        Source.CAR_PARKS: "Occupation quotidienne moyenne et maximale des parkings équipés "
        "de capteurs.",
        Source.BUDGET: "Projets soumis au vote du budget participatif et leurs résultats.",
        Source.PEOPLE_COUNTS: "Passages quotidiens mesurés par les compteurs de personnes, au "
        "format national Comptage des mobilités (mesures).",
        Source.COUNT_SITES: "Sites des compteurs de personnes, au format national Comptage "
        "des mobilités (sites).",
        Source.COUNT_CHANNELS: "Compteurs de personnes et leur site, au format national "
        "Comptage des mobilités (canaux).",
        Source.CONSULTATIONS: "Décompte des réponses aux questions fermées des consultations "
        "closes dont les résultats sont publics.",
    }[source] + f" Producteur : {collectivite.name}."
