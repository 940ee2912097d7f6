"""The readings table and its hourly and daily rollups, written with bulk SQL.

The key starts with the time: readings arrive in time order (every device for one
hour, then the next), so each batch appends at the end of the B-tree instead of
touching pages all over it (docs/benchmarks.md, « Capteurs »). SQLite stores the
rows inside the key (WITHOUT ROWID); PostgreSQL keeps a heap whose physical order
follows the time, so the primary key also serves time-range scans."""

from django.db import migrations

ROLLUP_COLUMNS = (
    "n {int} NOT NULL, total {real} NOT NULL, minimum {real} NOT NULL, "
    "maximum {real} NOT NULL, last_ts {big} NOT NULL, last_value {real} NOT NULL"
)


def _statements(vendor):
    if vendor == "sqlite":
        types = {"big": "INTEGER", "int": "INTEGER", "small": "INTEGER", "real": "REAL"}
        suffix = " WITHOUT ROWID"
    else:
        types = {"big": "bigint", "int": "integer", "small": "smallint", "real": "double precision"}
        suffix = ""
    rollup = ROLLUP_COLUMNS.format(**types)
    return [
        f"CREATE TABLE sensors_reading (ts {types['big']} NOT NULL, "
        f"device_id {types['big']} NOT NULL, quantity {types['small']} NOT NULL, "
        f"value {types['real']} NOT NULL, PRIMARY KEY (ts, device_id, quantity)){suffix}",
        f"CREATE TABLE sensors_hourly (hour {types['big']} NOT NULL, "
        f"device_id {types['big']} NOT NULL, quantity {types['small']} NOT NULL, {rollup}, "
        f"PRIMARY KEY (hour, device_id, quantity)){suffix}",
        f"CREATE TABLE sensors_daily (day {types['big']} NOT NULL, "
        f"device_id {types['big']} NOT NULL, quantity {types['small']} NOT NULL, {rollup}, "
        f"PRIMARY KEY (day, device_id, quantity)){suffix}",
        # Per-device history (charts, detectors) reads the rollups by device.
        "CREATE INDEX sensors_daily_device ON sensors_daily (device_id, quantity, day)",
    ]


def create(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for table in ("sensors_daily", "sensors_hourly", "sensors_reading"):
        schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    dependencies = [("sensors", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
