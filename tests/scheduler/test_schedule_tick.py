from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest

from territoria.scheduler.models import PeriodicRun
from territoria.scheduler.schedule import tick
from tests.scheduler import periodic_tasks

NAME = periodic_tasks.hourly_probe.module_path


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    periodic_tasks.RUNS.clear()


@pytest.mark.django_db(transaction=True)
def test_a_due_task_runs_once_per_interval(immediate):
    """A registered task runs at the first tick, not again within its interval, and
    again once the interval has elapsed."""
    start = timezone.now()
    assert NAME in tick(start)
    assert NAME not in tick(start + timedelta(minutes=59))
    assert NAME in tick(start + timedelta(minutes=61))
    assert periodic_tasks.RUNS == ["ran", "ran"]
    assert PeriodicRun.objects.get(name=NAME).last_enqueued_at == start + timedelta(minutes=61)


@pytest.mark.django_db(transaction=True)
def test_the_command_enqueues_due_tasks_once(immediate, capsys):
    """`run_scheduler --once` enqueues what is due and says so; a second pass adds nothing."""
    call_command("run_scheduler", "--once")
    assert f"Mise en file : {NAME}" in capsys.readouterr().out
    call_command("run_scheduler", "--once")
    assert NAME not in capsys.readouterr().out
    assert periodic_tasks.RUNS == ["ran"]
