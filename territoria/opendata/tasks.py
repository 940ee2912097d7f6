"""Scheduled regeneration of the datasets generated from the platform."""

from datetime import timedelta

from django_tasks import task

from territoria.opendata.conf import refresh_hours
from territoria.scheduler.schedule import every


@every(timedelta(hours=refresh_hours()))
@task()
def refresh_generated_datasets() -> int:
    """Regenerate every generated dataset; `modified` moves only when the data changed."""
    from territoria.opendata.actions import refresh_all

    return refresh_all()
