"""Background work of the funding module: the weekly digest of closing deadlines."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from django_tasks import task

from territoria.funding import links, perimeters
from territoria.funding.enums import Verdict
from territoria.funding.matching import CLOSING_SOON_DAYS, match
from territoria.funding.models import DigestSubscription, SentAlert, Window
from territoria.mail import render_email
from territoria.scheduler.schedule import every
from territoria.territories.models import user_role


def _closing_windows(collectivite, today):
    """Windows closing within 30 days of the programmes this collectivité may use for
    its roadmap projects (every usable programme when it has no project yet)."""
    area = perimeters.for_collectivite(collectivite, links.population(collectivite))
    projects = links.projects_with_funding(collectivite, area)
    if projects:
        usable = {m.programme.id for item in projects for m in item.funding.matches}
    else:
        found = match(area)
        usable = {m.programme.id for v in (Verdict.ELIGIBLE, Verdict.PROBABLE) for m in found[v]}
    return (
        Window.objects.filter(
            programme_id__in=usable,
            closes_on__gte=today,
            closes_on__lte=today + timedelta(days=CLOSING_SOON_DAYS),
        )
        .select_related("programme")
        .order_by("closes_on", "programme__name")
    )


def send_digest(subscription, today) -> int:
    """Mail one subscriber the deadlines not yet announced to them; returns how many."""
    user, collectivite = subscription.user, subscription.collectivite
    if not user.is_active or user_role(user, collectivite) is None:
        return 0
    announced = set(
        SentAlert.objects.filter(user=user, collectivite=collectivite).values_list(
            "window_id", flat=True
        )
    )
    windows = [w for w in _closing_windows(collectivite, today) if w.pk not in announced]
    if not windows:
        return 0
    try:
        with transaction.atomic():
            SentAlert.objects.bulk_create(
                SentAlert(user=user, collectivite=collectivite, window=w) for w in windows
            )
    except IntegrityError:  # another run announced them meanwhile
        return 0
    context = {
        "collectivite": collectivite,
        "windows": windows,
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
    }
    subject, body = render_email("funding/digest", context)
    EmailMessage(subject, body, to=[user.email]).send()
    return len(windows)


@every(timedelta(days=7))
@task()
def send_deadline_digests() -> int:
    """Each subscriber gets the programmes matching their projects that close within 30
    days; an alert already sent is never sent again. Returns the number of alerts."""
    today = timezone.localdate()
    subscriptions = DigestSubscription.objects.select_related("user", "collectivite")
    return sum(send_digest(s, today) for s in subscriptions)
