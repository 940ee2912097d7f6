"""Writes of the idea box: propose, support, comment, flag, answer and moderate."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria import images
from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.participation import tasks
from territoria.participation.enums import IdeaStatus, Visibility
from territoria.participation.models import Comment, Flag, Idea, Support


def propose_idea(
    collectivite, author, *, title, body, category, place="", author_name="", image=None
) -> Idea:
    if not author.is_authenticated:
        raise PermissionDenied
    try:
        cleaned = images.clean_upload(image) if image else None
    except images.ImageError as error:
        raise ActionError("invalid_image", error.message, field="image") from None
    idea = Idea(
        collectivite=collectivite,
        author=author,
        title=title.strip(),
        body=body.strip(),
        category=category,
        place=place.strip(),
        author_name=author_name.strip(),
    )
    if cleaned is not None:
        idea.image = cleaned
    idea.save()
    return idea


def support_idea(idea, user) -> bool:
    """Support an idea once; a second support is a no-op. Returns True if added."""
    if not idea.get_abilities(user)["support"]:
        raise PermissionDenied
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    return True


def comment_idea(idea, user, *, body, author_name="") -> Comment:
    if not idea.get_abilities(user)["comment"]:
        raise PermissionDenied
    if not body.strip():
        raise ActionError("empty_comment", _("Le commentaire est vide."), field="body")
    return Comment.objects.create(
        idea=idea, author=user, body=body.strip(), author_name=author_name.strip()
    )


def _auto_hide(target, flags: int) -> None:
    if flags >= settings.PARTICIPATION_FLAGS_TO_HIDE and target.visibility == Visibility.VISIBLE:
        type(target).objects.filter(pk=target.pk).update(visibility=Visibility.PENDING)


def flag(user, *, idea=None, comment=None, reason="") -> bool:
    """Report abuse once per person; after N reports the item waits for a moderator."""
    target = idea or comment
    owner = idea or comment.idea
    if not user.is_authenticated or not owner.get_abilities(user)["flag"]:
        raise PermissionDenied
    with transaction.atomic():
        try:
            with transaction.atomic():
                Flag.objects.create(idea=idea, comment=comment, user=user, reason=reason[:200])
        except IntegrityError:
            return False
        flags = Flag.objects.filter(idea=idea, comment=comment).count()
        _auto_hide(target, flags)
    return True


def answer_idea(idea, actor, *, status, answer) -> Idea:
    if not idea.get_abilities(actor)["change"]:
        raise PermissionDenied
    if status not in IdeaStatus.values or status == IdeaStatus.NEW:
        raise ActionError("invalid_status", _("Choisissez un statut."), field="status")
    if not answer.strip():
        raise ActionError(
            "answer_required", _("Expliquez votre réponse aux habitants."), field="answer"
        )
    old = idea.status
    idea.status, idea.answer, idea.answered_at = status, answer.strip(), timezone.now()
    idea.save(update_fields=["status", "answer", "answered_at"])
    transaction.on_commit(
        partial(tasks.notify_idea_answer.enqueue, idea.pk, idea.answered_at.isoformat())
    )
    audit.record(
        actor,
        "participation.answer",
        obj=idea,
        changes={"status": [old, status]},
        summary=idea.title,
    )
    return idea


def moderate(actor, collectivite, *, ideas=(), comments=(), decision: str, note="") -> int:
    """Hide or restore many ideas and comments of one collectivité at once."""
    from territoria.participation.models import staff_of

    if not staff_of(actor, collectivite):
        raise PermissionDenied
    if decision not in {"hide", "restore"}:
        raise ActionError("invalid_decision", _("Choisissez masquer ou rétablir."))
    target = Visibility.HIDDEN if decision == "hide" else Visibility.VISIBLE
    with transaction.atomic():
        idea_qs = Idea.objects.of(collectivite).filter(pk__in=list(ideas))
        comment_qs = Comment.objects.filter(idea__collectivite=collectivite, pk__in=list(comments))
        changed = idea_qs.update(visibility=target)
        if note:
            for idea in idea_qs:
                idea.moderation_note = (idea.moderation_note + "\n" + note).strip()
                idea.save(update_fields=["moderation_note"])
        changed += comment_qs.update(visibility=target)
        if decision == "restore":
            Flag.objects.filter(idea__in=idea_qs).delete()
            Flag.objects.filter(comment__in=comment_qs).delete()
        audit.record(
            actor,
            f"participation.moderate_{decision}",
            collectivite=collectivite,
            summary=_("%(n)s contributions") % {"n": changed},
        )
    return changed


def hide_author(actor, collectivite, author_id: int) -> int:
    """Hide every idea and comment of one author in this collectivité."""
    ideas = Idea.objects.of(collectivite).filter(author_id=author_id).values_list("pk", flat=True)
    comments = Comment.objects.filter(
        idea__collectivite=collectivite, author_id=author_id
    ).values_list("pk", flat=True)
    return moderate(
        actor, collectivite, ideas=list(ideas), comments=list(comments), decision="hide"
    )
