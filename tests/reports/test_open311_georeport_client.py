"""A real Open311 client library (georeport, on PyPI) reads our server over HTTP on
loopback, in JSON and in XML, as it reads any city's GeoReport v2 endpoint."""

import pytest
from georeport import GeoReport

from territoria.reports.enums import Status
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reports(rw):
    return [
        make_report(rw.lighting, address="1 place de la Mairie"),
        make_report(rw.lighting, status=Status.RESOLVED, description="Trou\x0bcomblé"),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(live_server, rw, reports, fmt):
    """Services, a service definition, the request list and one request, both formats."""
    client = GeoReport(
        f"{live_server.url}/open311/v2", jurisdiction="saint-amand-montrond", output_format=fmt
    )
    services = client.get_service_list()
    by_code = {service["service_code"]: service for service in services}
    assert by_code["saint-amand-montrond.eclairage"]["service_name"] == "Éclairage public"
    assert by_code["saint-amand-montrond.eclairage"]["description"] == "Éclairage public"
    assert by_code["cc-coeur-de-france.dechets"]["group"] == "Propreté"

    definition = client.get_service_definition("saint-amand-montrond.eclairage")
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"]
    assert attribute["code"] == "danger"

    requests = client.get_service_requests(status="open,closed")
    assert sorted(item["service_request_id"] for item in requests) == sorted(
        str(report.pk) for report in reports
    )
    closed = client.get_service_request(str(reports[1].pk))
    assert closed["status"] == "closed"
    # Stored before submissions were cleaned: escaped in JSON, dropped from XML.
    assert closed["description"] == ("Trou\x0bcomblé" if fmt == "json" else "Trou\ncomblé")
