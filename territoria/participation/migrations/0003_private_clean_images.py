from django.core.files.storage import default_storage
from django.db import migrations

import territoria.images


def move_idea_images(apps, schema_editor):
    """Idea images leave the public media folder: cleaned again, renamed at random."""
    Idea = apps.get_model("participation", "Idea")
    for pk, name in Idea.objects.exclude(image="").values_list("pk", "image"):
        new_name = territoria.images.reclean(
            default_storage,
            name,
            territoria.images.private_storage,
            "participation/ideas/",
            territoria.images.PHOTO,
        )
        Idea.objects.filter(pk=pk).update(image=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_failed_checks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idea",
            name="image",
            field=territoria.images.ImageFileField(
                blank=True,
                storage=territoria.images.PrivateStorage(),
                upload_to="participation/ideas/",
                verbose_name="image (facultative)",
            ),
        ),
        migrations.RunPython(move_idea_images, migrations.RunPython.noop, elidable=True),
    ]
