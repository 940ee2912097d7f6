from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Déposé")
    INSTRUCTING = "instructing", _("En instruction")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    DROPPED = "dropped", _("Classé sans suite")


DECIDED = (State.ACCEPTED, State.REFUSED, State.DROPPED)

# Where each state may go next; a decision may be reopened into instruction.
TRANSITIONS = {
    State.SUBMITTED: {State.INSTRUCTING, State.ACCEPTED, State.REFUSED, State.DROPPED},
    State.INSTRUCTING: {State.ACCEPTED, State.REFUSED, State.DROPPED},
    State.ACCEPTED: {State.INSTRUCTING},
    State.REFUSED: {State.INSTRUCTING},
    State.DROPPED: {State.INSTRUCTING},
}


class EventKind(models.TextChoices):
    STATE = "state", _("Changement d'état")
    MESSAGE = "message", _("Message au demandeur")
    NOTE = "note", _("Note interne")
