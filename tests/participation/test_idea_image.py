"""An idea's image: cleaned by the one image path, kept outside the public media and
served only while the idea may be seen."""

import importlib
import io

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from territoria.participation.models import Idea
from tests.image_files import NOT_AN_IMAGE, huge_png, photo, truncated_jpeg


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _propose(client, world, data: bytes, name="photo.jpg"):
    client.force_login(world.citizen)
    return client.post(
        reverse("participation:idea_new", kwargs={"slug": "niort"}),
        {
            "title": "Un composteur de quartier",
            "body": "Près de l'école.",
            "category": "environment",
            "image": SimpleUploadedFile(name, data, "image/jpeg"),
        },
    )


def _status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        # Read to the end, as a server would, so the file is closed.
        b"".join(response.streaming_content)
    return response.status_code


def _files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_an_idea_photo_is_kept_private_renamed_and_without_gps(client, world, settings):
    """The stored copy has a random name, no EXIF GPS, and lies outside MEDIA_ROOT."""
    response = _propose(client, world, photo(gps=True), name="maison-de-camille.jpg")
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.image.name.startswith("participation/ideas/")
    assert "camille" not in idea.image.name
    assert _files(settings.MEDIA_ROOT) == []
    with idea.image.open("rb") as file:
        data = file.read()
    assert b"PhoneMaker" not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
    page = client.get(idea.get_absolute_url()).content.decode()
    image_url = reverse("participation:idea_image", kwargs={"slug": "niort", "pk": idea.pk})
    assert f'src="{image_url}"' in page
    client.logout()
    response = client.get(image_url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content) == data


def test_a_hidden_ideas_image_is_served_to_its_moderators_only(client, world):
    """Once moderated away, the image answers 404 to the public, the author included;
    the public media address never serves it."""
    _propose(client, world, photo())
    idea = Idea.objects.get()
    image_url = reverse("participation:idea_image", kwargs={"slug": "niort", "pk": idea.pk})
    client.force_login(world.agent_niort)
    client.post(
        reverse("participation:moderation", kwargs={"slug": "niort"}),
        {"ideas": [idea.pk], "decision": "hide"},
    )
    assert _status(client, image_url) == 200
    client.force_login(world.citizen)
    assert _status(client, image_url) == 404
    client.logout()
    assert _status(client, image_url) == 404
    assert _status(client, f"/media/{idea.image.name}") == 404
    client.force_login(world.agent_saint_amand)
    assert _status(client, image_url) == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("carte.png", huge_png(13_000), "dimensions trop grandes"),
        ("photo.jpg", truncated_jpeg(), "endommagé ou incomplet"),
        ("photo.jpg", NOT_AN_IMAGE, "n&#x27;est pas une image JPEG, PNG ou WebP"),
    ],
    ids=["huge_png_case", "truncated_jpeg_case", "not_an_image_case"],
)
def test_a_hostile_image_refuses_the_idea_and_stores_nothing(
    client, world, settings, name, data, message
):
    """A 13,000-pixel-square PNG, a broken JPEG or a renamed file: French message, no idea,
    no file."""
    response = _propose(client, world, data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Idea.objects.count() == 0
    assert _files(settings.PRIVATE_MEDIA_ROOT) == []
    assert _files(settings.MEDIA_ROOT) == []


def test_images_stored_publicly_before_move_to_private_storage(
    client, world, settings, django_capture_on_commit_callbacks
):
    """The data migration moves an old public idea image out of MEDIA_ROOT, cleaned and
    renamed; its old public address stops answering."""
    old_name = default_storage.save("participation/ideas/idee.jpg", io.BytesIO(photo(gps=True)))
    idea = Idea.objects.create(
        collectivite=world.niort,
        author=world.citizen,
        title="Ancienne idée",
        body="…",
        category="living",
        image=old_name,
    )
    assert _status(client, f"/media/{old_name}") == 200
    migration = importlib.import_module(
        "territoria.participation.migrations.0003_private_clean_images"
    )
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_idea_images(apps, None)
    idea.refresh_from_db()
    assert idea.image.name.startswith("participation/ideas/") and "idee" not in idea.image.name
    with idea.image.open("rb") as file:
        assert b"PhoneMaker" not in file.read()
    assert _status(client, f"/media/{old_name}") == 404
    image_url = reverse("participation:idea_image", kwargs={"slug": "niort", "pk": idea.pk})
    assert _status(client, image_url) == 200


def test_the_back_office_links_to_the_checked_image_not_a_public_file(client, world):
    """An operator's idea page in the back-office shows a link to the checked view."""
    _propose(client, world, photo(size=(64, 48)))
    idea = Idea.objects.get()
    client.force_login(world.operator)
    page = client.get(f"/admin/participation/idea/{idea.pk}/change/").content.decode()
    image_url = reverse("participation:idea_image", kwargs={"slug": "niort", "pk": idea.pk})
    assert f'href="{image_url}"' in page
    assert idea.image.name not in page
