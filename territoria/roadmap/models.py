"""The roadmap: a territory's profile, its saved scenarios and the projects of each plan."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import Axis
from territoria.roadmap.enums import CostBasisKey, Lock
from territoria.territories.models import user_role
from territoria.territories.tenancy import TenantModel, TenantQuerySet

DEFAULT_WEIGHT = 3
MAX_WEIGHT = 5
# Cost bases: (key, amount field, volume field, volume unit).
COST_BASES = [
    (CostBasisKey.WATER, "water_eur", "water_m3", "m³"),
    (CostBasisKey.LIGHTING, "lighting_eur", "lighting_kwh", "kWh"),
    (CostBasisKey.WASTE, "waste_eur", "waste_tonnes", "t"),
    (CostBasisKey.FUEL, "fuel_eur", "fuel_litres", "L"),
    (CostBasisKey.BUILDINGS_ENERGY, "buildings_energy_eur", "buildings_energy_kwh", "kWh"),
]


def _money(verbose, **kwargs):
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)


def default_first_year() -> int:
    return date.today().year + 1


class RoadmapRoles:
    """Who does what on a roadmap: agents keep the profile up to date (bills, equipment),
    élus set priorities and adopt a scenario, agents and élus shape scenarios."""

    def get_abilities(self, user) -> dict[str, bool]:
        role = user_role(user, self.collectivite)
        operator = bool(user.is_authenticated and user.is_operator)
        steer = operator or role in {"elu", "agent", "admin"}
        return super().get_abilities(user) | {
            "edit_profile": operator or role in {"agent", "admin"},
            "steer": steer,
            "change": steer,
            "adopt": operator or role in {"elu", "admin"},
        }


class Profile(RoadmapRoles, TenantModel):
    """What the optimiser knows of a territory. Fields still at their default are
    listed in `hypotheses` and shown as "hypothèse" until someone edits them."""

    population = models.PositiveIntegerField(_("population"))
    place_kinds = models.JSONField(_("type de territoire"), default=list, blank=True)
    equipment = models.JSONField(_("équipements déjà en place"), default=list, blank=True)
    water_eur = _money(_("eau : montant annuel (€)"))
    water_m3 = _money(_("eau : volume annuel (m³)"))
    water_source = models.CharField(_("eau : source"), max_length=200, blank=True)
    lighting_eur = _money(_("éclairage public : montant annuel (€)"))
    lighting_kwh = _money(_("éclairage public : consommation annuelle (kWh)"))
    lighting_source = models.CharField(_("éclairage : source"), max_length=200, blank=True)
    waste_eur = _money(_("collecte des déchets : coût annuel (€)"))
    waste_tonnes = _money(_("collecte des déchets : tonnage annuel (t)"))
    waste_source = models.CharField(_("déchets : source"), max_length=200, blank=True)
    fuel_eur = _money(_("carburant : montant annuel (€)"))
    fuel_litres = _money(_("carburant : volume annuel (L)"))
    fuel_source = models.CharField(_("carburant : source"), max_length=200, blank=True)
    buildings_energy_eur = _money(_("énergie des bâtiments : montant annuel (€)"))
    buildings_energy_kwh = _money(_("énergie des bâtiments : consommation annuelle (kWh)"))
    buildings_energy_source = models.CharField(_("bâtiments : source"), max_length=200, blank=True)
    yearly_budget_eur = _money(_("budget d'investissement annuel (€)"))
    staff_capacity = models.PositiveSmallIntegerField(_("projets lancés par an au plus"), default=2)
    first_year = models.PositiveSmallIntegerField(
        _("première année du plan"), default=default_first_year
    )
    horizon_years = models.PositiveSmallIntegerField(_("horizon (années)"), default=6)
    discount_rate = models.DecimalField(
        _("taux d'actualisation (%)"), max_digits=5, decimal_places=2, default=Decimal("3")
    )
    weights = models.JSONField(_("priorités politiques"), default=dict, blank=True)
    priority_value_eur_per_inhabitant = models.DecimalField(
        _("valeur d'une priorité pleine (€ par habitant et par an)"),
        max_digits=8, decimal_places=2, default=Decimal("0.5"),
    )  # fmt: skip
    generic_capex_eur_per_inhabitant = models.DecimalField(
        _("investissement d'un projet sans chiffre (€ par habitant)"),
        max_digits=8, decimal_places=2, default=Decimal("1.5"),
    )  # fmt: skip
    aid_delay_years = models.PositiveSmallIntegerField(
        _("délai de versement des aides (années après le lancement)"), default=1
    )
    generic_opex_percent = models.DecimalField(
        _("fonctionnement annuel (% de l'investissement)"),
        max_digits=5, decimal_places=2, default=Decimal("15"),
    )  # fmt: skip
    hypotheses = models.JSONField(default=list, blank=True, editable=False)
    note = models.TextField(_("notes sur les hypothèses"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("profil du territoire")
        verbose_name_plural = _("profils des territoires")
        constraints = [
            models.UniqueConstraint(fields=["collectivite"], name="roadmap_one_profile"),
        ]

    def __str__(self):
        return str(self.collectivite)

    def get_absolute_url(self):
        return reverse("roadmap:profile", kwargs={"slug": self.collectivite.slug})

    def weight(self, axis: str) -> int:
        return int(self.weights.get(axis, DEFAULT_WEIGHT))

    def axis_weights(self) -> dict[str, int]:
        return {axis: self.weight(axis) for axis in Axis.values}

    def is_hypothesis(self, name: str) -> bool:
        return name in self.hypotheses

    def cost_basis(self, key: str) -> dict | None:
        """One cost base with its unit price and provenance, or None for an unknown key."""
        from territoria.roadmap.costmodel import COST_BASIS_DEFAULTS

        for basis_key, amount_field, volume_field, unit in COST_BASES:
            if basis_key != key:
                continue
            amount = float(getattr(self, amount_field))
            volume = float(getattr(self, volume_field))
            source = getattr(self, f"{key}_source")
            hypothesis = not source or amount_field in self.hypotheses
            return {
                "key": key,
                "label": str(basis_key.label),
                "amount_eur": amount,
                "volume": volume,
                "volume_unit": unit,
                "unit_price_eur": round(amount / volume, 4) if volume else None,
                "is_hypothesis": hypothesis,
                # The module's default for the population, not a figure anyone entered.
                "is_default": amount_field in self.hypotheses,
                "source": source,
                "note": str(COST_BASIS_DEFAULTS[key][3]) if hypothesis else "",
            }
        return None

    def cost_bases(self) -> dict[str, dict]:
        return {key: self.cost_basis(key) for key, *_rest in COST_BASES}


class ScenarioQuerySet(TenantQuerySet):
    def current_of(self, collectivite):
        """The plan other modules read: the one marked current, else the latest solved."""
        scenarios = self.filter(collectivite=collectivite, solved_at__isnull=False)
        return scenarios.order_by("-is_current", "-solved_at", "-pk").first()


class Scenario(RoadmapRoles, TenantModel):
    """A named set of decisions (locks, figures entered) and the plans computed from it."""

    name = models.CharField(_("nom"), max_length=120)
    is_current = models.BooleanField(_("plan de référence"), default=False)
    # The council's vote: the scenario the collectivité adopted, by which deliberation.
    adopted_on = models.DateField(_("adopté le"), null=True, blank=True)
    deliberation_ref = models.CharField(_("délibération"), max_length=80, blank=True)
    # After "lock what is done", the plan restarts this year (the profile keeps its horizon).
    replanned_from = models.PositiveSmallIntegerField(
        _("replanifié à partir de"), null=True, blank=True
    )
    result = models.JSONField(default=dict, blank=True, editable=False)
    solved_at = models.DateTimeField(_("calculé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("scénario")
        ordering = ["-is_current", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "name"], name="roadmap_scenario_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roadmap:scenario", kwargs={"slug": self.collectivite.slug, "pk": self.pk})


class Project(TenantModel):
    """A use case in a scenario: the élu's decision on it, the figures entered for it,
    and where the central plan puts it. Funding and sensors fill their fields later."""

    scenario = models.ForeignKey(Scenario, models.CASCADE, related_name="projects")
    use_case = models.ForeignKey(
        "catalogue.UseCase", models.PROTECT, related_name="+", verbose_name=_("cas d'usage")
    )
    lock = models.CharField(_("décision"), max_length=10, choices=Lock.choices, blank=True)
    lock_year = models.PositiveSmallIntegerField(
        _("année imposée ou de réalisation"), null=True, blank=True
    )
    capex_override = _money(_("investissement saisi (€)"), null=True, blank=True)
    opex_override = _money(_("fonctionnement saisi (€ par an)"), null=True, blank=True)
    saving_override = _money(_("économie saisie (€ par an)"), null=True, blank=True)
    override_note = models.CharField(_("source des montants saisis"), max_length=300, blank=True)
    # Filled by the funding module.
    expected_aid_min = _money(_("aide attendue, basse (€)"), null=True, blank=True)
    expected_aid_max = _money(_("aide attendue, haute (€)"), null=True, blank=True)
    aid_source = models.CharField(_("source de l'aide"), max_length=300, blank=True)
    # Filled by the sensors module.
    measured_saving_eur_per_year = _money(_("économie mesurée (€ par an)"), null=True, blank=True)
    measured_saving_source = models.CharField(_("source de la mesure"), max_length=300, blank=True)
    # Where the central plan puts it.
    start_year = models.PositiveSmallIntegerField(_("année de lancement"), null=True, blank=True)
    planned_capex = _money(_("investissement prévu (€)"), null=True, blank=True)
    planned_opex = _money(_("fonctionnement prévu (€ par an)"), null=True, blank=True)
    planned_saving = _money(_("économie prévue (€ par an)"), null=True, blank=True)
    reason = models.TextField(_("pourquoi cette place"), blank=True)

    class Meta:
        verbose_name = _("projet")
        ordering = ["start_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "use_case"], name="roadmap_project_once"),
        ]

    def __str__(self):
        return f"{self.use_case} ({self.scenario})"

    @property
    def has_decision(self) -> bool:
        return bool(
            self.lock
            or self.capex_override is not None
            or self.opex_override is not None
            or self.saving_override is not None
        )
