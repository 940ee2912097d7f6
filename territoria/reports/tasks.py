"""Background work of reports: the emails to reporters and the daily purge of
personal data. Tasks take ids; links are signed when the email is written."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from django_tasks import task

from territoria.mail import render_email
from territoria.scheduler.schedule import every


def _send(template_prefix: str, to: str, context: dict) -> None:
    subject, body = render_email(f"reports/emails/{template_prefix}", context)
    EmailMessage(subject, body, to=[to]).send()


@task()
def send_confirmation_email(report_id: int) -> bool:
    """Mail the confirmation link of an anonymous report, once."""
    from territoria.reports.actions import confirmation_token
    from territoria.reports.enums import Publication
    from territoria.reports.models import Report

    claimed = Report.objects.filter(
        pk=report_id, publication=Publication.UNCONFIRMED, confirmation_sent_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return False
    report = Report.objects.select_related("collectivite", "category").get(pk=report_id)
    if not report.reporter_email:
        return False
    try:
        url = settings.SITE_URL + reverse(
            "reports:confirm", kwargs={"token": confirmation_token(report)}
        )
        _send("confirm", report.reporter_email, {"report": report, "url": url})
    except Exception:
        Report.objects.filter(pk=report_id).update(confirmation_sent_at=None)
        raise
    return True


@task()
def send_receipt_email(report_id: int) -> bool:
    """Tell a signed-in or Open311 reporter that the report was received."""
    from territoria.reports.models import Report

    report = Report.objects.select_related("collectivite", "category").get(pk=report_id)
    if not report.reporter_email:
        return False
    url = settings.SITE_URL + report.get_absolute_url()
    _send("receipt", report.reporter_email, {"report": report, "url": url})
    return True


@task()
def send_update_email(update_id: int) -> bool:
    """Tell the reporter about a public update, once."""
    from territoria.reports.actions import reopen_token
    from territoria.reports.enums import CLOSED_STATUSES, Status
    from territoria.reports.models import Update

    claimed = Update.objects.filter(pk=update_id, is_public=True, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    update = Update.objects.select_related("report__collectivite", "report__category").get(
        pk=update_id
    )
    report = update.report
    if not report.reporter_email:
        return False
    status = Status(update.status_then())
    context = {
        "report": report,
        "update": update,
        "status": status.label,
        "url": settings.SITE_URL + report.get_absolute_url(),
        "reopen_days": settings.REPORTS_REOPEN_DAYS,
        "reopen_url": (
            settings.SITE_URL + reverse("reports:reopen", kwargs={"token": reopen_token(report)})
            if status in CLOSED_STATUSES and report.can_reopen()
            else ""
        ),
    }
    try:
        _send("update", report.reporter_email, context)
    except Exception:
        Update.objects.filter(pk=update_id).update(notified_at=None)
        raise
    return True


@every(timedelta(days=1))
@task()
def purge_personal_data() -> int:
    """Erase reporters' personal data past REPORTS_PERSONAL_DATA_RETENTION_DAYS."""
    from territoria.reports.actions import purge_personal_data as purge

    return purge()
