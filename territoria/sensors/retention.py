"""Raw readings are kept for a while (SENSORS_RAW_RETENTION_DAYS, 400 days by
default), hourly and daily rollups for ever: charts and savings use the rollups."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


def retention_days() -> int:
    return int(getattr(settings, "SENSORS_RAW_RETENTION_DAYS", 400))


def purge(now=None) -> int:
    """Delete raw readings older than the retention delay; returns how many."""
    now = now or timezone.now()
    cutoff = int((now - datetime.timedelta(days=retention_days())).timestamp())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sensors_reading WHERE ts < %s", [cutoff])
        return cursor.rowcount
