"""A report's photos: sent through the one image path, never in the public media
folder, served only while the report is published."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from territoria.reports import handling
from territoria.reports.enums import Publication
from territoria.reports.models import Photo, Report
from tests.image_files import photo
from tests.reports.factories import report_form

pytestmark = pytest.mark.django_db


def _status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, as a server would
    return response.status_code


def test_a_moderated_reports_photos_are_served_to_its_agents_only(client, rw, settings, tmp_path):
    """Hidden by moderation, a report's photo and thumbnail answer 404 to the public and
    to other collectivités, 200 to its own agents; they have random names and no copy
    lies in MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(rw.world.citizen)
    upload = SimpleUploadedFile("rue.jpg", photo(size=(1200, 900), gps=True))
    client.post(
        reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}),
        report_form(rw, photo_1=upload),
    )
    report = Report.objects.get()
    item = Photo.objects.get()
    # Stored under random names, never the report's number or the uploaded name.
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", item.image.name)
    assert re.fullmatch(r"thumbnails/[0-9a-f]{32}\.jpg", item.thumbnail.name)
    urls = [item.get_absolute_url(), item.thumbnail_url()]
    client.logout()
    assert report.publication == Publication.PUBLISHED
    assert [_status(client, url) for url in urls] == [200, 200]
    handling.set_publication(report, rw.world.agent_saint_amand, Publication.HIDDEN)
    assert [_status(client, url) for url in urls] == [404, 404]
    client.force_login(rw.world.agent_niort)
    assert [_status(client, url) for url in urls] == [404, 404]
    client.force_login(rw.world.agent_saint_amand)
    assert [_status(client, url) for url in urls] == [200, 200]
    assert not settings.MEDIA_ROOT.exists()
