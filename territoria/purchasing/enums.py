from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalType(models.TextChoices):
    SIMPLE = "simple", _("Groupement de commandes simple (chaque membre signe et exécute)")
    INTEGRATED = "integrated", _("Groupement intégré (le coordonnateur signe et exécute)")
    EPCI = "epci", _("Intercommunalité agissant pour ses communes membres")


class MarketKind(models.TextChoices):
    SUPPLIES_SERVICES = "supplies_services", _("Fournitures et services")
    WORKS = "works", _("Travaux")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    OPEN = "open", _("Ouvert aux adhésions")
    FROZEN = "frozen", _("Besoins arrêtés")
    AWARDED = "awarded", _("Attribué")
    CLOSED = "closed", _("Clos")


class Notice(models.TextChoices):
    INVITED = "invited", _("invitation")
    DEADLINE = "deadline", _("date limite proche")
    TIER = "tier", _("palier atteint")
    AWARDED = "awarded", _("attribution")
