"""Open311 lists are cached per jurisdiction: every real write shows at once, 304 for a
body the client holds, local dates, never personal data."""

import datetime
import zoneinfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.reports import actions, handling
from territoria.reports.enums import Publication, Status
from territoria.reports.models import ClientApplication, ReportZone, Service
from territoria.reports.open311 import w3c
from territoria.reports.open311_lists import LocalTimes
from tests.factories import make_user
from tests.reports.factories import SAINT_AMAND, make_report, report_form

pytestmark = pytest.mark.django_db

SECRETS = ("camille.secret@exemple.fr", "Camille Secrète", "06 12 34 56 78")


def _list(client, fmt="json", headers=None, **params):
    return client.get(
        reverse("open311:requests", kwargs={"fmt": fmt}),
        {"jurisdiction_id": "saint-amand-montrond", **params},
        headers=headers,
    )


def _statuses(client, **params):
    return {item["service_request_id"]: item["status"] for item in _list(client, **params).json()}


def test_back_office_status_change_shows_at_once(client, rw):
    """An agent closes a report: the next GET, same parameters, says closed."""
    report = make_report(rw.lighting)
    assert _statuses(client) == {str(report.pk): "open"}
    assert _statuses(client) == {str(report.pk): "open"}
    client.force_login(rw.world.agent_saint_amand)
    client.post(
        reverse(
            "reports:manage_detail",
            kwargs={"slug": "saint-amand-montrond", "report_id": report.pk},
        ),
        {"action": "update", "status": "resolved", "text": "Ampoule changée.", "public": "1"},
    )
    client.logout()
    item = _list(client).json()[0]
    assert item["status"] == "closed"
    assert item["status_notes"] == "Ampoule changée."


def test_bulk_hide_and_publish_show_at_once(client, rw):
    """Bulk moderation in the back office takes reports out of the list and back."""
    kept, hidden = make_report(rw.lighting), make_report(rw.lighting)
    assert set(_statuses(client)) == {str(kept.pk), str(hidden.pk)}
    client.force_login(rw.world.agent_saint_amand)
    bulk = reverse("reports:manage_bulk", kwargs={"slug": "saint-amand-montrond"})
    client.post(bulk, {"action": "hide", "reports": [hidden.pk]})
    assert set(_statuses(client)) == {str(kept.pk)}
    client.post(bulk, {"action": "publish", "reports": [hidden.pk]})
    assert set(_statuses(client)) == {str(kept.pk), str(hidden.pk)}


def test_confirmed_web_report_shows_at_once(client, rw, django_capture_on_commit_callbacks):
    """A report appears in the list as soon as its author follows the emailed link."""
    assert _list(client).json() == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}),
            report_form(rw),
        )
    assert _list(client).json() == []
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirmer/" in line)
    client.get(link.replace("http://testserver", ""))
    [item] = _list(client).json()
    assert item["description"] == "Lampadaire éteint rue de la Paix"


def test_open311_post_shows_at_once_in_list_and_detail(client, rw):
    """A request POSTed by a client application is in the next GET, without dates."""
    app = ClientApplication(collectivite=rw.world.saint_amand, name="Appli test")
    key = app.issue_key()
    app.save()
    before = _list(client).json()
    response = client.post(
        reverse("open311:requests", kwargs={"fmt": "json"}),
        {
            "api_key": key,
            "service_code": "saint-amand-montrond.eclairage",
            "lat": SAINT_AMAND[0],
            "long": SAINT_AMAND[1],
            "description": "Candélabre penché",
        },
    )
    new_id = response.json()[0]["service_request_id"]
    assert before == []
    assert [item["service_request_id"] for item in _list(client).json()] == [new_id]
    detail = client.get(
        reverse("open311:request", kwargs={"fmt": "json", "request_id": new_id}),
        {"jurisdiction_id": "saint-amand-montrond"},
    )
    assert detail.json()[0]["description"] == "Candélabre penché"


def test_detail_follows_a_status_change(client, rw):
    """GET requests/{id} shows the new status after the agent's change."""
    report = make_report(rw.lighting)
    detail = reverse("open311:request", kwargs={"fmt": "xml", "request_id": report.pk})
    params = {"jurisdiction_id": "saint-amand-montrond"}
    assert b"<status>open</status>" in client.get(detail, params).content
    handling.change_status(
        report, rw.world.agent_saint_amand, Status.NOT_RESOLVED, text="Hors budget."
    )
    body = client.get(detail, params).content
    assert b"<status>closed</status>" in body
    assert b"<status_notes>Hors budget.</status_notes>" in body


def test_epci_report_changes_the_commune_list(client, rw):
    """A change to a report the EPCI handles shows in the list of the commune it is in."""
    report = make_report(rw.waste, commune=rw.world.saint_amand.commune)
    assert _statuses(client) == {str(report.pk): "open"}
    handling.change_status(report, rw.world.agent_cc, Status.RESOLVED)
    assert _statuses(client) == {str(report.pk): "closed"}


