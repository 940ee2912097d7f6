"""Feuille de route URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from decimal import Decimal

from territoria.catalogue.models import UseCase
from territoria.roadmap.models import Profile, Project, Scenario

PUBLIC: set[str] = {"roadmap:home"}
CANARY_NOTE = "Canari feuille de route : facture d'eau confidentielle"
CANARY_SCENARIO = "Canari scénario secret de Saint-Amand"
CANARY_SOURCE = "Canari devis confidentiel 4242"


def samples(world):
    profile = Profile.objects.create(
        collectivite=world.saint_amand, population=9899, water_eur=Decimal("115000"),
        water_m3=Decimal("28000"), lighting_eur=Decimal("1"), lighting_kwh=Decimal("1"),
        waste_eur=Decimal("1"), waste_tonnes=Decimal("1"), fuel_eur=Decimal("1"),
        fuel_litres=Decimal("1"), buildings_energy_eur=Decimal("1"),
        buildings_energy_kwh=Decimal("1"), yearly_budget_eur=Decimal("30000"),
        note=CANARY_NOTE,
    )  # fmt: skip
    scenario = Scenario.objects.create(
        collectivite=world.saint_amand, name=CANARY_SCENARIO, result={}, is_current=True
    )
    use_case = UseCase.objects.create(
        slug="canari-fuites", title="Cas d'usage du canari", axis="networks", summary="s",
        problem="p", how_it_works="h", maturity="proven",
    )  # fmt: skip
    Project.objects.create(
        collectivite=world.saint_amand, scenario=scenario, use_case=use_case, lock="imposed",
        override_note=CANARY_SOURCE,
    )  # fmt: skip
    town = {"slug": world.saint_amand.slug}
    one = town | {"pk": scenario.pk}
    assert profile.pk
    return {
        "roadmap:overview": town,
        "roadmap:profile": town,
        "roadmap:recommendations": town,
        "roadmap:save_weights": town,
        "roadmap:scenario_create": town,
        "roadmap:compare": town,
        "roadmap:scenario": one,
        "roadmap:decide": one,
        "roadmap:adopt": one,
        "roadmap:replan": one,
        "roadmap:lock_done": one,
        "roadmap:make_current": one,
        "roadmap:delete": one,
        "roadmap:scenario_pdf": one,
        "roadmap:scenario_csv": one,
        "roadmap:scenario_projects_csv": one,
        "api:roadmap_plan": town,
        "CANARIES": [CANARY_NOTE, CANARY_SCENARIO, CANARY_SOURCE],
    }
