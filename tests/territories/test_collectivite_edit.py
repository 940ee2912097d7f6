"""A collectivité's admins edit its public presentation."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from territoria.accounts.models import AuditEvent


def _png(size=(64, 64)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
        (SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"), "image"),
        ("big", "Le logo dépasse 1 Mo"),
    ],
    ids=["not_an_image_case", "too_big_case"],
)
def test_bad_logo_is_refused_and_nothing_changes(world, client, upload, message):
    """A file that is not an image, or too big, is refused with a French message."""
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


def test_agents_may_not_edit_and_strangers_do_not_see_the_page(world, client):
    """An agent of the commune gets 403; a member of another collectivité gets 404."""
    client.force_login(world.agent_saint_amand)
    assert client.get("/c/saint-amand-montrond/modifier/").status_code == 403
    client.force_login(world.agent_niort)
    assert client.post("/c/saint-amand-montrond/modifier/", {"description": "x"}).status_code == 404
    world.saint_amand.refresh_from_db()
    assert world.saint_amand.description == ""
