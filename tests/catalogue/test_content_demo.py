"""Demonstration offers: clearly fictitious providers and solutions with declared figures,
loaded idempotently; a vendor declaration needs a source title but no address."""

from django.core.exceptions import ValidationError

import pytest

from territoria.catalogue import content, demo
from territoria.catalogue.enums import FigureKind, Metric, Moderation, Unit
from territoria.catalogue.models import Figure, Provider, Solution
from tests.catalogue.factories import make_use_case
from tests.catalogue.test_catalogue_content import make_reference_communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_demo():
    make_reference_communes()
    content.load()
    demo.load()


def _state():
    return (
        sorted(Provider.objects.values_list("pk", "name", "website")),
        sorted(Solution.objects.values_list("pk", "slug", "provider_id", "status")),
        sorted(Figure.objects.filter(solution__isnull=False).values_list("pk", "label")),
        sorted(Solution.use_cases.through.objects.values_list("solution_id", "usecase_id")),
    )


def test_demo_offers_cover_the_story_use_cases(loaded_demo):
    """Leak sensors, bins, parking, marketplace, beach counters and Open311 have an offer."""
    for use_case in (
        "capteurs-fuites-eau", "capteurs-remplissage-conteneurs", "stationnement-minute",
        "place-de-marche-locale", "comptage-frequentation-plages", "signalement-citoyen",
    ):  # fmt: skip
        assert (
            Solution.objects.published()
            .filter(use_cases__slug=use_case, is_fictitious=True)
            .exists()
        ), use_case
    leak = Solution.objects.get(slug="demo-capteurs-fuites")
    assert leak.saving_percent == 25
    assert leak.capex_min == 150


def test_demo_data_is_marked_fictitious(loaded_demo):
    """Every demo provider is fictitious with no SIREN; every figure is a declared one."""
    providers = Provider.objects.filter(solutions__slug__startswith="demo-").distinct()
    assert providers.count() == 3
    assert not providers.filter(is_fictitious=False).exists()
    assert not providers.exclude(siren=None).exists()
    figures = Figure.objects.filter(solution__slug__startswith="demo-")
    assert figures.count() == 14
    for figure in figures:
        assert figure.kind == FigureKind.DECLARED
        assert figure.source_title == "Déclaration du fournisseur (fictif, démonstration)"
        assert figure.source_url == ""
        figure.full_clean()
    solutions = Solution.objects.filter(slug__startswith="demo-")
    assert set(solutions.values_list("is_fictitious", "status")) == {(True, Moderation.APPROVED)}


def test_demo_load_is_idempotent(loaded_demo):
    """Loading the demo offers again keeps the same rows and figures."""
    before = _state()
    demo.load()
    assert _state() == before


def test_demo_load_brings_the_reference_use_cases_when_missing():
    """On an empty catalogue, the demo loads the reference content first."""
    make_reference_communes()
    demo.load()
    assert Solution.objects.filter(slug="demo-signalement-open311", is_fictitious=True).exists()
    assert Solution.objects.filter(slug="fixmystreet", is_fictitious=False).exists()


@pytest.mark.parametrize(
    ("kind", "title", "url", "errors"),
    [
        pytest.param(FigureKind.DECLARED, "Déclaration du fournisseur", "", None,
                     id="declared_without_address_case"),
        pytest.param(FigureKind.DECLARED, "", "", {"source_title": [
            "Un chiffre déclaré doit citer la déclaration du fournisseur."]},
            id="declared_without_title_case"),
        pytest.param(FigureKind.ESTIMATED, "Localtis", "", {"source_url": [
            "Un chiffre qui n'est pas une hypothèse doit citer sa source (titre et adresse)."]},
            id="estimated_without_address_case"),
        pytest.param(FigureKind.MEASURED, "", "https://exemple.fr/rapport", {"source_url": [
            "Un chiffre qui n'est pas une hypothèse doit citer sa source (titre et adresse)."]},
            id="measured_without_title_case"),
    ],
)  # fmt: skip
def test_figure_sources_by_kind(kind, title, url, errors):
    """A declaration needs only its title; a published figure needs title and address."""
    figure = Figure(
        use_case=make_use_case(), metric=Metric.CAPEX, label="Capteur", value_min=100,
        value_max=200, unit=Unit.EUR, kind=kind, source_title=title, source_url=url,
    )  # fmt: skip
    if errors is None:
        figure.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            figure.full_clean()
        assert caught.value.message_dict == errors
