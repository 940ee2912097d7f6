"""Scenarios: save and name, decide (impose, exclude, enter figures), refuse impossible
decisions without changing anything, lock what is done and re-plan, compare two."""

from decimal import Decimal

from django.urls import reverse

import pytest

from territoria.accounts.models import AuditEvent
from territoria.roadmap import demo
from territoria.roadmap.models import Project, Scenario

SLUG = "saint-amand-montrond"


@pytest.fixture
def town(shipped, client):
    demo.load([shipped.saint_amand])
    client.force_login(shipped.agent_saint_amand)
    return Scenario.objects.get(collectivite=shipped.saint_amand)


def url(name, scenario=None):
    kwargs = {"slug": SLUG} | ({"pk": scenario.pk} if scenario else {})
    return reverse(f"roadmap:{name}", kwargs=kwargs)


def test_a_new_scenario_copies_decisions_and_is_solved(client, town):
    """A named scenario copying another's decisions is solved at once."""
    response = client.post(url("scenario_create"), {"name": "Variante", "copy_from": town.pk})
    copy = Scenario.objects.get(name="Variante")
    assert response.status_code == 302
    assert response["Location"] == copy.get_absolute_url()
    assert set(
        copy.projects.filter(lock="imposed").values_list("use_case__slug", flat=True)
    ) == set(demo.SAINT_AMAND_IMPOSED)
    assert (
        copy.result["ends"]["central"]["starts"]["capteurs-fuites-eau"]
        == copy.result["profile"]["first_year"]
    )


def test_a_duplicate_name_is_refused(client, town):
    """Two scenarios of a town cannot share a name."""
    response = client.post(url("scenario_create"), {"name": demo.SCENARIO_NAME})
    assert response.status_code == 400
    assert "Un scénario porte déjà ce nom" in response.content.decode()
    assert Scenario.objects.count() == 1


def test_excluding_a_project_replans_without_it(client, town):
    """An excluded use case leaves the plan and says why."""
    response = client.post(
        url("decide", town), {"use_case": "capteurs-co2-ecoles", "lock": "excluded"}
    )
    town.refresh_from_db()
    assert response.status_code == 302
    assert "capteurs-co2-ecoles" not in town.result["ends"]["central"]["starts"]
    assert town.result["ends"]["central"]["reasons"]["capteurs-co2-ecoles"] == (
        "Exclu par décision de la collectivité."
    )


def test_an_entered_figure_replaces_the_hypothesis(client, town):
    """A quote entered for the marketplace is the investment the plan uses."""
    client.post(
        url("decide", town),
        {"use_case": "place-de-marche-locale", "lock": "imposed", "capex_override": "12000",
         "override_note": "Devis 2026"},
    )  # fmt: skip
    town.refresh_from_db()
    project = Project.objects.get(scenario=town, use_case__slug="place-de-marche-locale")
    assert project.capex_override == Decimal("12000")
    assert project.planned_capex == Decimal("12000")
    assert town.result["economics"]["place-de-marche-locale"]["capex"] == [12000, 12000, 12000]


def test_an_unaffordable_lock_is_explained_and_nothing_changes(client, town):
    """Imposing video protection next year is refused with the reason; the plan stays."""
    before = town.result
    response = client.post(
        url("decide", town),
        {
            "use_case": "videoprotection",
            "lock": "imposed",
            "lock_year": town.result["profile"]["first_year"],
        },
    )
    town.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 400
    assert "Les décisions imposées ne peuvent pas être tenues ensemble" in html
    assert "Vidéoprotection" in html
    assert "la trésorerie de" in html
    assert town.result == before
    assert not Project.objects.filter(scenario=town, use_case__slug="videoprotection").exists()


def test_done_needs_a_year(client, town):
    """Declaring a project done without its year is refused in French."""
    response = client.post(url("decide", town), {"use_case": "wifi-public", "lock": "done"})
    assert response.status_code == 400
    assert "Indiquez l&#x27;année où le projet a été réalisé." in response.content.decode()


def test_locking_what_is_done_replans_the_rest(client, town):
    """Projects started up to a year become done; the plan restarts the year after."""
    first = town.result["profile"]["first_year"]
    response = client.post(url("lock_done", town), {"year": first})
    town.refresh_from_db()
    assert response.status_code == 302
    water = Project.objects.get(scenario=town, use_case__slug="capteurs-fuites-eau")
    assert (water.lock, water.lock_year) == ("done", first)
    central = town.result["ends"]["central"]
    assert town.result["profile"]["first_year"] == first + 1
    assert "capteurs-fuites-eau" in central["done"]
    assert central["rows"][0]["savings"] >= 40_000  # the leak savings count from the start
    assert AuditEvent.objects.filter(action="roadmap.locked_done").count() == 1


def test_two_scenarios_side_by_side(client, town):
    """The comparison shows both scenarios' key figures and plans by year."""
    client.post(url("scenario_create"), {"name": "Sans parking", "copy_from": town.pk})
    other = Scenario.objects.get(name="Sans parking")
    client.post(url("decide", other), {"use_case": "stationnement-minute", "lock": "excluded"})
    response = client.get(url("compare"), {"a": town.pk, "b": other.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Politique des petits pas" in html and "Sans parking" in html
    assert "Part autofinancée" in html
    assert html.count("Capteurs de stationnement sur les places de courte durée") == 1


def test_comparing_a_scenario_with_itself_is_refused(client, town):
    """The comparison needs two different scenarios."""
    response = client.get(url("compare"), {"a": town.pk, "b": town.pk})
    assert response.status_code == 400
    assert "Choisissez deux scénarios différents" in response.content.decode()
