"""Every roadmap page opens for a member on the demo data, with its key content."""

from django.urls import reverse

import pytest

from territoria.roadmap import demo
from territoria.roadmap.models import Scenario


@pytest.fixture
def demo_plan(shipped):
    demo.load([shipped.saint_amand, shipped.niort])
    return Scenario.objects.get(collectivite=shipped.saint_amand)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("roadmap:overview", "Bases de coût annuelles"),
        ("roadmap:profile", "Enregistrer le profil"),
        ("roadmap:recommendations", "Détection des fuites"),
        ("roadmap:compare", "Comparer deux scénarios"),
    ],
    ids=["overview_case", "profile_case", "recommendations_case", "compare_case"],
)
def test_collectivite_pages_open_for_a_member(client, demo_plan, world, name, text):
    """An agent of Saint-Amand-Montrond opens the roadmap pages of the town."""
    client.force_login(world.agent_saint_amand)
    response = client.get(reverse(name, kwargs={"slug": "saint-amand-montrond"}))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_plan_page_shows_the_plan_and_its_reasons(client, demo_plan, world):
    """The plan page shows the chart, the cash table and why each project lands there."""
    client.force_login(world.agent_saint_amand)
    response = client.get(demo_plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert "Trésorerie en fin d'année" in html
    assert "Lancé dès la première année" in html


def test_measured_and_expected_figures_show_beside_the_plan(client, demo_plan, world):
    """A project's expected aid and measured saving appear beside its planned saving."""
    from decimal import Decimal

    from territoria.roadmap.models import Project

    Project.objects.filter(scenario=demo_plan, use_case__slug="capteurs-fuites-eau").update(
        measured_saving_eur_per_year=Decimal("38000"),
        measured_saving_source="Compteurs, 2026 contre 2025",
        expected_aid_min=Decimal("2000"),
        expected_aid_max=Decimal("4000"),
        aid_source="DETR",
    )
    client.force_login(world.agent_saint_amand)
    html = client.get(demo_plan.get_absolute_url()).content.decode()
    assert "38\u00a0000\u00a0€" in html
    assert "Compteurs, 2026 contre 2025" in html
    assert "2\u00a0000\u00a0€" in html and "DETR" in html


def test_the_collectivite_page_links_members_to_the_roadmap(client, world):
    """Members see the roadmap card on the collectivité page; visitors do not."""
    link = reverse("roadmap:overview", kwargs={"slug": "saint-amand-montrond"})
    page = reverse("territories:collectivite", kwargs={"slug": "saint-amand-montrond"})
    assert link not in client.get(page).content.decode()
    client.force_login(world.agent_saint_amand)
    assert link in client.get(page).content.decode()
