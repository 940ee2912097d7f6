"""Open311 GeoReport v2: formats, errors, api_key, jurisdictions, paging, no personal data."""

import json
import re
import xml.etree.ElementTree as ET

from django.urls import reverse

import pytest

from territoria.reports.enums import Publication, Source, Status
from territoria.reports.models import ClientApplication, Report
from tests.reports.factories import NIORT, SAINT_AMAND, make_report

pytestmark = pytest.mark.django_db

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def url(name, fmt="json", **kwargs):
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


@pytest.fixture
def key(rw):
    app = ClientApplication(collectivite=rw.world.saint_amand, name="Appli test")
    secret = app.issue_key()
    app.save()
    return secret


def test_discovery_in_both_formats(client, rw):
    """Discovery lists one production endpoint with XML and JSON formats."""
    data = client.get(url("discovery")).json()
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert W3C.match(data["changeset"])
    response = client.get(url("discovery", "xml"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_jurisdiction_required_when_several_and_404_when_unknown(client, rw):
    """Several collectivités: jurisdiction_id is required (400) and must exist (404)."""
    response = client.get(url("services"))
    assert response.status_code == 400
    assert response.json()[0]["code"] == "missing_jurisdiction"
    response = client.get(url("services", "xml"), {"jurisdiction_id": "nulle-part"})
    assert response.status_code == 404
    error = ET.fromstring(response.content).find("error")
    assert error.find("code").text == "unknown_jurisdiction"


def test_services_of_a_commune_include_the_epci_competences(client, rw):
    """Saint-Amand-Montrond's services: its own and the EPCI's waste collection."""
    data = client.get(url("services"), {"jurisdiction_id": "saint-amand-montrond"}).json()
    codes = {item["service_code"]: item for item in data}
    assert set(codes) == {"saint-amand-montrond.eclairage", "cc-coeur-de-france.dechets"}
    assert codes["saint-amand-montrond.eclairage"]["metadata"] is True
    assert codes["cc-coeur-de-france.dechets"]["group"] == "Propreté"
    assert "keywords" not in codes["cc-coeur-de-france.dechets"]


def test_service_definition_attributes(client, rw):
    """The definition lists the category's questions as attributes with values."""
    data = client.get(
        url("service", service_code="saint-amand-montrond.eclairage"),
        {"jurisdiction_id": "saint-amand-montrond"},
    ).json()
    assert data["attributes"] == [
        {
            "variable": True,
            "code": "danger",
            "datatype": "singlevaluelist",
            "required": False,
            "order": 1,
            "description": "Y a-t-il un danger ?",
            "values": [{"key": "oui", "name": "Oui"}, {"key": "non", "name": "Non"}],
        }
    ]
    response = client.get(
        url("service", service_code="inconnu"), {"jurisdiction_id": "saint-amand-montrond"}
    )
    assert response.status_code == 404


def test_post_with_key_from_query_string_creates_a_published_report(client, rw, key):
    """POST accepts its parameters in the query string; the report is published."""
    query = (
        f"?api_key={key}&jurisdiction_id=saint-amand-montrond"
        "&service_code=saint-amand-montrond.eclairage"
        f"&lat={SAINT_AMAND[0]}&long={SAINT_AMAND[1]}&email=anne@exemple.fr"
        "&first_name=Anne&last_name=Secret&phone=0611&attribute[danger]=oui"
        "&description=Panne"
    )
    response = client.post(url("requests") + query)
    assert response.status_code == 200
    data = response.json()
    report = Report.objects.get()
    assert data == [{"service_request_id": str(report.pk)}]
    assert report.source == Source.OPEN311
    assert report.publication == Publication.PUBLISHED
    assert report.reporter_name == "Anne Secret"
    assert report.answers == {"danger": "oui"}


def test_post_with_body_and_xml(client, rw, key):
    """POST accepts a form body and answers in XML; the key's collectivité is the default."""
    response = client.post(
        url("requests", "xml"),
        {
            "api_key": key,
            "service_code": "cc-coeur-de-france.dechets",
            "address_string": "Place de la République",
        },
    )
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    report = Report.objects.get(pk=int(root.find("request/service_request_id").text))
    assert report.collectivite == rw.world.cc
    assert report.approximate_location is True


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 403, "missing_api_key"),
        ({"api_key": "faux"}, 403, "invalid_api_key"),
        ({"api_key": "KEY", "jurisdiction_id": "niort"}, 403, "invalid_api_key"),
        ({"api_key": "KEY"}, 400, "missing_service_code"),
        ({"api_key": "KEY", "service_code": "x.y"}, 404, "unknown_service_code"),
        (
            {"api_key": "KEY", "service_code": "saint-amand-montrond.eclairage"},
            400,
            "missing_location",
        ),
        (
            {
                "api_key": "KEY",
                "service_code": "saint-amand-montrond.eclairage",
                "lat": str(NIORT[0]),
                "long": str(NIORT[1]),
            },
            400,
            "outside_area",
        ),
        (
            {
                "api_key": "KEY",
                "service_code": "saint-amand-montrond.eclairage",
                "lat": "abc",
                "long": "2",
            },
            400,
            "invalid_lat",
        ),
    ],
    ids=[
        "no_key_case",
        "wrong_key_case",
        "key_of_another_jurisdiction_case",
        "no_service_case",
        "unknown_service_case",
        "no_location_case",
        "outside_collectivite_case",
        "bad_lat_case",
    ],
)
def test_post_errors_in_spec_format_store_nothing(client, rw, key, params, status, code):
    """Each refused POST answers the spec error body and stores nothing."""
    params = {k: (key if v == "KEY" else v) for k, v in params.items()}
    response = client.post(url("requests"), params)
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list)
    assert body[0]["code"] == code
    assert body[0]["description"]
    assert Report.objects.count() == 0


