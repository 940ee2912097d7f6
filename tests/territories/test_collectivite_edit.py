"""A collectivité's admins edit its public presentation."""

import io

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

import pytest
from PIL import Image

from territoria.accounts.models import AuditEvent
from territoria.territories.models import Collectivite
from tests.image_files import huge_png, photo, truncated_jpeg


def _png(size=(64, 64)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_admin_changes_the_presentation_and_it_is_logged(world, client):
    """An admin saves a description, a contact and a logo; the public page shows them
    and the journal records what changed."""
    client.force_login(world.admin_saint_amand)
    response = client.post(
        "/c/saint-amand-montrond/modifier/",
        {
            "description": "Sous-préfecture du Cher.",
            "contact_email": "mairie@saint-amand.fr",
            "contact_phone": "02 48 00 00 00",
            "website": "https://www.ville-saint-amand-montrond.fr",
            "logo": _png(),
        },
    )
    assert response.status_code == 302
    page = client.get("/c/saint-amand-montrond/").content.decode()
    assert "Sous-préfecture du Cher." in page
    assert "mailto:mairie@saint-amand.fr" in page
    world.saint_amand.refresh_from_db()
    assert world.saint_amand.logo.name.startswith("logos/")
    assert world.saint_amand.logo.url in page
    event = AuditEvent.objects.get(action="collectivite.updated")
    assert event.actor == world.admin_saint_amand
    assert sorted(event.changes) == [
        "contact_email",
        "contact_phone",
        "description",
        "logo",
        "website",
    ]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
            "Le logo n&#x27;est pas une image JPEG, PNG ou WebP lisible.",
        ),
        ("big", "Le logo dépasse 1 Mo"),
        (SimpleUploadedFile("logo.png", huge_png(13_000)), "Le logo a des dimensions trop"),
        (SimpleUploadedFile("logo.jpg", truncated_jpeg()), "Le logo est illisible"),
    ],
    ids=["not_an_image_case", "too_big_case", "huge_png_case", "truncated_jpeg_case"],
)
def test_bad_logo_is_refused_and_nothing_changes(world, client, settings, upload, message):
    """A file that is not an image, too big, a pixel bomb or broken is refused with a
    French message; nothing is written."""
    if upload == "big":
        buffer = io.BytesIO()
        Image.effect_noise((1200, 1200), 100).convert("RGB").save(buffer, format="PNG")
        upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    client.force_login(world.admin_saint_amand)
    response = client.post(
        "/c/saint-amand-montrond/modifier/", {"description": "Nouveau texte", "logo": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    world.saint_amand.refresh_from_db()
    assert world.saint_amand.description == ""
    assert not AuditEvent.objects.filter(action="collectivite.updated").exists()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_agents_may_not_edit_and_strangers_do_not_see_the_page(world, client):
    """An agent of the commune gets 403; a member of another collectivité gets 404."""
    client.force_login(world.agent_saint_amand)
    assert client.get("/c/saint-amand-montrond/modifier/").status_code == 403
    client.force_login(world.agent_niort)
    assert client.post("/c/saint-amand-montrond/modifier/", {"description": "x"}).status_code == 404
    world.saint_amand.refresh_from_db()
    assert world.saint_amand.description == ""


def test_a_logo_is_stored_as_a_clean_png_under_a_random_name(world, client):
    """A JPEG logo with GPS metadata is kept as a 512-pixel PNG without it, renamed."""
    client.force_login(world.admin_saint_amand)
    upload = SimpleUploadedFile("mairie-saint-amand.jpg", photo(size=(1000, 800), gps=True))
    response = client.post("/c/saint-amand-montrond/modifier/", {"logo": upload})
    assert response.status_code == 302
    world.saint_amand.refresh_from_db()
    assert "mairie" not in world.saint_amand.logo.name
    with world.saint_amand.logo.open("rb") as file:
        data = file.read()
    assert b"PhoneMaker" not in data
    stored = Image.open(io.BytesIO(data))
    assert (stored.format, stored.size) == ("PNG", (512, 410))


def test_every_write_of_a_logo_goes_through_the_cleaning(world):
    """Saved from code or the back-office form alike, a logo is cleaned and renamed."""
    world.saint_amand.logo.save("logo.jpg", io.BytesIO(photo(size=(64, 64), gps=True)))
    world.saint_amand.refresh_from_db()
    with world.saint_amand.logo.open("rb") as file:
        assert Image.open(file).format == "PNG"
    with pytest.raises(ValueError, match="dimensions trop grandes"):
        world.saint_amand.logo.save("bombe.png", io.BytesIO(huge_png(13_000)))
    request = RequestFactory().get("/admin/")
    request.user = world.operator
    admin_form = admin.site._registry[Collectivite].get_form(request, world.saint_amand)
    upload = SimpleUploadedFile("logo.png", huge_png(13_000))
    form = admin_form({"name": "x"}, {"logo": upload}, instance=world.saint_amand)
    assert not form.is_valid()
    assert form.errors["logo"] == [
        "Le logo a des dimensions trop grandes : 40 millions de pixels au plus."
    ]


def _status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        # Read to the end, as a server would, so the file is closed.
        b"".join(response.streaming_content)
    return response.status_code


def test_a_replaced_logo_leaves_no_public_copy(world, client, django_capture_on_commit_callbacks):
    """After a new logo, the old one's address answers 404."""
    client.force_login(world.admin_saint_amand)
    url = "/c/saint-amand-montrond/modifier/"
    client.post(url, {"logo": SimpleUploadedFile("a.png", photo("PNG", (64, 64)))})
    world.saint_amand.refresh_from_db()
    old_url = world.saint_amand.logo.url
    assert _status(client, old_url) == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"logo": SimpleUploadedFile("b.png", photo("PNG", (64, 64)))})
    world.saint_amand.refresh_from_db()
    assert world.saint_amand.logo.url != old_url
    assert _status(client, old_url) == 404
    assert _status(client, world.saint_amand.logo.url) == 200
