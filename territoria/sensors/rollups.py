"""Daily rollups, built from the hourly ones after the ingestion.

The ingestion keeps the hourly rollups up to date in its own transaction, and only
notes which days it touched (`sensors_pending_day`). `refresh` then rebuilds those
days from their hourly rows, a whole day per statement: for hourly meters this
writes each daily row once instead of updating it with every batch, which was the
largest cost of the ingestion (docs/benchmarks.md, « Capteurs »). The scheduler runs
`refresh` every minute, and every reader of the daily rollups calls `ensure_fresh`
first, so what a page shows never lags behind the readings stored.
"""

from django.db import connection, transaction

import numpy as np

DAY = 86400

# A key of our own for PostgreSQL's advisory lock: one refresh at a time, so a refresh
# started later never overwrites a day with an older picture of it.
_LOCK_KEY = 0x7E5A_0D41

PENDING_SQLITE = "INSERT INTO sensors_pending_day (day) VALUES (?)"

# The last value of a day is the last value of the hour holding its last instant.
_DAILY_FROM_HOURLY = (
    "INSERT INTO sensors_daily (day, device_id, quantity, n, total, minimum, maximum, "
    "last_ts, last_value) "
    "SELECT g.day, g.device_id, g.quantity, g.n, g.total, g.minimum, g.maximum, g.last_ts, "
    "(SELECT h.last_value FROM sensors_hourly h WHERE h.hour = g.last_ts - g.last_ts %% 3600 "
    "AND h.device_id = g.device_id AND h.quantity = g.quantity) "
    "FROM (SELECT %s AS day, device_id, quantity, SUM(n) AS n, SUM(total) AS total, "
    "MIN(minimum) AS minimum, MAX(maximum) AS maximum, MAX(last_ts) AS last_ts "
    "FROM sensors_hourly WHERE hour >= %s AND hour < %s GROUP BY device_id, quantity) g "
    "WHERE true "  # lets SQLite read ON CONFLICT as the upsert clause
    "ON CONFLICT (day, device_id, quantity) DO UPDATE SET n = excluded.n, "
    "total = excluded.total, minimum = excluded.minimum, maximum = excluded.maximum, "
    "last_ts = excluded.last_ts, last_value = excluded.last_value"
)


def days_of(ts) -> list[int]:
    """The distinct UTC days (epoch seconds at 00:00) of an array of instants."""
    return np.unique(ts - ts % DAY).tolist()


def pending() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sensors_pending_day LIMIT 1")
        return cursor.fetchone() is not None


def refresh() -> int:
    """Rebuild every day the ingestion touched since the last refresh; returns how many
    days. The rebuilt days and the removal of their marks commit together; marks that
    an ingestion commits meanwhile stay for the next refresh."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        cursor.execute("DELETE FROM sensors_pending_day RETURNING day")
        days = sorted({day for (day,) in cursor.fetchall()})
        for day in days:
            cursor.execute(_DAILY_FROM_HOURLY, [day, day, day + DAY])
    return len(days)


def ensure_fresh() -> None:
    """Bring the daily rollups up to date if an ingestion touched them (one cheap read
    when nothing is pending)."""
    if pending():
        refresh()
