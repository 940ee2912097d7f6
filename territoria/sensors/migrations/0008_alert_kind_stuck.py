"""Alert kind "stuck": a parking spot whose sensor keeps one state (detection.py, rule f)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0007_pending_days"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("continuous_flow", "Débit continu (fuite après compteur)"),
                    ("night_flow", "Débit de nuit du secteur en hausse (fuite réseau)"),
                    ("bin_full", "Conteneur plein"),
                    ("silent", "Capteur muet"),
                    ("stuck", "Place bloquée dans un état"),
                    ("threshold", "Seuil dépassé"),
                    ("vendor", "Alarme du compteur"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
    ]
