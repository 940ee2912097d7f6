from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    SUBMISSION = "submission", _("Dépôt des projets")
    REVIEW = "review", _("Analyse technique")
    VOTING = "voting", _("Vote")
    RESULTS = "results", _("Résultats")
    IMPLEMENTATION = "implementation", _("Suivi de réalisation")


class VoteRule(models.TextChoices):
    APPROVAL = "approval", _("Approbation : au plus N projets")
    BUDGET = "budget", _("Budget : total dans l'enveloppe")


class TieBreak(models.TextChoices):
    LOWER_COST = "lower_cost", _("À égalité de voix, le projet le moins coûteux")
    EARLIER = "earlier", _("À égalité de voix, le projet déposé le premier")


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Déposé")
    FEASIBLE = "feasible", _("Réalisable")
    UNFEASIBLE = "unfeasible", _("Non réalisable")
    SELECTED = "selected", _("Lauréat")
    NOT_SELECTED = "not_selected", _("Non retenu au vote")


class Channel(models.TextChoices):
    CENSUS = "census", _("Fichier de recensement")
    CODE = "code", _("Code imprimé")
    OIDC = "oidc", _("Identité numérique (OpenID Connect)")
    PAPER = "paper", _("Bulletin papier")


class IdeaStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    STUDY = "study", _("À l'étude")
    ACCEPTED = "accepted", _("Retenue")
    REJECTED = "rejected", _("Non retenue")
    DONE = "done", _("Réalisée")


class IdeaCategory(models.TextChoices):
    LIVING = "living", _("Cadre de vie")
    MOBILITY = "mobility", _("Mobilité")
    ENVIRONMENT = "environment", _("Environnement")
    SOLIDARITY = "solidarity", _("Solidarité")
    CULTURE = "culture", _("Culture et sport")
    DIGITAL = "digital", _("Numérique")
    OTHER = "other", _("Autre")


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Masquée, en attente de modération")
    HIDDEN = "hidden", _("Masquée par la modération")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiple")
    SCALE = "scale", _("Échelle")
    TEXT = "text", _("Texte libre")
    RANKING = "ranking", _("Classement")


class Participation(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonyme (un jeton par navigateur)")
    VERIFIED = "verified", _("Vérifiée (une réponse par compte)")


class TextReview(models.TextChoices):
    PENDING = "pending", _("À modérer")
    PUBLISHED = "published", _("Publiée")
    REJECTED = "rejected", _("Écartée")
