"""Open311 lists whatever is stored or asked: rows stored before cleaning still give
XML that parses (and so does the cached copy), page numbers out of range are a 400,
page_size is capped at 1,000, services carry a description."""

import xml.etree.ElementTree as ET

from django.utils import timezone

import pytest

from territoria.reports import handling
from territoria.reports.enums import Publication, Source, Status
from territoria.reports.models import Report, Update, reports_changed
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db

JURISDICTION = {"jurisdiction_id": "saint-amand-montrond"}


def test_stored_control_characters_never_break_the_xml_nor_its_cache(client, rw):
    """A description stored with control characters: XML drops them (a vertical tab
    becomes a newline), JSON escapes them, built or cached."""
    report = make_report(rw.lighting, description="Avant\x0baprès\x1b fin")
    handling.change_status(report, rw.world.agent_saint_amand, Status.ACKNOWLEDGED, text="Vu")
    Update.objects.filter(report=report).update(text="Pris\x0ben compte\x1b")
    for _attempt in ("built", "cached"):
        response = client.get("/open311/v2/requests.xml", JURISDICTION)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        assert root.find("request/description").text == "Avant\naprès fin"
        # JSON can carry them: escaped, as stored.
        listed = client.get("/open311/v2/requests.json", JURISDICTION)
        assert b"Avant\\u000bapr" in listed.content
        assert listed.json()[0]["description"] == "Avant\x0baprès\x1b fin"
        updates = client.get("/open311/v2/servicerequestupdates.xml", JURISDICTION)
        assert ET.fromstring(updates.content).find("request_update/description").text == (
            "Pris\nen compte"
        )


@pytest.mark.parametrize("path", ["requests", "servicerequestupdates"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "99999999999999999999"}, "page : entier entre 1 et 1000000"),
        ({"page": "0"}, "page : entier entre 1 et 1000000"),
        ({"page": "-3"}, "page : entier entre 1 et 1000000"),
        ({"page": "deux"}, "page et page_size sont des entiers"),
        ({"page_size": "0"}, "page_size : entier supérieur ou égal à 1"),
        ({"page_size": "1e3"}, "page et page_size sont des entiers"),
    ],
    ids=["huge_case", "zero_case", "negative_case", "words_case", "empty_page_case", "float_case"],
)
def test_bad_paging_is_a_400_in_the_spec_error_format(client, rw, path, fmt, params, message):
    """Out-of-range or non-numeric page and page_size answer 400 invalid_page."""
    response = client.get(f"/open311/v2/{path}.{fmt}", JURISDICTION | params)
    assert response.status_code == 400
    if fmt == "json":
        error = response.json()[0]
    else:
        node = ET.fromstring(response.content).find("error")
        error = {"code": node.find("code").text, "description": node.find("description").text}
    assert error == {"code": "invalid_page", "description": message}


def test_page_size_over_1000_is_capped(client, rw):
    """page_size=5000 gives pages of 1,000, the spec's "no more than"."""
    now = timezone.now()
    Report.objects.bulk_create(
        Report(
            collectivite=rw.world.saint_amand,
            category=rw.lighting,
            commune_id="18197",
            description=f"Lampadaire {n}",
            latitude=46.72,
            longitude=2.50,
            publication=Publication.PUBLISHED,
            source=Source.WEB,
            created_at=now,
            updated_at=now,
        )
        for n in range(1001)
    )
    reports_changed(Report.objects.first())
    params = JURISDICTION | {"page_size": "5000"}
    assert len(client.get("/open311/v2/requests.json", params).json()) == 1000
    assert len(client.get("/open311/v2/requests.json", params | {"page": "2"}).json()) == 1


def test_services_always_carry_a_description(client, rw):
    """A service's description is its own, or its name when none is written."""
    rw.lighting.description = "Lampadaire éteint ou qui clignote"
    rw.lighting.save()
    services = client.get("/open311/v2/services.json", JURISDICTION).json()
    described = {item["service_code"]: item["description"] for item in services}
    assert described == {
        "saint-amand-montrond.eclairage": "Lampadaire éteint ou qui clignote",
        "cc-coeur-de-france.dechets": "Dépôt sauvage",
    }
    root = ET.fromstring(client.get("/open311/v2/services.xml", JURISDICTION).content)
    assert [s.find("description").text for s in root.findall("service")] == list(described.values())
