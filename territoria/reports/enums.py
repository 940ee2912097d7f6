from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("Nouveau")
    ACKNOWLEDGED = "acknowledged", _("Pris en compte")
    IN_PROGRESS = "in_progress", _("En cours")
    RESOLVED = "resolved", _("Résolu")
    NOT_RESOLVED = "not_resolved", _("Non résolu")
    DUPLICATE = "duplicate", _("Doublon")
    NOT_RESPONSIBLE = "not_responsible", _("Hors compétence")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
CLOSED_STATUSES = (
    Status.RESOLVED,
    Status.NOT_RESOLVED,
    Status.DUPLICATE,
    Status.NOT_RESPONSIBLE,
)

# Workflow: where each status may go next (an agent may also reopen a closed report).
TRANSITIONS = {
    Status.NEW: {
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.NOT_RESOLVED,
        Status.DUPLICATE,
        Status.NOT_RESPONSIBLE,
    },
    Status.ACKNOWLEDGED: {
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.NOT_RESOLVED,
        Status.DUPLICATE,
        Status.NOT_RESPONSIBLE,
    },
    Status.IN_PROGRESS: {
        Status.ACKNOWLEDGED,
        Status.RESOLVED,
        Status.NOT_RESOLVED,
        Status.DUPLICATE,
        Status.NOT_RESPONSIBLE,
    },
    Status.RESOLVED: {Status.ACKNOWLEDGED, Status.IN_PROGRESS},
    Status.NOT_RESOLVED: {Status.ACKNOWLEDGED, Status.IN_PROGRESS},
    Status.DUPLICATE: {Status.ACKNOWLEDGED, Status.IN_PROGRESS},
    Status.NOT_RESPONSIBLE: {Status.ACKNOWLEDGED, Status.IN_PROGRESS},
}

# Open311: the plain open/closed of GeoReport v2 and mySociety's extended update statuses.
OPEN311_STATUS = {status: "open" for status in OPEN_STATUSES} | {
    status: "closed" for status in CLOSED_STATUSES
}
OPEN311_UPDATE_STATUS = {
    Status.NEW: "OPEN",
    Status.ACKNOWLEDGED: "INVESTIGATING",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.RESOLVED: "FIXED",
    Status.NOT_RESOLVED: "NO_FURTHER_ACTION",
    Status.DUPLICATE: "DUPLICATE",
    Status.NOT_RESPONSIBLE: "NOT_COUNCILS_RESPONSIBILITY",
}


class Publication(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("En attente de confirmation")
    PUBLISHED = "published", _("Publié")
    HIDDEN = "hidden", _("Masqué par la modération")


class Source(models.TextChoices):
    WEB = "web", _("Formulaire du site")
    OPEN311 = "open311", _("Application Open311")
    AGENT = "agent", _("Saisi par un agent")


class Datatype(models.TextChoices):
    STRING = "string", _("Texte court")
    NUMBER = "number", _("Nombre")
    DATETIME = "datetime", _("Date et heure")
    TEXT = "text", _("Texte long")
    SINGLEVALUELIST = "singlevaluelist", _("Choix unique")
    MULTIVALUELIST = "multivaluelist", _("Choix multiple")
