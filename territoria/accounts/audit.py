"""The audit log: who did what, when. Every write by an agent, élu, admin or operator
calls `record()` inside the write's transaction, so the event and the change commit
(or roll back) together.

Action codes are English, dotted `<thing>.<verb>` strings (`invitation.sent`); each
module registers French labels for its codes with `register_actions()`.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from territoria.accounts.models import AuditEvent

ACTION_LABELS = {
    "invitation.sent": _("Invitation envoyée"),
    "invitation.accepted": _("Invitation acceptée"),
    "invitation.revoked": _("Invitation révoquée"),
    "member.role_changed": _("Rôle modifié"),
    "member.removed": _("Membre retiré"),
    "account.updated": _("Compte modifié"),
    "account.password_changed": _("Mot de passe modifié"),
    "account.password_reset": _("Mot de passe réinitialisé"),
    "admin.added": _("Ajout dans l'administration"),
    "admin.changed": _("Modification dans l'administration"),
    "admin.deleted": _("Suppression dans l'administration"),
}


def register_actions(labels: dict) -> None:
    """Let a module name its own action codes: `{"report.closed": _("Signalement clos")}`."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def record(actor, action, *, collectivite=None, obj=None, summary="", changes=None) -> AuditEvent:
    """Write one audit event. `changes` is any JSON-able dict, by convention
    `{"field": [old, new]}`; dates and decimals are turned into strings."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    if collectivite is None and obj is not None:
        collectivite = getattr(obj, "collectivite", None)
    return AuditEvent.objects.create(
        actor=actor,
        action=action[:60],
        collectivite=collectivite,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        summary=str(summary)[:300],
        changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
    )
