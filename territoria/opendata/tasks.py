"""Scheduled regeneration of the datasets generated from the platform."""

from datetime import timedelta

from django.conf import settings

from django_tasks import task

from territoria.scheduler.schedule import every


@every(timedelta(hours=settings.OPENDATA_REFRESH_HOURS))
@task()
def refresh_generated_datasets() -> int:
    """Regenerate every generated dataset; `modified` moves only when the data changed."""
    from territoria.opendata.actions import refresh_all

    return refresh_all()
