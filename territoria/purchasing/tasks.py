"""Background work of group purchasing: notifications, freezing at the deadline."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from django_tasks import task

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership
from territoria.mail import render_email
from territoria.purchasing.enums import CampaignStatus, Notice
from territoria.scheduler.schedule import every

DEADLINE_NOTICE_DAYS = 7


def _recipients(collectivite_id) -> list[str]:
    return list(
        Membership.objects.filter(
            collectivite_id=collectivite_id,
            role__in=[Role.AGENT, Role.ADMIN],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


@task()
def notify(campaign_id: int, kind: str, collectivite_ids: list[int], detail: str = "") -> int:
    """Mail the agents and admins of each collectivité once per (campaign, kind, detail);
    returns how many collectivités were told."""
    from territoria.purchasing.convention import convention
    from territoria.purchasing.models import Campaign, SentNotice
    from territoria.territories.models import Collectivite

    campaign = Campaign.objects.select_related("collectivite").get(pk=campaign_id)
    told = 0
    for collectivite in Collectivite.objects.filter(pk__in=collectivite_ids):
        try:
            with transaction.atomic():
                SentNotice.objects.create(
                    campaign=campaign, collectivite=collectivite, kind=kind, detail=detail
                )
        except IntegrityError:
            continue
        recipients = _recipients(collectivite.pk)
        if not recipients:
            continue
        context = {
            "campaign": campaign,
            "collectivite": collectivite,
            "kind": kind,
            "data": convention(campaign),
            "SITE_URL": settings.SITE_URL,
            "SITE_NAME": settings.SITE_NAME,
        }
        subject, body = render_email("purchasing/notice", context)
        EmailMessage(subject, body, to=recipients).send()
        told += 1
    return told


@every(timedelta(hours=1))
@task()
def follow_deadlines() -> dict:
    """Freeze campaigns past their needs deadline; a week before it, remind the invited
    collectivités that have not joined and the members."""
    from territoria.purchasing.actions import freeze, invited_collectivites
    from territoria.purchasing.models import Campaign

    today = timezone.localdate()
    frozen = reminded = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.OPEN).select_related(
        "collectivite"
    ):
        if campaign.is_past_deadline(today):
            frozen += freeze(campaign)
        elif campaign.needs_deadline - today <= timedelta(days=DEADLINE_NOTICE_DAYS):
            targets = [c.pk for c in invited_collectivites(campaign)]
            reminded += notify.call(
                campaign.pk, Notice.DEADLINE, targets, str(campaign.needs_deadline)
            )
    return {"frozen": frozen, "reminded": reminded}
