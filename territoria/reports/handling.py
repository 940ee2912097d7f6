"""Writes of the back office on reports: status, notes, duplicates, assignment,
publication, bulk actions; each in one transaction, the reporter told on commit."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.reports import tasks
from territoria.reports.actions import MAX_DESCRIPTION
from territoria.reports.enums import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Publication,
    Status,
)
from territoria.reports.models import (
    Category,
    Question,
    Report,
    Update,
    reports_changed,
)
from territoria.reports.text import strip_controls


def _require_change(report: Report, actor) -> None:
    if not report.get_abilities(actor)["change"]:
        raise PermissionDenied


def _write_update(report, actor, *, text, is_public, status=None) -> Update:
    before = report.status
    now = timezone.now()
    if status and status != before:
        report.status = status
        if before == Status.NEW and report.acknowledged_at is None:
            report.acknowledged_at = now
        if status in CLOSED_STATUSES:
            report.closed_at = now
        elif before in CLOSED_STATUSES:
            report.closed_at = None
    report.updated_at = now
    report.save(
        update_fields=["status", "acknowledged_at", "closed_at", "updated_at", "duplicate_of"]
    )
    update = Update.objects.create(
        collectivite=report.collectivite,
        report=report,
        author=actor if actor is not None and actor.is_authenticated else None,
        is_public=is_public,
        text=text,
        status_before=before if status else "",
        status_after=status or "",
        created_at=now,
    )
    reports_changed(report)
    if is_public and report.reporter_email:
        transaction.on_commit(partial(tasks.send_update_email.enqueue, update.pk))
    return update


def change_status(report: Report, actor, status: str, *, text: str = "", public: bool = True):
    """Move a report along the workflow, with a public message or an internal note."""
    _require_change(report, actor)
    if status not in Status.values:
        raise ActionError("invalid_status", _("État inconnu."), field="status")
    if status != report.status and status not in TRANSITIONS[Status(report.status)]:
        raise ActionError(
            "invalid_transition",
            _("Un signalement « %(before)s » ne peut pas passer à « %(after)s ».")
            % {
                "before": report.get_status_display(),
                "after": Status(status).label,
            },
            field="status",
        )
    if status == Status.DUPLICATE and report.duplicate_of_id is None:
        raise ActionError(
            "missing_original",
            _("Indiquez le numéro du signalement d'origine avec « Doublon de »."),
            field="status",
        )
    text = strip_controls(text or "").strip()[:MAX_DESCRIPTION]
    if status == report.status and not text:
        raise ActionError("empty_update", _("Écrivez un message ou changez l'état."))
    with transaction.atomic():
        update = _write_update(
            report, actor, text=text, is_public=public,
            status=status if status != report.status else None,
        )  # fmt: skip
        audit.record(
            actor,
            "reports.status",
            collectivite=report.collectivite,
            obj=report,
            summary=f"#{report.pk} {update.status_before or report.status} → {report.status}",
        )
    return update


def add_note(report: Report, actor, text: str) -> Update:
    """An internal note: agents only, the reporter is not told."""
    _require_change(report, actor)
    text = strip_controls(text or "").strip()[:MAX_DESCRIPTION]
    if not text:
        raise ActionError("empty_update", _("La note est vide."), field="text")
    with transaction.atomic():
        return _write_update(report, actor, text=text, is_public=False)


def mark_duplicate(report: Report, actor, original_id) -> Update:
    """Close a report as a duplicate of another open report of the same collectivité."""
    _require_change(report, actor)
    original = (
        Report.objects.of(report.collectivite)
        .exclude(pk=report.pk)
        .filter(pk=int(original_id) if str(original_id).isdigit() else -1)
        .first()
    )
    if original is None:
        raise ActionError(
            "unknown_original",
            _("Le signalement n°%(id)s n'existe pas dans cette collectivité.")
            % {"id": original_id},
            field="duplicate_of",
        )
    if original.duplicate_of_id == report.pk:
        raise ActionError(
            "circular_duplicate",
            _("Le signalement n°%(id)s est déjà un doublon de celui-ci.") % {"id": original.pk},
            field="duplicate_of",
        )
    if (
        report.status != Status.DUPLICATE
        and Status.DUPLICATE not in TRANSITIONS[Status(report.status)]
    ):
        raise ActionError("invalid_transition", _("Rouvrez d'abord ce signalement."))
    with transaction.atomic():
        report.duplicate_of = original
        update = _write_update(
            report,
            actor,
            text=_("Doublon du signalement n°%(id)s, suivi à sa place.") % {"id": original.pk},
            is_public=True,
            status=Status.DUPLICATE,
        )
        Report.objects.filter(pk=original.pk).update(supporters=F("supporters") + 1)
        reports_changed(original)
        audit.record(
            actor,
            "reports.duplicate",
            collectivite=report.collectivite,
            obj=report,
            summary=f"#{report.pk} → #{original.pk}",
        )
    return update


def assign(report: Report, actor, assignee) -> None:
    """Give the report to an agent of its collectivité (or to nobody)."""
    _require_change(report, actor)
    if (
        assignee is not None
        and not report.collectivite.memberships.filter(
            user=assignee, role__in=["agent", "admin"]
        ).exists()
    ):
        raise ActionError(
            "invalid_assignee",
            _("Cette personne n'est pas agent de la collectivité."),
            field="assignee",
        )
    with transaction.atomic():
        report.assignee = assignee
        report.updated_at = timezone.now()
        report.save(update_fields=["assignee", "updated_at"])
        reports_changed(report)
        audit.record(
            actor,
            "reports.assign",
            collectivite=report.collectivite,
            obj=report,
            summary=f"#{report.pk} → {assignee.email if assignee else '-'}",
        )


def set_publication(report: Report, actor, publication: str) -> None:
    """Moderation: hide a report from the public, or publish it again."""
    _require_change(report, actor)
    if publication not in {Publication.PUBLISHED, Publication.HIDDEN}:
        raise ActionError("invalid_publication", _("Choix de publication inconnu."))
    with transaction.atomic():
        report.publication = publication
        report.save(update_fields=["publication"])
        reports_changed(report)
        audit.record(
            actor,
            "reports.publication",
            collectivite=report.collectivite,
            obj=report,
            summary=f"#{report.pk} {publication}",
        )


BULK_ACTIONS = {"acknowledge", "in_progress", "assign", "hide", "publish"}


def bulk(actor, reports, action: str, *, assignee=None) -> int:
    """Apply one action to several reports of one collectivité, all or nothing."""
    reports = list(reports)
    if action not in BULK_ACTIONS:
        raise ActionError("invalid_action", _("Action groupée inconnue."))
    if not reports:
        raise ActionError("empty_selection", _("Cochez au moins un signalement."))
    with transaction.atomic():
        for report in reports:
            if action == "acknowledge":
                if report.status == Status.NEW:
                    change_status(report, actor, Status.ACKNOWLEDGED)
            elif action == "in_progress":
                if report.status in OPEN_STATUSES and report.status != Status.IN_PROGRESS:
                    change_status(report, actor, Status.IN_PROGRESS)
            elif action == "assign":
                assign(report, actor, assignee)
            elif action == "hide":
                set_publication(report, actor, Publication.HIDDEN)
            else:
                set_publication(report, actor, Publication.PUBLISHED)
    return len(reports)


def set_questions(category: Category, actor, questions: list[dict], deleted_ids=()) -> None:
    """Save the extra questions of a category in the order given (an `id` updates that
    question, none adds one) and delete `deleted_ids`: all of it or nothing."""
    if not category.get_abilities(actor)["change"]:
        raise PermissionDenied
    existing = {question.pk: question for question in category.questions.all()}
    given = [data["id"] for data in questions if data.get("id")]
    if any(pk not in existing for pk in [*given, *deleted_ids]):
        raise ActionError(
            "unknown_question",
            _("Une question a été modifiée entre-temps : rechargez la page."),
        )
    untouched = [q.code for pk, q in existing.items() if pk not in given and pk not in deleted_ids]
    codes = untouched + [data["code"] for data in questions]
    if duplicate := next((code for code in codes if codes.count(code) > 1), None):
        raise ActionError(
            "duplicate_code",
            _("Deux questions ont le code « %(code)s ».") % {"code": duplicate},
            field="code",
        )
    with transaction.atomic():
        Question.objects.filter(category=category, pk__in=list(deleted_ids)).delete()
        # Codes are unique per category: free the changed ones first (two may swap).
        for data in questions:
            if data.get("id") and existing[data["id"]].code != data["code"]:
                Question.objects.filter(pk=data["id"]).update(code=f"_{data['id']}")
        for order, data in enumerate(questions, start=1):
            question = existing.get(data.get("id")) or Question(
                collectivite=category.collectivite, category=category
            )
            for name in ("label", "code", "help_text", "datatype", "required", "choices"):
                setattr(question, name, data[name])
            question.order = order
            question.save()
        audit.record(
            actor,
            "reports.questions",
            collectivite=category.collectivite,
            obj=category,
            summary=f"{category.name} — questions : {len(questions)}",
        )
