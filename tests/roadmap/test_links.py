"""What other modules read from the roadmap through territoria.roadmap.links."""

import pytest

from territoria.roadmap import demo, links


def test_cost_basis_gives_the_water_price(shipped):
    """The water base gives its amount, volume and €/m³, labelled hypothesis without source."""
    demo.load([shipped.saint_amand])
    assert links.cost_basis(shipped.saint_amand, "water") == {
        "amount_eur": 115000.0,
        "volume": 28000.0,
        "volume_unit": "m³",
        "unit_price_eur": 4.1071,
        "is_hypothesis": True,
        "is_default": False,
        "source": "",
    }


@pytest.mark.parametrize("key", ["gas", ""], ids=["unknown_case", "empty_case"])
def test_cost_basis_of_an_unknown_key_is_none(world, key):
    """An unknown cost base is None."""
    assert links.cost_basis(world.saint_amand, key) is None


def test_a_town_without_profile_gets_default_bases(world):
    """Without a profile, the defaults from the population are given, as hypotheses."""
    basis = links.cost_basis(world.niort, "lighting")
    assert (basis["amount_eur"], basis["is_hypothesis"], basis["is_default"]) == (
        900000.0,
        True,
        True,
    )


def test_projects_of_lists_the_current_plan(shipped):
    """The current plan's projects come by start year with capex and planned saving."""
    demo.load([shipped.saint_amand])
    projects = links.projects_of(shipped.saint_amand)
    water = next(p for p in projects if p["use_case"] == "capteurs-fuites-eau")
    assert water["start_year"] == min(p["start_year"] for p in projects)
    assert water["planned_saving_eur_per_year"] == 40250.0
    assert water["capex_eur"] == 19800.0
    assert {p["use_case"] for p in projects} >= set(demo.SAINT_AMAND_IMPOSED)
    assert links.projects_of(shipped.niort) == []


def test_the_plan_api_serves_members_only(client, shipped):
    """Members read the current plan as JSON; another town's agent gets a French 404."""
    demo.load([shipped.saint_amand])
    client.force_login(shipped.agent_saint_amand)
    body = client.get("/api/feuille-de-route/saint-amand-montrond/plan").json()
    assert body["collectivite"] == "saint-amand-montrond"
    assert body["cost_bases"]["water"]["unit_price_eur"] == 4.1071
    assert "capteurs-fuites-eau" in {p["use_case"] for p in body["projects"]}
    client.force_login(shipped.agent_niort)
    response = client.get("/api/feuille-de-route/saint-amand-montrond/plan")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Collectivité inconnue ou réservée à ses membres.",
    }


def test_population_is_the_profile_s_or_none(shipped):
    """The funding module reads the profile's population; None without a profile."""
    demo.load([shipped.saint_amand])
    assert links.population(shipped.saint_amand) == 9899
    assert links.population(shipped.niort) is None
