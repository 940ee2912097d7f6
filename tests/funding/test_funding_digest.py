"""The weekly digest of closing deadlines: only to subscribers, never twice."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from territoria.funding.models import DigestSubscription, SentAlert, Window
from territoria.funding.tasks import send_deadline_digests
from tests.email_links import follow_signed_out
from tests.funding.factories import make_programme

TODAY = timezone.localdate()


@pytest.fixture
def subscribed(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_programme(
        "bientot", name="Appel qui ferme bientôt", windows=[(None, TODAY + timedelta(10))]
    )
    make_programme("plus-tard", name="Appel lointain", windows=[(None, TODAY + timedelta(90))])
    make_programme(
        "ailleurs", name="Appel d'une autre région", scale="regions", perimeter_codes=["75"],
        windows=[(None, TODAY + timedelta(5))],
    )  # fmt: skip
    DigestSubscription.objects.create(user=world.agent_saint_amand, collectivite=world.saint_amand)
    return world


def test_the_digest_links_work_signed_out(subscribed, client):
    """The programme page opens; the collectivité's funding page asks to sign in first."""
    send_deadline_digests.call()
    (message,) = mail.outbox
    paths = follow_signed_out(client, message.body, subscribed.agent_saint_amand)
    assert "/aides/programmes/bientot/" in paths


def test_a_subscriber_gets_the_deadlines_of_the_next_30_days_once(subscribed):
    """The digest lists the usable programme closing within 30 days; the next week's
    run sends nothing more."""
    assert send_deadline_digests.call() == 1
    (message,) = mail.outbox
    assert message.to == ["agent@saint-amand.fr"]
    assert message.subject == (
        "Saint-Amand-Montrond : 1 date limite de financement dans les 30 jours"
    )
    assert "Appel qui ferme bientôt" in message.body
    assert "Appel lointain" not in message.body and "autre région" not in message.body
    assert "/aides/programmes/bientot/" in message.body
    assert send_deadline_digests.call() == 0
    assert len(mail.outbox) == 1


def test_a_new_window_is_announced_alone(subscribed):
    """A window opened after a digest is the only one in the next digest."""
    send_deadline_digests.call()
    programme = make_programme("nouveau", name="Nouvel appel")
    Window.objects.create(programme=programme, closes_on=TODAY + timedelta(20))
    send_deadline_digests.call()
    assert "Nouvel appel" in mail.outbox[1].body
    assert "Appel qui ferme bientôt" not in mail.outbox[1].body
    assert SentAlert.objects.count() == 2


def test_a_former_member_gets_nothing(subscribed):
    """A subscriber who left the collectivité receives no digest."""
    subscribed.agent_saint_amand.memberships.all().delete()
    assert send_deadline_digests.call() == 0
    assert mail.outbox == []
