from django.db import models
from django.utils.translation import gettext_lazy as _


class FunderKind(models.TextChoices):
    STATE = "state", _("État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EUROPE = "europe", _("Union européenne")
    AGENCY = "agency", _("Agence ou opérateur public")
    BANK = "bank", _("Banque publique")
    OTHER = "other", _("Autre")


class AidType(models.TextChoices):
    GRANT = "grant", _("Subvention")
    LOAN = "loan", _("Prêt")
    RECOVERABLE_ADVANCE = "recoverable_advance", _("Avance récupérable")
    ENGINEERING = "engineering", _("Ingénierie")
    GUARANTEE = "guarantee", _("Garantie")
    OTHER = "other", _("Autre aide")


class Scale(models.TextChoices):
    NATIONAL = "national", _("France entière")
    REGIONS = "regions", _("Régions")
    DEPARTEMENTS = "departements", _("Départements")
    EPCIS = "epcis", _("Intercommunalités")
    COMMUNES = "communes", _("Communes")


class ZoneScope(models.TextChoices):
    ALL = "all", _("Métropole et outre-mer")
    METROPOLE = "metropole", _("France métropolitaine")
    OUTRE_MER = "outre-mer", _("Outre-mer")


class Beneficiary(models.TextChoices):
    COMMUNE = "commune", _("Communes")
    EPCI = "epci", _("Intercommunalités")


class ExpenseType(models.TextChoices):
    INVESTMENT = "investment", _("Investissement")
    OPERATION = "operation", _("Fonctionnement")
    STUDY = "study", _("Études")


class Recurrence(models.TextChoices):
    ONEOFF = "oneoff", _("Appel ponctuel")
    RECURRING = "recurring", _("Appel récurrent")
    ONGOING = "ongoing", _("Au fil de l'eau")


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Éligible")
    PROBABLE = "probable", _("Probablement éligible")
    INELIGIBLE = "ineligible", _("Non éligible")


class ProgrammeStatus(models.TextChoices):
    PUBLISHED = "published", _("Publié")
    DRAFT = "draft", _("Brouillon")
    ARCHIVED = "archived", _("Archivé")


class UpdateStatus(models.TextChoices):
    PENDING = "pending", _("À examiner")
    APPLIED = "applied", _("Appliquée")
    REJECTED = "rejected", _("Écartée")
