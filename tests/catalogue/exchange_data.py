"""A small catalogue exercising every column of the exchange format."""

import datetime
from decimal import Decimal

from territoria.catalogue.enums import FigureKind, LicenceKind, Metric, Moderation, Unit
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase
from territoria.territories.models import Region
from tests.catalogue.factories import (
    make_feedback,
    make_figure,
    make_provider,
    make_solution,
    make_tag,
    make_use_case,
)

CATALOGUE_MODELS = (Feedback, Figure, Solution, Provider, UseCase, Tag)


def build_catalogue(world) -> None:
    lorawan = make_tag("lorawan", Tag.Kind.PREREQUISITE, "Réseau LoRaWAN")
    open311 = make_tag("open311", Tag.Kind.STANDARD, "Open311 GeoReport v2")
    schema = make_tag("schema-irve", Tag.Kind.STANDARD, "Schéma national, avec « guillemets »")
    leaks = make_use_case(
        slug="fuites", title="Détection des fuites d'eau", cost_driver="compteurs",
        population_min=2000, population_max=100_000,
        risks="Ligne 1\nLigne 2, avec virgule ; et point-virgule",
    )  # fmt: skip
    leaks.prerequisites.set([lorawan])
    lighting = make_use_case(slug="eclairage", title="Éclairage intelligent")
    region = Region.objects.first()
    sarl = make_provider("Exemple SARL", siren="732829320", region=region, website="https://e.fr")
    make_provider("Homonyme", description="Sans SIREN")
    make_provider("Homonyme", description="Sans SIREN, second")
    published = make_solution(
        "Capteurs Exemple", slug="capteurs", use_cases=[leaks, lighting], provider=sarl,
        purchase_channels=["ugap", "group"], secnumcloud=True,
        licence_kind=LicenceKind.OPEN_SOURCE, licence_name="AGPL-3.0",
        code_url="https://code.exemple.fr", reversibility="Export CSV|JSON",
        submitted_at=datetime.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
        moderated_at=datetime.datetime(2025, 3, 2, 10, 0, tzinfo=datetime.UTC),
    )  # fmt: skip
    published.standards.set([open311, schema])
    published.references.set([world.saint_amand.commune, world.orval.commune])
    make_solution(
        "Offre refusée", slug="refusee", use_cases=[leaks], status=Moderation.REJECTED,
        rejection_reason="Chiffres sans source.",
    )  # fmt: skip
    make_solution("Brouillon", slug="brouillon", use_cases=[lighting], status=Moderation.DRAFT)
    make_figure(leaks, Metric.SAVING, "10", "35", Unit.PERCENT, basis="de la facture d'eau")
    make_figure(
        leaks, Metric.CAPEX, "1500.50", "1500.50", Unit.EUR, kind=FigureKind.HYPOTHESIS,
        source_title="", source_url="", source_date=None, note="Ordre de grandeur : devis.",
    )  # fmt: skip
    make_figure(
        published, Metric.CAPEX, "360", "3000", Unit.EUR, basis="par point lumineux",
        verified_at=datetime.datetime(2025, 4, 1, 8, 0, tzinfo=datetime.UTC),
    )  # fmt: skip
    make_feedback(
        leaks, world.saint_amand.commune, solution=published, collectivite=world.saint_amand,
        author=world.agent_saint_amand, capex_actual=Decimal("120000.00"),
        opex_actual=Decimal("8000.5"), indicator="Pertes en eau", value_before="100",
        value_after="65", method="Relevés mensuels, 2017–2018", would_do_again=True,
        lessons="Investir dans le réseau LoRaWAN d'abord.",
        evidence_url="https://www.banquedesterritoires.fr/localtis",
        started_on=datetime.date(2017, 6, 1),
    )  # fmt: skip
    make_feedback(leaks, world.niort.commune, title="Retour de Niort", status=Moderation.SUBMITTED)
    published.refresh_summary()


def empty_catalogue() -> None:
    for model in CATALOGUE_MODELS:
        model.objects.all().delete()
