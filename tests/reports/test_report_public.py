"""Public outputs: duplicates while writing, "moi aussi", the map payload, photos
served only for published reports, and no personal data anywhere public."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.reports import handling
from territoria.reports.enums import Publication, Status
from territoria.reports.models import Photo, Report
from territoria.reports.views import public
from tests.reports.factories import SAINT_AMAND, make_report

pytestmark = pytest.mark.django_db

SECRETS = ("camille.secret@exemple.fr", "Camille Secrète", "06 12 34 56 78")


def test_nearby_lists_open_reports_of_the_same_category_within_the_radius(client, rw):
    """Open reports of the category within 250 m are suggested; farther or closed are not."""
    near = make_report(rw.lighting, description="PROCHE")
    make_report(rw.lighting, at=(SAINT_AMAND[0] + 0.005, SAINT_AMAND[1]), description="LOIN")
    make_report(rw.lighting, status=Status.RESOLVED, description="CLOS")
    make_report(rw.waste, description="AUTRE-CATEGORIE")
    body = client.get(
        reverse("reports:nearby", kwargs={"slug": "saint-amand-montrond"}),
        {
            "category": rw.lighting.pk,
            "latitude": SAINT_AMAND[0] + 0.001,
            "longitude": SAINT_AMAND[1],
        },
    ).content.decode()
    assert near.get_absolute_url() in body
    assert "PROCHE" in body
    assert "LOIN" not in body and "CLOS" not in body and "AUTRE-CATEGORIE" not in body


def test_radius_is_tunable_per_category(client, rw):
    """A category's radius widens the duplicate search."""
    make_report(rw.lighting, at=(SAINT_AMAND[0] + 0.005, SAINT_AMAND[1]), description="LOIN")
    rw.lighting.duplicate_radius_m = 1000
    rw.lighting.save()
    body = client.get(
        reverse("reports:nearby", kwargs={"slug": "saint-amand-montrond"}),
        {"category": rw.lighting.pk, "latitude": SAINT_AMAND[0], "longitude": SAINT_AMAND[1]},
    ).content.decode()
    assert "LOIN" in body


def test_me_too_counts_once_per_email(client, rw):
    """ "Moi aussi" adds one support per email and stores no new report."""
    report = make_report(rw.lighting)
    url = reverse(
        "reports:support", kwargs={"slug": "saint-amand-montrond", "report_id": report.pk}
    )
    client.post(url, {"email": "voisin@exemple.fr"})
    client.post(url, {"email": "VOISIN@exemple.fr"})
    client.post(url, {"email": "autre@exemple.fr"})
    report.refresh_from_db()
    assert report.supporters == 2
    assert Report.objects.count() == 1


def test_map_payload_is_bounded_and_filtered_by_bbox(client, rw, monkeypatch):
    """The map JSON holds at most MAP_MAX_POINTS features and honours the bbox."""
    monkeypatch.setattr(public, "MAP_MAX_POINTS", 3)
    for _ in range(5):
        make_report(rw.lighting)
    make_report(rw.lighting, at=(SAINT_AMAND[0] + 0.02, SAINT_AMAND[1]))
    url = reverse("reports:geojson", kwargs={"slug": "saint-amand-montrond"})
    data = client.get(url).json()
    assert len(data["features"]) == 3 and data["truncated"] is True
    west, south = SAINT_AMAND[1] - 0.001, SAINT_AMAND[0] + 0.01
    data = client.get(url, {"bbox": f"{west},{south},{west + 0.002},{south + 0.02}"}).json()
    assert len(data["features"]) == 1 and data["truncated"] is False


