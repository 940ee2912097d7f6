from django.core.files.storage import default_storage
from django.db import migrations

import territoria.images


def reclean_logos(apps, schema_editor):
    """Logos stored before the one image path: re-encoded, metadata dropped, random names."""
    Collectivite = apps.get_model("territories", "Collectivite")
    for pk, name in Collectivite.objects.exclude(logo="").values_list("pk", "logo"):
        new_name = territoria.images.reclean(
            default_storage, name, default_storage, "logos/", territoria.images.LOGO
        )
        Collectivite.objects.filter(pk=pk).update(logo=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0003_search_covering_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="collectivite",
            name="logo",
            field=territoria.images.ImageFileField(
                blank=True, kind="logo", upload_to="logos/", verbose_name="logo"
            ),
        ),
        migrations.RunPython(reclean_logos, migrations.RunPython.noop, elidable=True),
    ]
