"""Days whose daily rollups wait for `rollups.refresh` (territoria/sensors/rollups.py).
No key: an ingestion only appends, so two ingestions never wait on each other's marks."""

from django.db import migrations


def create(apps, schema_editor):
    kind = "INTEGER" if schema_editor.connection.vendor == "sqlite" else "bigint"
    schema_editor.execute(f"CREATE TABLE sensors_pending_day (day {kind} NOT NULL)")


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE sensors_pending_day")


class Migration(migrations.Migration):
    dependencies = [("sensors", "0006_alert_status_label")]

    operations = [migrations.RunPython(create, drop)]
