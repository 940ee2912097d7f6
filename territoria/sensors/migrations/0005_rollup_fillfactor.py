"""PostgreSQL: room in the rollup tables' pages, so that updating a rollup row (the
daily one, 24 times a day for an hourly meter) is a heap-only update instead of a new
index entry: the daily upsert fell from 72 ms to 19 ms per batch of 5,000 (measured,
docs/benchmarks.md)."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sensors_daily SET (fillfactor = 50)")
        schema_editor.execute("ALTER TABLE sensors_hourly SET (fillfactor = 90)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sensors_daily RESET (fillfactor)")
        schema_editor.execute("ALTER TABLE sensors_hourly RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("sensors", "0004_drop_daily_device_index")]

    operations = [migrations.RunPython(forward, backward)]
