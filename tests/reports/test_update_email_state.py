"""Each email to the reporter carries the state of its own update, even when an agent
writes twice within a minute and the emails leave after both."""

from django.core import mail

import pytest

from territoria.reports import handling
from territoria.reports.enums import Status
from territoria.reports.models import Update
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_two_quick_updates_send_two_states(rw, django_capture_on_commit_callbacks):
    report = make_report(rw.lighting)
    agent = rw.world.agent_saint_amand
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        handling.change_status(
            report, agent, Status.IN_PROGRESS, text="Nous passons cette semaine."
        )
        handling.change_status(report, agent, Status.RESOLVED, text="Ampoule changée.")
    # The emails leave after the last change, as a busy worker would send them.
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    first = next(m.body for m in mail.outbox if "cette semaine" in m.body)
    resolved = next(m.body for m in mail.outbox if "Ampoule changée." in m.body)
    assert f"État : {Status.IN_PROGRESS.label}." in first
    assert str(Status.RESOLVED.label) not in first and "/rouvrir/" not in first
    assert f"État : {Status.RESOLVED.label}." in resolved and "/rouvrir/" in resolved


def test_an_update_without_a_change_has_the_state_of_its_time(rw):
    """A message written between two changes reads the state the first one set; one
    written before any change reads the state the next change started from."""
    report = make_report(rw.lighting)
    agent = rw.world.agent_saint_amand

    def message():
        return Update.objects.create(
            collectivite=report.collectivite, report=report, text="Message", is_public=True
        )

    before_any = message()
    handling.change_status(report, agent, Status.IN_PROGRESS)
    between = message()
    handling.change_status(report, agent, Status.RESOLVED)
    assert before_any.status_then() == Status.NEW
    assert between.status_then() == Status.IN_PROGRESS
