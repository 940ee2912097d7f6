"""Scheduled refresh: honest modified dates, never in the future."""

import datetime

from django.utils import timezone

import pytest

from territoria.opendata import actions
from territoria.opendata.tasks import refresh_generated_datasets
from tests.opendata.factories import generated, source_data


@pytest.mark.django_db
def test_refresh_without_change_keeps_modified(world, settings):
    """Regenerating unchanged data leaves the modified date as it was."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    source_data(world.saint_amand, world.citizen)
    dataset = generated(world.agent_saint_amand, world.saint_amand, "reports")
    before = dataset.modified
    refresh_generated_datasets.enqueue()
    dataset.refresh_from_db()
    assert dataset.modified == before
    assert dataset.modified <= timezone.now()


@pytest.mark.django_db
def test_modified_follows_the_data_and_never_goes_into_the_future(world):
    """A report updated later moves modified to that update; a date in the future is
    capped at now."""
    from territoria.reports.models import Report

    source_data(world.saint_amand, world.citizen)
    dataset = generated(world.agent_saint_amand, world.saint_amand, "reports")
    report = Report.objects.filter(publication="published").first()
    future = timezone.now() + datetime.timedelta(days=3)
    Report.objects.filter(pk=report.pk).update(updated_at=future, description="Réparé")
    actions.refresh_dataset(dataset)
    dataset.refresh_from_db()
    assert dataset.modified <= timezone.now()
    assert dataset.modified > timezone.now() - datetime.timedelta(minutes=1)
