"""The citizen's form: a report is stored, routed, confirmed by email; bad input is
refused with a French message and stores nothing."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from territoria.reports.enums import Publication
from territoria.reports.models import Photo, Report
from tests.reports.factories import bomb_png, image_bytes, report_form

pytestmark = pytest.mark.django_db


def _post(client, rw, slug="saint-amand-montrond", **extra):
    return client.post(reverse("reports:new", kwargs={"slug": slug}), report_form(rw, **extra))


def test_anonymous_report_waits_for_the_emailed_confirmation(
    client, rw, django_capture_on_commit_callbacks
):
    """A report by someone not logged in is stored unconfirmed and published by the link."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, rw)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.publication == Publication.UNCONFIRMED
    assert report.collectivite == rw.world.saint_amand
    assert report.answers == {"danger": "oui"}
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirmer/" in line)
    assert client.get(report.get_absolute_url()).status_code == 404
    response = client.get(link.replace("http://testserver", ""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.publication == Publication.PUBLISHED
    assert client.get(report.get_absolute_url()).status_code == 200


def test_signed_in_report_is_published_at_once(client, rw):
    """A signed-in person's report needs no confirmation and uses the account's email."""
    client.force_login(rw.world.citizen)
    _post(client, rw, email="")
    report = Report.objects.get()
    assert report.publication == Publication.PUBLISHED
    assert report.reporter_email == "citoyenne@exemple.fr"


def test_epci_category_routes_to_the_epci(client, rw):
    """A waste report made in Saint-Amand-Montrond goes to the EPCI competent for waste."""
    _post(client, rw, category=rw.waste.pk)
    report = Report.objects.get()
    assert report.collectivite == rw.world.cc
    assert report.commune.code == "18197"
    assert report.service == rw.waste.service


def test_address_without_map_places_report_at_the_centre_flagged_approximate(client, rw):
    """Without coordinates, a typed address places the report at the zone's centre."""
    _post(client, rw, latitude="", longitude="", address="12 rue de la Paix")
    report = Report.objects.get()
    assert report.approximate_location is True
    assert (report.latitude, report.longitude) == pytest.approx(rw.zone_sa.centre)
    assert report.address == "12 rue de la Paix"


def test_photo_is_reencoded_without_exif_and_thumbnailed(client, rw):
    """A photo's metadata (GPS, maker) is dropped; a thumbnail is made."""
    upload = SimpleUploadedFile("rue.jpg", image_bytes(size=(800, 600), exif_gps=True))
    response = client.post(
        reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}),
        report_form(rw, photo_1=upload),
    )
    assert response.status_code == 200
    photo = Photo.objects.get()
    with photo.image.open("rb") as file:
        stored = Image.open(io.BytesIO(file.read()))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert b"PhoneMaker" not in file.read()
    with photo.thumbnail.open("rb") as file:
        assert max(Image.open(file).size) == 320


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"category": "999999"}, "Sélectionnez un choix valide"),
        ({"description": ""}, "Ce champ est obligatoire"),
        ({"latitude": "48.8566", "longitude": "2.3522"}, "hors du territoire"),
        ({"latitude": "", "longitude": "", "address": ""}, "Indiquez l&#x27;emplacement"),
        ({"email": ""}, "Ce champ est obligatoire"),
        ({"email": "pas-un-courriel"}, "Saisissez une adresse de courriel valide"),
    ],
    ids=[
        "unknown_category_case",
        "empty_description_case",
        "outside_collectivite_case",
        "no_location_case",
        "no_email_case",
        "bad_email_case",
    ],
)
def test_bad_input_is_refused_and_nothing_stored(client, rw, extra, message):
    """Each bad input gets a French message and no report is stored."""
    response = _post(client, rw, **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 2000, "n&#x27;est pas une image"),
        ("grosse.jpg", b"\xff\xd8" + b"\x00" * (50 * 1024 * 1024), "dépasse 10 Mo"),
        ("bombe.png", bomb_png(), "dimensions trop grandes"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "n&#x27;est pas une image"),
    ],
    ids=["renamed_executable_case", "fifty_megabytes_case", "decompression_bomb_case", "gif_case"],
)
def test_bad_photo_is_refused_and_nothing_stored(client, rw, name, content, message):
    """A fake, huge or bomb image is refused before anything is written."""
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}),
        report_form(rw, photo_1=upload),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0
    assert Photo.objects.count() == 0


def test_required_question_must_be_answered(client, rw):
    """A required extra question without an answer refuses the report."""
    rw.question.required = True
    rw.question.save()
    response = _post(client, rw, **{f"q_{rw.lighting.pk}_danger": ""})
    assert response.status_code == 400
    assert "Répondez à la question" in response.content.decode()
    assert Report.objects.count() == 0


def test_honeypot_stores_nothing(client, rw):
    """A robot filling the hidden field gets a neutral page and nothing is stored."""
    response = _post(client, rw, website="http://spam.example")
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_per_address(client, rw, settings):
    """Past the hourly limit from one address, reports are refused."""
    settings.REPORTS_RATE_LIMIT_PER_HOUR = 2
    assert _post(client, rw).status_code == 200
    assert _post(client, rw).status_code == 200
    response = _post(client, rw)
    assert response.status_code == 400
    assert "Trop de signalements" in response.content.decode()
    assert Report.objects.count() == 2


def test_html_in_text_is_escaped_on_output(client, rw):
    """Script in a description is shown as text, never run."""
    client.force_login(rw.world.citizen)
    _post(client, rw, description="<script>alert('x')</script>")
    report = Report.objects.get()
    body = client.get(report.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_epci_form_requires_a_member_commune(client, rw):
    """On the EPCI's form, the commune must be one of its members."""
    response = _post(
        client,
        rw,
        slug="cc-coeur-de-france",
        category=rw.waste.pk,
        commune="",
        commune_code="79191",
    )
    assert response.status_code == 400
    assert "ne fait pas partie" in response.content.decode()
    assert Report.objects.count() == 0


def test_epci_form_places_the_report_in_the_chosen_member_commune(client, rw):
    """On the EPCI's form, a report in a member commune without a zone of its own is
    bounded by the EPCI's zone and goes to the EPCI."""
    response = _post(
        client,
        rw,
        slug="cc-coeur-de-france",
        category=rw.waste.pk,
        commune="",
        commune_code="18173",
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.collectivite, report.commune.code) == (rw.world.cc, "18173")