def test_get_requests_filters_and_never_shows_personal_data(client, rw):
    """GET requests: status filter, string ids, W3C dates, no email, name or phone."""
    open_report = make_report(rw.lighting, public_name="Camille", show_name=False)
    make_report(rw.lighting, status=Status.RESOLVED)
    make_report(rw.lighting, publication=Publication.UNCONFIRMED, description="PAS-PUBLIC")
    response = client.get(
        url("requests"), {"jurisdiction_id": "saint-amand-montrond", "status": "open"}
    )
    text = response.content.decode()
    data = response.json()
    assert [item["service_request_id"] for item in data] == [str(open_report.pk)]
    item = data[0]
    assert item["status"] == "open"
    assert item["service_code"] == "saint-amand-montrond.eclairage"
    assert W3C.match(item["requested_datetime"]) and W3C.match(item["updated_datetime"])
    assert None not in item.values()
    for secret in ("camille.secret@exemple.fr", "Camille Secrète", "06 12 34 56 78", "PAS-PUBLIC"):
        assert secret not in text
    xml = client.get(url("requests", "xml"), {"jurisdiction_id": "saint-amand-montrond"})
    assert len(ET.fromstring(xml.content).findall("request")) == 2


def test_get_requests_paging_and_ids(client, rw):
    """page/page_size page the list; service_request_id overrides other filters."""
    reports = [make_report(rw.lighting) for _ in range(3)]
    params = {"jurisdiction_id": "saint-amand-montrond", "page_size": "2"}
    first = client.get(url("requests"), params).json()
    second = client.get(url("requests"), params | {"page": "2"}).json()
    assert len(first) == 2 and len(second) == 1
    by_id = client.get(
        url("requests"),
        {
            "jurisdiction_id": "saint-amand-montrond",
            "service_request_id": f"{reports[0].pk},{reports[2].pk}",
            "status": "closed",
        },
    ).json()
    assert sorted(item["service_request_id"] for item in by_id) == sorted(
        [str(reports[0].pk), str(reports[2].pk)]
    )


def test_get_requests_date_range_limited_to_90_days(client, rw):
    """A window longer than 90 days is a 400 with the spec error body."""
    response = client.get(
        url("requests"),
        {
            "jurisdiction_id": "saint-amand-montrond",
            "start_date": "2026-01-01T00:00:00Z",
            "end_date": "2026-06-01T00:00:00Z",
        },
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == "date_range_too_long"


def test_get_one_request_and_unknown(client, rw):
    """requests/{id} is an array of one; an unknown or unpublished id is a 404."""
    report = make_report(rw.lighting)
    hidden = make_report(rw.lighting, publication=Publication.HIDDEN)
    params = {"jurisdiction_id": "saint-amand-montrond"}
    data = client.get(url("request", request_id=str(report.pk)), params).json()
    assert len(data) == 1 and data[0]["service_request_id"] == str(report.pk)
    assert client.get(url("request", request_id=str(hidden.pk)), params).status_code == 404
    assert client.get(url("request", request_id="abc"), params).status_code == 404


def test_service_request_updates(client, rw):
    """mySociety's servicerequestupdates lists public updates with extended statuses."""
    from territoria.reports import handling

    report = make_report(rw.lighting)
    handling.change_status(report, rw.world.agent_saint_amand, Status.RESOLVED, text="Réparé")
    handling.add_note(report, rw.world.agent_saint_amand, "Secret interne")
    data = client.get(url("updates"), {"jurisdiction_id": "saint-amand-montrond"}).json()
    assert [(item["status"], item["description"]) for item in data] == [("FIXED", "Réparé")]
    assert data[0]["service_request_id"] == str(report.pk)
    assert W3C.match(data[0]["updated_datetime"])


def test_token_unknown_and_other_methods(client, rw):
    """Tokens are never issued (404); unsupported methods get a 405 error body."""
    params = {"jurisdiction_id": "saint-amand-montrond"}
    assert client.get(url("token", token="abc"), params).status_code == 404
    response = client.delete(url("services") + "?jurisdiction_id=saint-amand-montrond")
    assert response.status_code == 405
    assert json.loads(response.content)[0]["code"] == "method_not_allowed"


def test_html_in_description_is_escaped_in_xml(client, rw):
    """Markup in a description stays text in the XML output."""
    make_report(rw.lighting, description="<b>gras</b> & </request>")
    response = client.get(url("requests", "xml"), {"jurisdiction_id": "saint-amand-montrond"})
    root = ET.fromstring(response.content)
    assert root.find("request/description").text == "<b>gras</b> & </request>"


def test_post_with_a_photo_file_strips_its_metadata(client, rw, key):
    """A photo sent as a multipart file is re-encoded like the web form's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from territoria.reports.models import Photo
    from tests.reports.factories import image_bytes

    response = client.post(
        url("requests"),
        {
            "api_key": key,
            "service_code": "saint-amand-montrond.eclairage",
            "address_string": "Rue Nationale",
            "photo1": SimpleUploadedFile("p.jpg", image_bytes(exif_gps=True)),
        },
    )
    assert response.status_code == 200
    with Photo.objects.get().image.open("rb") as file:
        assert b"PhoneMaker" not in file.read()
    item = client.get(
        url("request", request_id=response.json()[0]["service_request_id"]),
        {"jurisdiction_id": "saint-amand-montrond"},
    ).json()[0]
    assert item["media_url"].startswith("http://testserver/signalements/saint-amand-montrond/")
