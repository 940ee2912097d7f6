"""Background work of the sensors module: alert emails and their reminder, the daily
rollups every minute, the detectors every hour, the retention of raw readings every
day."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from django_tasks import task

from territoria.mail import render_email
from territoria.scheduler.schedule import every

# An open alert nobody has acknowledged after this long is sent again, once.
REMIND_AFTER = timedelta(hours=24)


@task()
def notify_alert(alert_id: int) -> int:
    """Email the agents and admins of the alert's collectivité once; returns how
    many messages were sent. Idempotent: the alert is claimed before sending."""
    from territoria.sensors.models import Alert

    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    if not claimed:
        return 0
    return _email_alert(Alert.objects.get(pk=alert_id), reminder=False)


@every(timedelta(hours=1))
@task()
def remind_open_alerts() -> int:
    """Alerts still open (not acknowledged) `REMIND_AFTER` after they opened are sent
    again, once; returns how many messages were sent."""
    from territoria.sensors.enums import AlertStatus
    from territoria.sensors.models import Alert

    sent = 0
    due = Alert.objects.filter(
        status=AlertStatus.OPEN,
        opened_at__lte=timezone.now() - REMIND_AFTER,
        reminded_at__isnull=True,
    )
    for alert in due:
        with transaction.atomic():
            claimed = Alert.objects.filter(pk=alert.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
        if claimed:
            sent += _email_alert(alert, reminder=True)
    return sent


def _email_alert(alert, *, reminder: bool) -> int:
    """Send the alert to the collectivité's agents and admins who have not muted its
    kind; returns how many messages were sent."""
    from territoria.accounts.enums import Role
    from territoria.accounts.models import Membership
    from territoria.sensors.models import AlertMute

    muted = AlertMute.objects.of(alert.collectivite).filter(kind=alert.kind).values("user_id")
    emails = sorted(
        Membership.objects.filter(
            collectivite=alert.collectivite, role__in=[Role.AGENT, Role.ADMIN]
        )
        .exclude(user_id__in=muted)
        .values_list("user__email", flat=True)
    )
    context = {
        "alert": alert,
        "reminder": reminder,
        "lost_m3": alert.lost_m3(),
        "lost_eur": alert.lost_eur(),
        "SITE_NAME": settings.SITE_NAME,
        "url": settings.SITE_URL + alert.get_absolute_url(),
        "choices_url": settings.SITE_URL
        + reverse("sensors:alert_emails", kwargs={"slug": alert.collectivite.slug}),
    }
    subject, body = render_email("sensors/emails/alert", context)
    for email in emails:
        EmailMessage(subject, body, to=[email]).send()
    return len(emails)


@every(timedelta(minutes=1))
@task()
def refresh_daily_rollups() -> int:
    """The days touched by the ingestion since the last run get their daily rollups."""
    from territoria.sensors import rollups

    return rollups.refresh()


@every(timedelta(hours=1))
@task()
def run_detectors() -> int:
    """Every detector on every collectivité with devices; returns alerts opened."""
    from territoria.sensors import detection

    return detection.run_all()


@every(timedelta(days=1))
@task()
def purge_old_readings() -> int:
    """Raw readings older than the retention delay go; rollups stay."""
    from territoria.sensors import retention

    return retention.purge()


@every(timedelta(minutes=10))
@task()
def simulate_live() -> int:
    """Demo fleets (marked simulated) receive their missing readings."""
    from territoria.sensors import demo

    return demo.tick()
