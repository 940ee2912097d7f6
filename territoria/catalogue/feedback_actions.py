"""Writes of towns' experience feedback: validation first, then the write and its audit
event in one transaction; the authors' email is enqueued on commit.

Verbs: `submit_feedback`, `update_feedback` (while it awaits moderation),
`approve_feedback`, `reject_feedback`.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.catalogue import feedback_tasks
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import user_role

audit.register_actions(
    {
        "feedback.submitted": gettext_lazy("Retour d'expérience proposé"),
        "feedback.updated": gettext_lazy("Retour d'expérience modifié"),
        "feedback.approved": gettext_lazy("Retour d'expérience publié"),
        "feedback.rejected": gettext_lazy("Retour d'expérience refusé"),
        "feedback.authors_notified": gettext_lazy("Auteurs du retour d'expérience prévenus"),
    }
)


def can_edit(feedback: Feedback, user) -> bool:
    """Members of the writing collectivité edit their feedback while it awaits moderation."""
    return feedback.status == Moderation.SUBMITTED and feedback.get_abilities(user)["change"]


def submit_feedback(user, form) -> Feedback:
    """Save a valid FeedbackForm as `submitted`, written by this member of a commune."""
    collectivite = form.cleaned_data["collectivite"]
    if user_role(user, collectivite) is None:
        raise PermissionDenied
    if collectivite.kind != CollectiviteKind.COMMUNE:
        raise ActionError(
            "not_a_commune",
            _("Seules les communes peuvent partager un retour d'expérience."),
            field="collectivite",
        )
    with transaction.atomic():
        feedback = form.save(commit=False)
        feedback.collectivite = collectivite
        feedback.commune = collectivite.commune
        feedback.author = user
        feedback.status = Moderation.SUBMITTED
        feedback.save()
        audit.record(user, "feedback.submitted", obj=feedback, summary=feedback.title)
    return feedback


def update_feedback(user, feedback: Feedback, form) -> Feedback:
    """Save the changes of a feedback that still awaits moderation."""
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if not can_edit(locked, user):
            raise PermissionDenied
        changes = {
            name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
            for name in form.changed_data
        }
        feedback = form.save()
        audit.record(
            user, "feedback.updated", obj=feedback, summary=feedback.title, changes=changes
        )
    return feedback


def _moderate(user, feedback: Feedback, status: str, reason: str = "") -> Feedback:
    if not feedback.get_abilities(user)["moderate"]:
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("solution")
            .get(pk=feedback.pk)
        )
        if locked.status != Moderation.SUBMITTED:
            raise ActionError(
                "already_moderated", _("Ce retour d'expérience a déjà été modéré."), status=409
            )
        locked.status = status
        locked.rejection_reason = reason
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "moderated_at"])
        if locked.solution is not None:
            locked.solution.refresh_summary()
        action = "feedback.approved" if status == Moderation.APPROVED else "feedback.rejected"
        audit.record(
            user,
            action,
            obj=locked,
            summary=locked.title,
            changes={"status": [Moderation.SUBMITTED, status]},
        )
        transaction.on_commit(partial(feedback_tasks.notify_feedback_authors.enqueue, locked.pk))
    return locked


def approve_feedback(user, feedback: Feedback) -> Feedback:
    """Publish a submitted feedback (operators only); the solution's count follows."""
    return _moderate(user, feedback, Moderation.APPROVED)


def reject_feedback(user, feedback: Feedback, reason: str) -> Feedback:
    """Refuse a submitted feedback with a reason sent to its authors (operators only)."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(
            "reason_required",
            _("Indiquez le motif du refus : il est envoyé aux auteurs."),
            field="reason",
        )
    return _moderate(user, feedback, Moderation.REJECTED, reason)
