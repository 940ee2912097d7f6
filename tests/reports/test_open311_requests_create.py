"""Open311 POST requests as clients send them: a BAN address identifier as the only
location, a JSON body refused for its format, control characters never stored."""

import pytest

from territoria.reports.models import ClientApplication, Report
from territoria.reports.open311 import to_xml
from tests.reports.factories import SAINT_AMAND, report_form

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


def _key(collectivite) -> str:
    app = ClientApplication(collectivite=collectivite, name="Appli test")
    secret = app.issue_key()
    app.save()
    return secret


def test_address_id_of_the_commune_places_the_report_there(client, rw):
    """A BAN identifier alone locates a report in the commune it names, approximately."""
    response = client.post(
        URL,
        {
            "api_key": _key(rw.world.saint_amand),
            "service_code": "saint-amand-montrond.eclairage",
            "address_id": "18197_0250_00012",
        },
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert report.commune_id == "18197"
    assert report.collectivite == rw.world.saint_amand
    assert report.address == "18197_0250_00012"
    assert report.approximate_location is True
    assert (report.latitude, report.longitude) == pytest.approx(SAINT_AMAND, abs=1e-3)


def test_address_id_sent_to_the_epci_places_the_report_in_the_member_commune(client, rw):
    """Through the EPCI's jurisdiction, the report is made in the commune the id names."""
    response = client.post(
        URL,
        {
            "api_key": _key(rw.world.cc),
            "service_code": "cc-coeur-de-france.dechets",
            "address_id": "18173_0010_00003",
        },
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.commune_id == "18173"
    assert report.collectivite == rw.world.cc


@pytest.mark.parametrize(
    ("collectivite", "service_code", "address_id", "code", "words"),
    [
        ("saint_amand", "saint-amand-montrond.eclairage", "545483", "invalid_address_id", "BAN"),
        (
            "saint_amand",
            "saint-amand-montrond.eclairage",
            "79191_0250_00012",
            "outside_area",
            "79191",
        ),
        ("cc", "cc-coeur-de-france.dechets", "79191_0250_00012", "outside_area", "79191"),
    ],
    ids=["not_a_ban_id_case", "other_commune_case", "commune_outside_the_epci_case"],
)
def test_unresolvable_address_id_is_refused_in_api_words(
    client, rw, collectivite, service_code, address_id, code, words
):
    """An address_id the platform cannot place is a 400 naming address_id; nothing stored."""
    response = client.post(
        URL,
        {
            "api_key": _key(getattr(rw.world, collectivite)),
            "service_code": service_code,
            "address_id": address_id,
        },
    )
    assert response.status_code == 400
    error = response.json()[0]
    assert error["code"] == code
    assert error["description"].startswith("address_id : ")
    assert words in error["description"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize("with_key", [True, False], ids=["with_key_case", "without_key_case"])
def test_json_body_gets_a_format_error(client, rw, with_key):
    """A JSON body is refused as such (400 invalid_format), not as a missing key."""
    payload = {
        "service_code": "saint-amand-montrond.eclairage",
        "lat": SAINT_AMAND[0],
        "long": SAINT_AMAND[1],
    }
    if with_key:
        payload["api_key"] = _key(rw.world.saint_amand)
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    error = response.json()[0]
    assert error["code"] == "invalid_format"
    assert "application/x-www-form-urlencoded" in error["description"]
    assert "application/json" in error["description"]
    assert Report.objects.count() == 0


def test_control_characters_are_stripped_from_an_open311_request(client, rw):
    """Word's line break becomes a newline; other control characters, NUL included, are
    dropped from every parameter."""
    response = client.post(
        URL,
        {
            "api_key": _key(rw.world.saint_amand),
            "service_code": "saint-amand-montrond.eclairage",
            "lat": str(SAINT_AMAND[0]),
            "long": str(SAINT_AMAND[1]),
            "jurisdiction_id": "saint-amand-montrond\x00",
            "description": "Ligne 1\x0bLigne 2\x00\x07\tfin",
            "address_string": "2 rue\x1b de la Paix",
            "first_name": "Camille\x00",
            "attribute[danger]": "oui",
        },
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.description == "Ligne 1\nLigne 2\tfin"
    assert report.address == "2 rue de la Paix"
    assert report.reporter_name == "Camille"


def test_control_characters_are_stripped_from_the_web_form(client, rw):
    """The citizen's form goes through the same cleaning."""
    from django.urls import reverse

    response = client.post(
        reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}),
        report_form(rw, description="Lampadaire\x0béteint\x1f rue de la Paix"),
    )
    assert response.status_code == 200
    assert Report.objects.get().description == "Lampadaire\néteint rue de la Paix"


def test_xml_writer_drops_characters_xml_cannot_carry():
    """Whatever a value holds, the XML document parses."""
    import xml.etree.ElementTree as ET

    text = to_xml("service_requests", [{"description": "a\x00b\x0bc\x1fd\ufffe & <e>"}])
    assert ET.fromstring(text).find("request/description").text == "ab\ncd & <e>"
