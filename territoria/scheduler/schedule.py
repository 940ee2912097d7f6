"""Recurring jobs: each app registers its periodic tasks in its `tasks.py` with
`@every(timedelta(...))`; `tick()` enqueues those that are due.

`territoria demo` runs the scheduler beside the worker; in production a systemd unit
runs `manage.py run_scheduler` (docs/deployment.md). Enqueuing is recorded per task
name under a row lock, so two schedulers never enqueue the same run twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    task: object  # a django-tasks Task
    interval: timedelta

    @property
    def name(self) -> str:
        return self.task.module_path


REGISTRY: dict[str, Periodic] = {}


def every(interval: timedelta):
    """Register a django-tasks task (decorated with @task) to run at this interval."""

    def register(task):
        periodic = Periodic(task, interval)
        REGISTRY[periodic.name] = periodic
        return task

    return register


def discover() -> dict[str, Periodic]:
    """Import every app's `tasks` module so their registrations run."""
    for config in apps.get_app_configs():
        if config.name.startswith("territoria."):
            try:
                import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tasks":
                    raise
    return REGISTRY


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every registered task whose interval has elapsed; returns their names."""
    from territoria.scheduler.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for name, periodic in sorted(discover().items()):
        with transaction.atomic():
            run, created = PeriodicRun.objects.select_for_update().get_or_create(
                name=name, defaults={"last_enqueued_at": now}
            )
            if not created and now - run.last_enqueued_at < periodic.interval:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(periodic.task.enqueue)
        enqueued.append(name)
    return enqueued
