from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    COASTAL = "coastal", _("Littoral")
    MOUNTAIN = "mountain", _("Montagne")
    RURAL = "rural", _("Rural")
    PERIURBAN = "periurban", _("Périurbain")
    TOWN_CENTRE = "town_centre", _("Centre-bourg, petite ville-centre")
    URBAN = "urban", _("Urbain")
    TOURIST = "tourist", _("Touristique")
    INDUSTRIAL = "industrial", _("Industriel")


class CostBasisKey(models.TextChoices):
    WATER = "water", _("Eau (factures de la collectivité)")
    LIGHTING = "lighting", _("Éclairage public")
    WASTE = "waste", _("Collecte des déchets")
    FUEL = "fuel", _("Carburant des véhicules")
    BUILDINGS_ENERGY = "buildings_energy", _("Énergie des bâtiments")


class Lock(models.TextChoices):
    NONE = "", _("Libre (l'optimiseur décide)")
    DONE = "done", _("Déjà réalisé")
    IMPOSED = "imposed", _("Imposé")
    EXCLUDED = "excluded", _("Exclu")


class End(models.TextChoices):
    """Which end of the figures' ranges a plan is computed on."""

    LOW = "low", _("Fourchette prudente")
    CENTRAL = "central", _("Valeurs centrales")
    HIGH = "high", _("Fourchette favorable")
