from django.db import models
from django.utils.translation import gettext_lazy as _


class Axis(models.TextChoices):
    ECONOMY = "economy", _("Développement économique")
    QUALITY_OF_LIFE = "quality_of_life", _("Qualité de vie")
    NETWORKS = "networks", _("Optimisation des réseaux")
    SOCIAL = "social", _("Cohésion sociale")
    ENVIRONMENT = "environment", _("Environnement")
    ATTRACTIVENESS = "attractiveness", _("Attractivité")


class Maturity(models.TextChoices):
    EXPERIMENTAL = "experimental", _("Expérimentale")
    EMERGING = "emerging", _("Émergente")
    PROVEN = "proven", _("Éprouvée")
    MAINSTREAM = "mainstream", _("Généralisée")


class Metric(models.TextChoices):
    """What a figure measures."""

    CAPEX = "capex", _("Investissement")
    OPEX = "opex", _("Coût de fonctionnement annuel")
    SAVING = "saving", _("Économie")
    PAYBACK = "payback", _("Retour sur investissement")
    IMPACT = "impact", _("Effet mesuré")
    CONTEXT = "context", _("Contexte")


class Unit(models.TextChoices):
    EUR = "eur", _("€")
    EUR_PER_YEAR = "eur_per_year", _("€ par an")
    PERCENT = "percent", _("%")
    YEARS = "years", _("ans")
    KWH_PER_YEAR = "kwh_per_year", _("kWh par an")
    M3_PER_YEAR = "m3_per_year", _("m³ par an")
    COUNT = "count", _("nombre")


class FigureKind(models.TextChoices):
    DECLARED = "declared", _("Déclaré")  # by a vendor, a town or the press, no method
    ESTIMATED = "estimated", _("Estimé")  # computed from named inputs, method in the note
    MEASURED = "measured", _("Mesuré")
    HYPOTHESIS = "hypothesis", _("Hypothèse")


class LicenceKind(models.TextChoices):
    OPEN_SOURCE = "open_source", _("Logiciel libre")
    PROPRIETARY = "proprietary", _("Propriétaire")
    MIXED = "mixed", _("Mixte (cœur libre, modules propriétaires)")
    NOT_SOFTWARE = "not_software", _("Sans objet (matériel, service)")


class Hosting(models.TextChoices):
    ON_PREMISE = "on_premise", _("Sur les serveurs de la collectivité")
    FRANCE = "france", _("Hébergé en France")
    EU = "eu", _("Hébergé dans l'Union européenne")
    OUTSIDE_EU = "outside_eu", _("Hébergé hors de l'Union européenne")
    NONE = "none", _("Sans hébergement de données")


class PurchaseChannel(models.TextChoices):
    UGAP = "ugap", _("UGAP")
    CENTRAL = "central", _("Autre centrale d'achat")
    GROUP = "group", _("Groupement de commandes")
    DIRECT = "direct", _("Marché propre de la collectivité")


class Moderation(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En attente de modération")
    APPROVED = "approved", _("Publiée")
    REJECTED = "rejected", _("Refusée")