def test_operator_renaming_a_service_in_the_administration_shows_at_once(client, rw):
    """The administration's edits of a service change agency_responsible at once."""
    make_report(rw.lighting)
    assert _list(client).json()[0]["agency_responsible"] == (
        "Saint-Amand-Montrond — Service Éclairage public"
    )
    operator = make_user("root@territoria.localhost", is_staff=True, is_superuser=True)
    client.force_login(operator)
    service = Service.objects.get(name="Service Éclairage public")
    response = client.post(
        reverse("admin:reports_service_change", args=[service.pk]),
        {"collectivite": rw.world.saint_amand.pk, "name": "Lumière", "email": ""},
    )
    assert response.status_code == 302
    client.logout()
    assert _list(client).json()[0]["agency_responsible"] == "Saint-Amand-Montrond — Lumière"


def test_purge_renews_the_version_and_keeps_output_free_of_personal_data(client, rw):
    """The purge task renews the lists' version; no body ever held the reporter's data."""
    old = timezone.now() - datetime.timedelta(days=400)
    make_report(rw.lighting, status=Status.RESOLVED, created_at=old, closed_at=old)
    before_json, before_xml = _list(client).content, _list(client, "xml").content
    version = ReportZone.objects.get(collectivite=rw.world.saint_amand).version
    assert actions.purge_personal_data() == 1
    assert ReportZone.objects.get(collectivite=rw.world.saint_amand).version != version
    for body in (before_json, before_xml, _list(client).content, _list(client, "xml").content):
        for secret in SECRETS:
            assert secret.encode() not in body


def test_cached_bodies_never_hold_personal_data(client, rw):
    """Served twice (the second from the cache), the list has no email, name or phone."""
    make_report(rw.lighting, public_name="Camille", show_name=True)
    for fmt in ("json", "xml"):
        for _ in range(2):
            body = _list(client, fmt).content.decode()
            assert "Lampadaire éteint" in body
            for secret in SECRETS:
                assert secret not in body


def test_if_none_match_gives_304_until_a_change(client, rw):
    """A client holding the current body gets 304; after a change, the new body."""
    report = make_report(rw.lighting)
    first = _list(client)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = _list(client, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert _list(client, headers={"If-None-Match": '"autre"'}).status_code == 200
    handling.set_publication(report, rw.world.agent_saint_amand, Publication.HIDDEN)
    changed = _list(client, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json() == []
    assert changed["ETag"] != etag


def test_equivalent_parameters_share_the_body_but_other_filters_do_not(client, rw):
    """Spelling of the parameters does not matter; each filter still applies."""
    make_report(rw.lighting)
    closed = make_report(rw.lighting, status=Status.RESOLVED)
    assert len(_list(client, status="open,closed").json()) == 2
    assert (
        _list(client, status="closed, open")["ETag"] == _list(client, status="open,closed")["ETag"]
    )
    assert [i["service_request_id"] for i in _list(client, status="closed").json()] == [
        str(closed.pk)
    ]
    assert len(_list(client, fmt="xml", status="open").content) > 0
    assert len(_list(client, status="open", page_size="1").json()) == 1


@pytest.mark.parametrize(
    "utc, local",
    [
        pytest.param("2026-07-01T08:00:00", "2026-07-01T10:00:00+02:00", id="summer_case"),
        pytest.param("2026-01-15T23:30:00", "2026-01-16T00:30:00+01:00", id="winter_midnight_case"),
    ],
)
def test_list_dates_are_local_with_their_offset(client, rw, utc, local):
    """requested_datetime is the local time with its offset, in the list as in the detail."""
    created = datetime.datetime.fromisoformat(utc).replace(tzinfo=datetime.UTC)
    report = make_report(rw.lighting, created_at=created, updated_at=created)
    start = (created - datetime.timedelta(days=1)).isoformat()
    [item] = _list(client, start_date=start).json()
    assert item["requested_datetime"] == local
    assert item["updated_datetime"] == local
    detail = client.get(
        reverse("open311:request", kwargs={"fmt": "json", "request_id": report.pk}),
        {"jurisdiction_id": "saint-amand-montrond"},
    ).json()[0]
    assert detail["requested_datetime"] == local


@pytest.mark.parametrize(
    "zone",
    [
        pytest.param("Europe/Paris", id="paris_case"),
        pytest.param("America/St_Johns", id="half_hour_case"),
        pytest.param("Australia/Lord_Howe", id="half_hour_shift_case"),
        pytest.param("UTC", id="utc_case"),
    ],
)
def test_local_times_agree_with_the_plain_conversion(zone):
    """The list's fast conversion gives the same text as w3c() around offset changes."""
    tz = zoneinfo.ZoneInfo(zone)
    times = LocalTimes(tz)
    for day in ("2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01"):
        start = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
        for minutes in range(-120, 24 * 60 + 120, 15):
            instant = start + datetime.timedelta(minutes=minutes, seconds=7, microseconds=5)
            text = instant.replace(tzinfo=None).isoformat(sep=" ")
            assert times(text) == w3c(instant, tz), text
            assert times(instant.isoformat(sep=" ")[:-6] + "+00") == w3c(instant, tz)