def test_photo_of_an_unconfirmed_report_is_not_served(client, rw):
    """A photo is served once its report is published, never before."""
    report = make_report(rw.lighting, publication=Publication.UNCONFIRMED)
    photo = Photo(collectivite=report.collectivite, report=report)
    photo.image.save("a.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("a.jpg", ContentFile(b"jpeg"), save=False)
    photo.save()
    url = photo.thumbnail_url()

    def status():
        response = client.get(url)
        if response.status_code == 200:
            # Reading to the end closes the file (the test client's wrapper).
            assert b"".join(response.streaming_content) == b"jpeg"
        return response.status_code

    assert status() == 404
    client.force_login(rw.world.agent_saint_amand)
    assert status() == 200
    client.logout()
    Report.objects.filter(pk=report.pk).update(publication=Publication.PUBLISHED)
    assert status() == 200


def test_display_name_only_when_chosen(client, rw):
    """The public name shows only when the reporter opted in."""
    shown = make_report(rw.lighting, show_name=True, public_name="Camille du quartier")
    hidden = make_report(rw.lighting, show_name=False, public_name="Nom-Cache")
    assert "Camille du quartier" in client.get(shown.get_absolute_url()).content.decode()
    assert "Nom-Cache" not in client.get(hidden.get_absolute_url()).content.decode()


def test_no_personal_data_in_any_public_output(client, rw):
    """Pages, map, feed and Open311 GETs never carry the reporter's email, name or phone."""
    report = make_report(rw.lighting)
    handling.change_status(report, rw.world.agent_saint_amand, Status.ACKNOWLEDGED, text="Vu")
    slug = "saint-amand-montrond"
    urls = [
        reverse("reports:home"),
        reverse("reports:reports", kwargs={"slug": slug}),
        reverse("reports:reports", kwargs={"slug": slug}) + "?etat=all",
        reverse("reports:geojson", kwargs={"slug": slug}),
        reverse("reports:feed", kwargs={"slug": slug}),
        report.get_absolute_url(),
        reverse("open311:requests", kwargs={"fmt": "json"}) + f"?jurisdiction_id={slug}",
        reverse("open311:requests", kwargs={"fmt": "xml"}) + f"?jurisdiction_id={slug}",
        reverse("open311:request", kwargs={"fmt": "json", "request_id": report.pk})
        + f"?jurisdiction_id={slug}",
        reverse("open311:updates", kwargs={"fmt": "xml"}) + f"?jurisdiction_id={slug}",
    ]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.content.decode()
        if address != reverse("reports:home"):
            assert f"{report.pk}" in body, address
        for secret in SECRETS:
            assert secret not in body, (address, secret)


def test_feed_lists_published_reports_only(client, rw):
    """The Atom feed holds published reports, escaped."""
    make_report(rw.lighting, description="<script>x</script> PUBLIE")
    make_report(rw.lighting, publication=Publication.UNCONFIRMED, description="EN-ATTENTE")
    response = client.get(reverse("reports:feed", kwargs={"slug": "saint-amand-montrond"}))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "PUBLIE" in body and "EN-ATTENTE" not in body
    assert "<script>" not in body


def test_purge_erases_personal_data_of_old_closed_reports(rw, settings):
    """Reports closed for longer than the retention period lose their personal data."""
    settings.REPORTS_PERSONAL_DATA_RETENTION_DAYS = 365
    old = make_report(
        rw.lighting,
        status=Status.RESOLVED,
        closed_at=timezone.now() - datetime.timedelta(days=400),
        show_name=True,
        public_name="Camille",
    )
    recent = make_report(
        rw.lighting, status=Status.RESOLVED, closed_at=timezone.now() - datetime.timedelta(days=10)
    )
    still_open = make_report(rw.lighting, created_at=timezone.now() - datetime.timedelta(days=900))
    from territoria.reports.tasks import purge_personal_data

    assert purge_personal_data.enqueue().return_value == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.reporter_email, old.reporter_name, old.reporter_phone, old.public_name) == (
        "",
        "",
        "",
        "",
    )
    assert old.personal_data_purged_at is not None
    assert recent.reporter_email == still_open.reporter_email == "camille.secret@exemple.fr"


def test_pages_issue_a_bounded_number_of_queries(client, rw, django_assert_max_num_queries):
    """The public list and the back-office list do not query per report."""
    for _ in range(30):
        make_report(rw.lighting)
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:reports", kwargs={"slug": "saint-amand-montrond"}))
    client.force_login(rw.world.agent_saint_amand)
    with django_assert_max_num_queries(16):
        client.get(reverse("reports:manage_list", kwargs={"slug": "saint-amand-montrond"}))
