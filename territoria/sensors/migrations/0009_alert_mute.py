"""Alert kinds a member does not want by email (AlertMute)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0008_alert_kind_stuck"),
        ("territories", "0003_search_covering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertMute",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
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
                (
                    "collectivite",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="territories.collectivite",
                        verbose_name="collectivité",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "alerte non reçue par courriel",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("collectivite", "user", "kind"), name="sensors_alertmute_unique"
                    )
                ],
            },
        ),
    ]
