"""The Saint-Amand-Montrond story on the shipped catalogue: water-leak detection first,
its savings paying for connected bins, smart parking and a local marketplace later."""

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
    assert plan["self_financed_share"] == 1.0


def test_projects_of_the_plan_are_stored(story):
    """Each planned project is stored with its year, capex and planned saving."""
    water = Project.objects.get(scenario=story, use_case__slug="capteurs-fuites-eau")
    assert water.start_year == story.result["profile"]["first_year"]
    assert water.planned_saving == round(water.planned_saving, 2) > 0


def test_on_merit_alone_leaks_come_first_and_bins_follow(shipped):
    """Without any imposed project, the optimiser itself starts leak detection, then bins."""
    from territoria.roadmap import planning

    profile = demo.saint_amand_profile(shipped.saint_amand)
    starts = planning.solve_scenario(profile, {})["ends"]["central"]["starts"]
    assert starts["capteurs-fuites-eau"] == profile.first_year
    assert starts["capteurs-remplissage-conteneurs"] == profile.first_year + 1
