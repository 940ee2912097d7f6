"""The Saint-Amand-Montrond story on the shipped catalogue: water-leak detection first,
its savings paying for connected bins, smart parking and a local marketplace later."""

from decimal import Decimal

import pytest

from territoria.roadmap import demo
from territoria.roadmap.models import Project, Scenario

STORY = ["capteurs-remplissage-conteneurs", "stationnement-minute", "place-de-marche-locale"]


@pytest.fixture
def story(shipped):
    demo.load([shipped.saint_amand])
    return Scenario.objects.get(collectivite=shipped.saint_amand)


def test_water_leak_detection_starts_the_plan(story):
    """The central plan starts water-leak detection in its first year."""
    plan = story.result["ends"]["central"]
    first_year = story.result["profile"]["first_year"]
    assert plan["starts"]["capteurs-fuites-eau"] == first_year


def test_savings_finance_the_later_projects(story):
    """Bins, parking and the marketplace start after water-leak detection, at every end."""
    for end in ("low", "central", "high"):
        starts = story.result["ends"][end]["starts"]
        water = starts["capteurs-fuites-eau"]
        assert all(starts[slug] > water for slug in STORY), (end, starts)


def test_the_plan_pays_for_itself(story):
    """The water savings pay back the investment within the mandate."""
    plan = story.result["ends"]["central"]
    assert plan["payback_year"] is not None
    # The town advances the first investments from its budget: not 100 % self-financed.
    assert 0 < plan["self_financed_share"] < 1.0


def test_projects_of_the_plan_are_stored(story):
    """Each planned project is stored with its year, capex and planned saving."""
    water = Project.objects.get(scenario=story, use_case__slug="capteurs-fuites-eau")
    assert water.start_year == story.result["profile"]["first_year"]
    assert water.planned_saving == round(water.planned_saving, 2) > 0


def test_on_merit_alone_leaks_come_first_and_bins_follow(shipped):
    """Without any imposed project, the optimiser itself starts leak detection first and
    connected bins in a later year (their yearly running cost is the catalogue's)."""
    from territoria.roadmap import planning

    profile = demo.saint_amand_profile(shipped.saint_amand)
    starts = planning.solve_scenario(profile, {})["ends"]["central"]["starts"]
    assert starts["capteurs-fuites-eau"] == profile.first_year
    assert starts["capteurs-remplissage-conteneurs"] > profile.first_year


def test_projects_receive_the_expected_aid_of_the_funding_module(story):
    """Leak detection gets the aid of the programmes naming it, capped at 80 % of its
    cost, with the programmes named; the cash flow receives it a year after the start."""
    water = Project.objects.get(scenario=story, use_case__slug="capteurs-fuites-eau")
    assert 0 < water.expected_aid_max <= water.planned_capex * Decimal("0.8")
    assert "Dotation d'équipement des territoires ruraux (DETR)" in water.aid_source
    plan = story.result["ends"]["central"]
    start = plan["starts"]["capteurs-fuites-eau"]
    aid_years = [row["year"] for row in plan["rows"] if row["aid"] > 0]
    assert aid_years and min(aid_years) == start + story.result["profile"]["aid_delay_years"]


def test_the_funding_page_shows_each_project_with_its_programmes(story, client):
    """On « Aides et projets », each project of the plan comes with its programmes and
    its expected aid range."""
    client.force_login(_agent(story))
    response = client.get(f"/aides/c/{story.collectivite.slug}/")
    projects = {item.project["use_case"].slug: item for item in response.context["projects"]}
    water = projects["capteurs-fuites-eau"]
    assert water.funding.high > 0
    # One set of numbers: the plan shows the very range the funding page computes.
    stored = Project.objects.get(scenario=story, use_case__slug="capteurs-fuites-eau")
    assert stored.expected_aid_min <= stored.expected_aid_max
    assert (stored.expected_aid_min, stored.expected_aid_max) == (
        round(water.funding.low, 2),
        round(water.funding.high, 2),
    )
    assert any("DETR" in m.programme.name for m in water.funding.matches)
    assert "plafonné" in response.content.decode() or not water.funding.capped


def _agent(story):
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    return make_member(story.collectivite, Role.AGENT, "agent-aides@saint-amand.fr")
