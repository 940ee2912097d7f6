"""When an alert still open after a day was sent again (tasks.remind_open_alerts)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0009_alert_mute"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
