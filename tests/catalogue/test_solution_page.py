"""A solution's page: every fact of the offer; unpublished offers known only to their
provider and to operators."""

import re

from django.urls import reverse

import pytest

from territoria.catalogue.enums import Hosting, LicenceKind, Metric, Moderation, Unit
from tests.catalogue.factories import (
    make_feedback,
    make_figure,
    make_provider,
    make_solution,
    make_tag,
    make_use_case,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_published_solution_shows_every_fact(client, world):
    """Provider, use cases, maturity, licence, hosting, standards, channels, references,
    statements, figures with provenance and feedback."""
    use_case = make_use_case("Détection des fuites d'eau")
    provider = make_provider("Exemple SARL", website="https://exemple.fr")
    solution = make_solution(
        "Capteurs Exemple", use_cases=[use_case], provider=provider,
        description="Des capteurs acoustiques.", licence_kind=LicenceKind.OPEN_SOURCE,
        licence_name="AGPL-3.0", code_url="https://code.exemple.fr", hosting=Hosting.FRANCE,
        secnumcloud=True, purchase_channels=["ugap", "group"],
        reversibility="Export CSV complet.", accessibility="Conforme RGAA 4.1 à 80 %.",
        security="Analyse d'impact RGPD fournie.", population_min=5000,
    )  # fmt: skip
    solution.standards.set([make_tag("lorawan", name="LoRaWAN")])
    solution.references.set([world.saint_amand.commune, world.orval.commune])
    make_figure(solution, Metric.CAPEX, "360", "3000", Unit.EUR, basis="par point lumineux")
    make_feedback(use_case, world.orval.commune, solution=solution, lessons="Former les agents.")
    response = client.get(solution.get_absolute_url())
    assert response.status_code == 200
    text = _text(response)
    for expected in [
        "<h1>Capteurs Exemple</h1>",
        "Proposée par <strong>Exemple SARL</strong>",
        "Des capteurs acoustiques.",
        "Détection des fuites d&#x27;eau</a>",
        "Éprouvée",
        "À partir de 5\xa0000 habitants",
        "Logiciel libre (AGPL-3.0)",
        '<a href="https://code.exemple.fr" rel="noopener noreferrer">code source</a>',
        "Hébergé en France",
        "Hébergement qualifié SecNumCloud",
        '<span class="badge">LoRaWAN</span>',
        "UGAP, Groupement de commandes",
        "Orval, Saint-Amand-Montrond",
        "Export CSV complet.",
        "Conforme RGAA 4.1 à 80 %.",
        "Analyse d&#x27;impact RGPD fournie.",
        "360 à 3\xa0000\xa0€ par point lumineux",
        "Estimé",
        "Former les agents.",
        "Offre fictive — démonstration.",
    ]:
        assert expected in text, expected
    assert "n'est pas publiée" not in text


def test_real_offer_has_no_fictitious_banner(client):
    """Only fictitious offers carry the demonstration banner."""
    solution = make_solution(is_fictitious=False)
    assert "Offre fictive" not in _text(client.get(solution.get_absolute_url()))


@pytest.fixture
def draft(world):
    provider = make_provider("Exemple SARL")
    provider.members.add(world.provider)
    return make_solution("Offre en préparation", provider=provider, status=Moderation.DRAFT)


@pytest.mark.parametrize(
    "persona",
    [None, "agent_niort", "agent_saint_amand", "other_provider"],
    ids=["visitor_case", "other_collectivite_case", "member_case", "other_provider_case"],
)
def test_unpublished_solution_is_404_to_others(client, world, draft, persona):
    """An unpublished offer does not exist for visitors, collectivités or other providers."""
    if persona == "other_provider":
        other = make_provider("Concurrent SAS")
        other.members.add(user := make_user("concurrent@exemple.fr"))
        client.force_login(user)
    elif persona:
        client.force_login(getattr(world, persona))
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["provider", "operator"], ids=["own_case", "operator_case"])
def test_unpublished_solution_visible_to_its_provider_and_operators(client, world, draft, persona):
    """The provider's members and operators see the offer, marked as unpublished."""
    client.force_login(getattr(world, persona))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Cette offre n'est pas publiée (statut : Brouillon)." in _text(response)


def test_unknown_solution_is_404(client):
    """An unknown slug answers 404."""
    response = client.get(reverse("catalogue:solution", kwargs={"slug": "inconnue"}))
    assert response.status_code == 404
