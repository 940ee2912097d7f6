"""Request bodies on the API: oversized ones are refused in the API's error shape, with
the limit in French; the documented batch of 50,000 readings goes through, as CSV over
real HTTP."""

import datetime
import json
import urllib.error
import urllib.request

from django.conf import settings

import pytest

from territoria.sensors.enums import DeviceKind
from tests.sensors.conftest import table_count
from tests.sensors.factories import make_device, make_fleet

ROWS = 50_000
DEVICES = 100


def _post(url, body: bytes, key: str, content_type: str):
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def _csv(rows: int) -> bytes:
    lines = ["device,quantity,timestamp,value,unit"]
    start = datetime.datetime(2025, 3, 15, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    for i in range(rows):
        hour = (start + datetime.timedelta(hours=i // DEVICES)).isoformat()
        lines.append(f"SAM-EAU-{i % DEVICES:04d},water_volume,{hour},{i % 97 + 0.125},L")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_a_csv_of_50000_readings_is_stored_over_http(world, live_server):
    """The documented maximum, a 50,000-line CSV (over Django's general body limit),
    is accepted whole through the HTTP endpoint."""
    fleet, key = make_fleet(world.saint_amand)
    for n in range(DEVICES):
        make_device(fleet, f"SAM-EAU-{n:04d}", DeviceKind.WATER_METER)
    body = _csv(ROWS)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    status, answer = _post(f"{live_server.url}/api/capteurs/releves/csv", body, key, "text/csv")
    assert (status, answer) == (200, {"received": ROWS, "stored": ROWS, "duplicates": 0})
    assert table_count("sensors_reading") == ROWS


@pytest.mark.django_db(transaction=True)
def test_a_body_over_the_readings_limit_is_refused_in_json(world, live_server):
    """More than 20 Mo on the readings routes: 413 payload_too_large, limit in French."""
    _, key = make_fleet(world.saint_amand)
    body = b"device,quantity,timestamp,value\n" + b"x" * (20 * 1024 * 1024)
    status, answer = _post(f"{live_server.url}/api/capteurs/releves/csv", body, key, "text/csv")
    assert status == 413
    assert answer == {
        "code": "payload_too_large",
        "message": "Corps de requête trop volumineux : la limite de cette adresse est de "
        "20 Mo. Envoyez les données en plusieurs lots.",
    }


@pytest.mark.django_db
def test_a_body_over_the_general_limit_is_refused_in_json(world, client):
    """Elsewhere on the API, a body over Django's limit (2,5 Mo) gets the JSON error,
    not Django's HTML « Bad Request »; nothing is created."""
    from territoria.sensors.models import Device

    _, key = make_fleet(world.saint_amand)
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/api/capteurs/appareils",
        json.dumps({"external_id": "A", "name": padding, "kind": "water_meter"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "payload_too_large"
    assert "limite de cette adresse est de 2,5 Mo" in response.json()["message"]
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_an_unknown_object_is_a_json_404(client):
    """A missing object on the API answers 404 in the API's shape, not ninja's own."""
    response = client.get("/api/participation/inconnue/idees")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Ressource introuvable."}
