"""Conformance: schemathesis fuzzes our Open311 server, on a real HTTP server on
loopback, against mySociety's OpenAPI description of GeoReport v2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from territoria.reports.enums import Source
from territoria.reports.models import ClientApplication, Report
from tests.factories import make_collectivite, make_commune, make_epci
from tests.reports.factories import (
    SAINT_AMAND,
    make_category,
    make_question,
    make_report,
    make_zone,
)
from tests.standards import standard

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_conforming_bodies(live_server, tmp_path):
    """Every Open311 operation answers without a 5xx and with bodies matching the spec."""
    spec = standard("open311/fixmystreet-open311-openapi.json")
    epci = make_epci("200036135", "CC Coeur de France")
    commune = make_commune("18197", "Saint-Amand-Montrond", epci=epci, postal_codes=["18200"])
    collectivite = make_collectivite(commune, "saint-amand-montrond")
    make_zone(collectivite, SAINT_AMAND)
    category = make_category(collectivite, "eclairage", "Éclairage public", keywords="lumière")
    make_question(category)
    report = make_report(category)
    make_report(category, status="resolved", address="1 place de la Mairie")
    app = ClientApplication(collectivite=collectivite, name="schemathesis")
    key = app.issue_key()
    app.save()
    config = tmp_path / "schemathesis.toml"
    # Known identifiers, so that the fuzzer also reaches past the 404s.
    config.write_text(
        f'[auth.openapi.api_key]\napi_key = "{key}"\n'
        "[[operations]]\n"
        'include-name = "GET /services/{service_code}.{response_format}"\n'
        'parameters = { service_code = "saint-amand-montrond.eclairage" }\n'
        "[[operations]]\n"
        'include-name = "GET /requests/{service_request_id}.{response_format}"\n'
        f'parameters = {{ service_request_id = "{report.pk}" }}\n'
        "[[operations]]\n"
        'include-name = "POST /requests.{response_format}"\n'
        'parameters = { service_code = "saint-amand-montrond.eclairage", '
        f"lat = {SAINT_AMAND[0]}, long = {SAINT_AMAND[1]} }}\n"
    )
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "run",
        str(spec),
        "--url",
        f"{live_server.url}/open311/v2",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        "8",
        "--seed",
        "311",
        "--workers",
        "1",
        "--no-color",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The fuzzer's valid POSTs went through: the happy path was exercised too.
    assert Report.objects.filter(source=Source.OPEN311).exists()
