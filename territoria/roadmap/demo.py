"""Demonstration content of the roadmap module: a profile for every demo collectivité
(defaults from the population), and for Saint-Amand-Montrond its water bill,
priorities, a modest budget and a saved scenario."""

from decimal import Decimal

from django.db import transaction

from territoria.catalogue.models import UseCase
from territoria.roadmap import planning
from territoria.roadmap.models import Profile, Project, Scenario

SAINT_AMAND = "saint-amand-montrond"
SAINT_AMAND_NOTE = (
    "Eau : environ 115 000 € et 28 000 m³ par an, déduits de deux chiffres publiés — "
    "35 % d'économies sur les factures d'eau (le maire, Localtis, 19 décembre 2018) et "
    "environ 200 000 € économisés en 5 ans (France Bleu, 1er juillet 2019), soit environ "
    "40 000 € par an. Collecte des déchets : part communale supposée de 120 000 € par an. "
    "Budget : 30 000 € par an consacrés au numérique ; équipe : un projet lancé par an, "
    "comme la ville l'a fait en commençant par l'eau (hypothèses de démonstration)."
)
SAINT_AMAND_PROFILE = {
    "place_kinds": ["town_centre", "rural"],
    "equipment": [
        "lorawan-network", "smart-meters", "sensor-platform", "open-data-portal", "website",
        "mobile-network", "fibre",
    ],
    "water_eur": Decimal("115000"),
    "water_m3": Decimal("28000"),
    "waste_eur": Decimal("120000"),
    "yearly_budget_eur": Decimal("30000"),
    "staff_capacity": 1,
    "weights": {
        "networks": 5, "environment": 5, "quality_of_life": 3, "economy": 3, "social": 2,
        "attractiveness": 2,
    },
    "note": SAINT_AMAND_NOTE,
}  # fmt: skip
# What the town chose in its own history: the plan decides when, within its means.
SAINT_AMAND_IMPOSED = [
    "capteurs-remplissage-conteneurs",
    "stationnement-minute",
    "place-de-marche-locale",
]
SCENARIO_NAME = "Politique des petits pas"


def saint_amand_profile(collectivite) -> Profile:
    """Saint-Amand-Montrond's demo profile (saved, idempotent)."""
    profile = Profile.objects.filter(collectivite=collectivite).first()
    if profile is not None:
        return profile
    profile = planning.default_profile(collectivite)
    for name, value in SAINT_AMAND_PROFILE.items():
        setattr(profile, name, value)
    profile.hypotheses = [name for name in profile.hypotheses if name not in SAINT_AMAND_PROFILE]
    profile.save()
    return profile


def saint_amand_scenario(collectivite, profile) -> Scenario:
    """The saved scenario: the town's projects imposed, the years left to the optimiser."""
    from django.utils import timezone

    scenario = Scenario.objects.filter(collectivite=collectivite, name=SCENARIO_NAME).first()
    if scenario is not None:
        return scenario
    with transaction.atomic():
        scenario = Scenario.objects.create(
            collectivite=collectivite, name=SCENARIO_NAME, is_current=True
        )
        use_cases = {uc.slug: uc for uc in UseCase.objects.filter(slug__in=SAINT_AMAND_IMPOSED)}
        projects = {}
        for slug in SAINT_AMAND_IMPOSED:
            if slug in use_cases:
                projects[slug] = Project.objects.create(
                    collectivite=collectivite, scenario=scenario, use_case=use_cases[slug],
                    lock="imposed",
                )  # fmt: skip
        from territoria.roadmap.actions import store_result, with_group_purchases

        with_group_purchases(collectivite, projects)
        store_result(scenario, planning.solve_scenario(profile, projects), projects)
        scenario.solved_at = timezone.now()
        scenario.save(update_fields=["solved_at"])
    return scenario


def load(collectivites) -> None:
    """Add this module's demo content; idempotent."""
    for collectivite in collectivites:
        if collectivite.slug == SAINT_AMAND:
            profile = saint_amand_profile(collectivite)
            saint_amand_scenario(collectivite, profile)
        elif not Profile.objects.filter(collectivite=collectivite).exists():
            planning.default_profile(collectivite).save()
