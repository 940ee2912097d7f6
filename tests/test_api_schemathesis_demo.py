"""Conformance: schemathesis fuzzes every operation of our JSON API (/api/openapi.json)
on a real server holding the whole demonstration (`territoria demo`, not factories),
with the demo's identifiers, fleet key and a member's session supplied so operations
work on real objects, not only on 404s. No server error; every status, content type
and body as documented; schema-violating requests refused."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from territoria.sensors.enums import Quantity
from tests.serving import free_port, territoria

ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance,negative_data_rejection"
)

# Run in the demo instance: a fresh key for Saint-Amand-Montrond's fleet, a signed-in
# agent's session, and identifiers of real objects, as one JSON line.
IDENTIFIERS = """
import json
from django.test import Client
from territoria.accounts.models import User
from territoria.opendata.models import Dataset
from territoria.participation.models import Campaign
from territoria.sensors.models import Fleet, Site
fleet = Fleet.objects.get(collectivite__slug="saint-amand-montrond")
key = fleet.new_key()
fleet.save()
client = Client()
client.force_login(User.objects.get(email="agent.saint-amand-montrond@demo.test"))
site = Site.objects.filter(is_public=True).select_related("collectivite").first()
campaign = Campaign.objects.select_related("collectivite").first()
print(json.dumps({
    "key": key,
    "session": client.cookies["sessionid"].value,
    "site": [site.collectivite.slug, site.pk],
    "campaign": [campaign.collectivite.slug, campaign.slug],
    "dataset": str(Dataset.objects.published().first().uid),
}))
"""
EXAMPLE_READINGS = """
from territoria.sensors.models import Device, Reading
device = Device.objects.get(external_id="SAM-EAU-001")
print(sorted(set(Reading.objects.filter(device=device, ts=1741996800).values_list(
    "quantity", flat=True))))
"""


def _manage_shell(env, code: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "territoria.cli", "manage", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def demo(prepared_demo):
    """The full demonstration, prepared once for the run, served on loopback."""
    env, var_dir = prepared_demo
    identifiers = json.loads(_manage_shell(env, IDENTIFIERS))
    serve = ["serve", "--port", str(free_port())]
    with territoria(serve, env, var_dir / "serve-api.log") as url:
        yield url, identifiers, env


def _config(ids: dict) -> str:
    """Authentication and, per operation, identifiers of real demo objects."""
    (site_slug, site_pk), (place, campaign) = ids["site"], ids["campaign"]
    operations = {
        "GET /api/territoires/communes/{code}": 'code = "18197"',
        "GET /api/territoires/epci/{siren}": 'siren = "200036135"',
        "GET /api/catalogue/cas-d-usage/{slug}": 'slug = "capteurs-fuites-eau"',
        "GET /api/catalogue/solutions/{slug}": 'slug = "chirpstack"',
        "GET /api/feuille-de-route/{slug}/plan": 'slug = "saint-amand-montrond"',
        "GET /api/aides/programmes/{slug}": 'slug = "detr"',
        "GET /api/aides/eligibilite/{code}": 'code = "18197"',
        "GET /api/capteurs/public/{slug}/sites/{pk}": f'slug = "{site_slug}", pk = {site_pk}',
        "GET /api/participation/{slug}/budgets/{campaign}": (
            f'slug = "{place}", campaign = "{campaign}"'
        ),
        "GET /api/participation/{slug}/idees": 'slug = "niort"',
        "GET /api/donnees/jeux/{uid}": f'uid = "{ids["dataset"]}"',
    }
    lines = [
        f'[auth.openapi.cleFlotte]\nbearer = "{ids["key"]}"',
        f'[auth.openapi.session]\napi_key = "{ids["session"]}"',
    ]
    for name, parameters in operations.items():
        lines.append(f'[[operations]]\ninclude-name = "{name}"\nparameters = {{ {parameters} }}')
    return "\n".join(lines) + "\n"


def test_every_operation_answers_as_documented_on_the_demo(demo, tmp_path):
    """schemathesis finds no server error and no response that breaks the OpenAPI
    description, on every operation; the documented examples really ingest."""
    url, ids, env = demo
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(ids))
    command = [
        str(SCHEMATHESIS), "--config-file", str(config), "run", f"{url}/api/openapi.json",
        "--checks", CHECKS, "--max-examples", "8", "--seed", "16", "--workers", "1",
        "--no-color",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603
        command,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    selected, total = re.search(r"Selected: (\d+)/(\d+)", result.stdout).groups()
    assert selected == total, "every operation of the API was tested"
    # The documented request examples name a demo meter: their readings were stored.
    stored = json.loads(_manage_shell(env, EXAMPLE_READINGS))
    assert stored == [Quantity.WATER_VOLUME, Quantity.WATER_INDEX]
