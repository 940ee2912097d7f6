"""Hourly and daily rollups follow incremental ingestion exactly."""

import random

from django.db import connection

import pytest

from territoria.sensors import ingest, links, rollups
from territoria.sensors.formats import native

T0 = 1741996800  # 2025-03-15T00:00:00Z


def _rollup(table, bucket):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {bucket}, device_id, quantity, n, total, minimum, maximum, last_ts, "  # noqa: S608
            f"last_value FROM {table} ORDER BY 1, 2, 3"
        )
        return [
            tuple(round(x, 6) if isinstance(x, float) else x for x in row)
            for row in cursor.fetchall()
        ]


def _expected(rows, width, ids):
    groups = {}
    for device, ts, value in rows:
        key = (ts - ts % width, ids[device], 1)
        groups.setdefault(key, []).append((ts, value))
    result = []
    for key in sorted(groups):
        points = sorted(groups[key])
        values = [v for _, v in points]
        result.append(
            (
                *key,
                len(values),
                round(sum(values), 6),
                min(values),
                max(values),
                points[-1][0],
                points[-1][1],
            )
        )
    return result


@pytest.mark.django_db
def test_rollups_equal_a_recomputation_after_shuffled_overlapping_batches(fleet):
    """Batches in any order, overlapping, replayed: rollups match the readings."""
    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    rng = random.Random(7)
    rows = [
        (device, T0 + 600 * i, float(rng.randint(0, 50)))
        for device in ("SAM-0042", "compteur-mairie")
        for i in range(300)
    ]
    chunks = [rows[i : i + 70] for i in range(0, len(rows), 70)]
    rng.shuffle(chunks)
    for chunk in chunks + chunks[:3]:
        overlap = chunk + rows[:5]
        ingest.ingest(
            native({"quantity": "water_volume", "rows": [list(r) for r in overlap]}), directory
        )
    assert _rollup("sensors_hourly", "hour") == _expected(rows, 3600, directory)
    assert rollups.refresh() == 3
    assert _rollup("sensors_daily", "day") == _expected(rows, 86400, directory)


@pytest.mark.django_db
def test_a_reader_of_daily_rollups_sees_a_late_reading_at_once(fleet):
    """A reading for a day already rolled up shows in the daily totals read next."""
    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    rows = [["SAM-0042", T0 + 3600 * h, 10.0] for h in range(24)]
    ingest.ingest(native({"quantity": "water_volume", "rows": rows}), directory)
    rollups.refresh()
    ingest.ingest(
        native({"quantity": "water_volume", "rows": [["SAM-0042", T0 + 1800, 5.0]]}), directory
    )
    daily = links.daily_rollups(fleet.collectivite, "water_meter", 1)
    assert [(d.day, d.n, d.total) for d in daily] == [(T0, 25, 245.0)]
    assert not rollups.pending()
