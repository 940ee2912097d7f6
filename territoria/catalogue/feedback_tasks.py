"""Background work of experience feedback: telling the authors about the moderation."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from django_tasks import task

from territoria.accounts import audit
from territoria.accounts.models import AuditEvent
from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Feedback
from territoria.mail import render_email

NOTIFIED = "feedback.authors_notified"


def _claim(feedback_id: int) -> Feedback | None:
    """Record the notification once (an audit event, under the feedback's row lock);
    None when it was already recorded or there is nothing to tell."""
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("author", "collectivite", "commune", "use_case")
            .filter(pk=feedback_id, status__in=[Moderation.APPROVED, Moderation.REJECTED])
            .first()
        )
        if feedback is None or feedback.author is None or not feedback.author.is_active:
            return None
        done = AuditEvent.objects.filter(
            action=NOTIFIED,
            object_type=feedback._meta.label_lower,
            object_id=str(feedback.pk),
        )
        if done.exists():
            return None
        audit.record(None, NOTIFIED, obj=feedback, summary=feedback.title)
    return feedback


@task()
def notify_feedback_authors(feedback_id: int) -> bool:
    """Mail the author of a moderated feedback once; returns whether a message was sent.

    Idempotent: the notification is first recorded as an audit event, so a second run
    finds it and does nothing; if sending fails, the record is removed so a new run
    may retry.
    """
    feedback = _claim(feedback_id)
    if feedback is None:
        return False
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "feedback": feedback,
        "approved": feedback.status == Moderation.APPROVED,
        "url": settings.SITE_URL + feedback.use_case.get_absolute_url(),
    }
    try:
        subject, body = render_email("catalogue/feedback_email", context)
        EmailMessage(subject, body, to=[feedback.author.email]).send()
    except Exception:
        AuditEvent.objects.filter(
            action=NOTIFIED, object_type=feedback._meta.label_lower, object_id=str(feedback.pk)
        ).delete()
        raise
    return True
