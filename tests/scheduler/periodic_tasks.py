"""A periodic task registered for the scheduler's tests only."""

from datetime import timedelta

from django_tasks import task

from territoria.scheduler.schedule import every

RUNS: list[str] = []


@every(timedelta(hours=1))
@task()
def hourly_probe():
    RUNS.append("ran")
