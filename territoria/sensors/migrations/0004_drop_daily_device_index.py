"""The daily rollup's per-device index cost a third of each daily upsert (measured in
bench/ingest.py); per-device reads of the daily table go through its (day, device)
key or scan a few days, so the index goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sensors", "0003_fleet_simulated")]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS sensors_daily_device",
            "CREATE INDEX sensors_daily_device ON sensors_daily (device_id, quantity, day)",
        )
    ]
