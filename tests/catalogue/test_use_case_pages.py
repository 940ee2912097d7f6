"""Use-case pages: the list by axis, and a use case with its figures, solutions and
feedback from towns of similar size first."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from territoria.catalogue.enums import Axis, FigureKind, Metric, Moderation, Unit
from tests.catalogue.factories import (
    make_feedback,
    make_figure,
    make_solution,
    make_tag,
    make_use_case,
)
from tests.factories import make_commune

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_list_groups_use_cases_by_axis_with_published_solution_counts(client):
    """Each of the six axes is a section; counts include only published solutions."""
    leaks = make_use_case("Détection des fuites d'eau", Axis.NETWORKS)
    make_use_case("Budget participatif", Axis.SOCIAL)
    make_solution(use_cases=[leaks])
    make_solution(use_cases=[leaks])
    make_solution(use_cases=[leaks], status=Moderation.SUBMITTED)
    response = client.get(reverse("catalogue:use_case_list"))
    assert response.status_code == 200
    text = _text(response)
    headings = re.findall(r'<h2 id="axe-(\w+)">', response.content.decode())
    assert headings == list(Axis.values)
    assert "2 besoins qu'une collectivité peut couvrir" in text
    assert "Optimisation des réseaux (1)" in text
    assert "Développement économique (0)" in text
    assert "Détection des fuites d&#x27;eau</a> </h3> <p>Détection" in text
    assert "2 solutions publiées" in text
    assert "Aucune solution publiée" in text


def test_use_case_page_shows_every_part(client):
    """What, why, how, for whom, prerequisites, figures with sources, solutions, slots."""
    use_case = make_use_case(
        "Détection des fuites d'eau", population_min=2000, population_max=50_000,
        indicators="Rendement du réseau", cost_driver="compteurs équipés",
        regulatory_drivers="Décret fuites 2012", risks="Pannes de capteurs",
    )  # fmt: skip
    use_case.prerequisites.set([make_tag("lorawan", name="Réseau LoRaWAN")])
    make_figure(use_case, Metric.SAVING, "10", "35", label="Économie sur l'eau")
    make_figure(
        use_case, Metric.CAPEX, "80", "80", Unit.EUR, basis="par compteur", label="Capteur",
        kind=FigureKind.HYPOTHESIS, source_title="", source_url="", note="Prix catalogue.",
    )  # fmt: skip
    make_solution("Capteurs Alpha", use_cases=[use_case], slug="alpha")
    make_solution("Brouillon caché", use_cases=[use_case], status=Moderation.DRAFT)
    response = client.get(use_case.get_absolute_url())
    assert response.status_code == 200
    text = _text(response)
    for expected in [
        "<h1>Détection des fuites d&#x27;eau</h1>",
        "De 2\xa0000 à 50\xa0000 habitants",
        "Des fuites coûteuses et invisibles sur le réseau.",
        "Des capteurs relèvent les débits",
        "Rendement du réseau",
        "compteurs équipés",
        "Décret fuites 2012",
        "Pannes de capteurs",
        '<span class="badge">Réseau LoRaWAN</span>',
        "<strong>10 à 35\xa0%</strong>",
        "<strong>80\xa0€ par compteur</strong>",
        "Prix catalogue.",
        'name="s" value="alpha"',
        'Comparer <span class="visually-hidden">Capteurs Alpha</span>',
        "Feuille de route",
        "Le module Feuille de route montrera ici",
        "Financements",
        "Aucun programme de financement ne nomme ce cas d'usage",
    ]:
        assert expected in text, expected
    assert "Brouillon caché" not in text


def test_unknown_use_case_is_404(client):
    """An unknown slug answers 404."""
    response = client.get(reverse("catalogue:use_case", kwargs={"slug": "inconnu"}))
    assert response.status_code == 404


@pytest.fixture
def feedback_use_case(world):
    use_case = make_use_case(slug="fuites")
    vierzon = make_commune("18279", "Vierzon", population=26_000)
    make_feedback(use_case, world.niort.commune, started_on=datetime.date(2020, 1, 1))
    make_feedback(use_case, world.orval.commune, started_on=datetime.date(2018, 1, 1))
    make_feedback(use_case, vierzon, started_on=datetime.date(2022, 1, 1))
    make_feedback(use_case, vierzon, title="Non modéré", status=Moderation.SUBMITTED)
    return use_case


def _towns(response) -> list[str]:
    return re.findall(
        r'<p class="catalogue-feedback-town">\s*<strong>([^<]+)</strong>',
        response.content.decode(),
    )


@pytest.mark.parametrize(
    "persona,towns,intro",
    [
        (None, ["Vierzon", "Niort", "Orval"], "Les plus récents d'abord."),
        ("agent_saint_amand", ["Orval", "Vierzon", "Niort"],
         "taille proche de Saint-Amand-Montrond (9\xa0899 habitants) d'abord."),
        ("elu_niort", ["Niort", "Vierzon", "Orval"],
         "taille proche de Niort (60\xa0000 habitants) d'abord."),
    ],
    ids=["visitor_case", "saint_amand_case", "niort_case"],
)  # fmt: skip
def test_feedback_from_towns_of_similar_size_first(client, world, feedback_use_case, persona,
                                                   towns, intro):  # fmt: skip
    """Members see feedback sorted by closeness of population; visitors, newest first;
    unmoderated feedback never shows."""
    if persona:
        client.force_login(getattr(world, persona))
    response = client.get(feedback_use_case.get_absolute_url())
    assert _towns(response) == towns
    assert intro in _text(response)
    assert "Non modéré" not in _text(response)


def test_feedback_shows_its_facts_without_its_author(client, world):
    """Feedback shows the town, population, costs, indicator, method, lessons and evidence."""
    use_case = make_use_case()
    make_feedback(
        use_case, world.saint_amand.commune, author=world.agent_saint_amand,
        capex_actual="120000", opex_actual="8000", indicator="Pertes en eau",
        value_before="100 m³/j", value_after="65 m³/j", method="Relevés mensuels 2017-2018",
        would_do_again=True, lessons="Commencer petit.",
        evidence_url="https://www.banquedesterritoires.fr/localtis",
    )  # fmt: skip
    text = _text(client.get(use_case.get_absolute_url()))
    for expected in [
        "<strong>Saint-Amand-Montrond</strong>",
        "(9\xa0899 habitants au moment du projet)",
        "120\xa0000 €",
        "8\xa0000 € par an",
        "Pertes en eau : avant 100 m³/j, après 65 m³/j",
        "Relevés mensuels 2017-2018",
        "<dt>Referait le projet</dt> <dd> Oui </dd>",
        "Commencer petit.",
        '<a href="https://www.banquedesterritoires.fr/localtis" rel="noopener noreferrer">'
        "Localtis, 19 décembre 2018</a>",
    ]:
        assert expected in text, expected
    assert world.agent_saint_amand.email not in text
    assert "Agnès Agent" not in text


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_use_case_page_queries_do_not_grow_with_content(client, world):
    """The page issues the same number of queries for 1 or 8 solutions and feedback."""
    client.force_login(world.agent_saint_amand)
    use_case = make_use_case(slug="fuites")
    make_solution(use_cases=[use_case]).references.set([world.orval.commune])
    make_feedback(use_case, world.orval.commune)
    make_figure(use_case)
    few = _count_queries(client, use_case.get_absolute_url())
    for index in range(7):
        make_solution(use_cases=[use_case]).references.set([world.niort.commune])
        make_feedback(use_case, world.niort.commune, title=f"Retour {index}")
        make_figure(use_case)
    assert _count_queries(client, use_case.get_absolute_url()) == few
    assert _count_queries(client, reverse("catalogue:use_case_list")) <= few
