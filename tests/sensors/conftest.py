import json
from pathlib import Path

from django.db import connection

import pytest

from territoria.sensors.enums import DeviceKind, SiteKind
from tests.sensors.factories import make_device, make_fleet, make_site

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_json(name):
    return json.loads((FIXTURES / name).read_text())


def table_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def readings(device=None) -> list[tuple]:
    """(ts, external id, quantity, value) of the stored readings, in key order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.ts, d.external_id, r.quantity, r.value FROM sensors_reading r "
            "JOIN sensors_device d ON d.id = r.device_id ORDER BY r.ts, d.external_id, r.quantity"
        )
        rows = cursor.fetchall()
    return [r for r in rows if device is None or r[1] == device]


@pytest.fixture
def fleet(world):
    """Saint-Amand-Montrond's fleet with one device of each format's fixtures."""
    fleet, key = make_fleet(world.saint_amand, "Réseau LoRaWAN de la ville")
    dma = make_site(world.saint_amand, "Secteur Centre", SiteKind.DMA)
    park = make_site(world.saint_amand, "Parking de la gare", SiteKind.CAR_PARK, capacity=120)
    beach = make_site(world.saint_amand, "Berges du Cher", SiteKind.BEACH, is_public=True)
    make_device(fleet, "SAM-0042", DeviceKind.WATER_METER, site=dma)
    make_device(
        fleet, "compteur-mairie", DeviceKind.WATER_METER, dev_eui="a840419edb62011c", site=dma
    )
    make_device(fleet, "bac-place-carnot", DeviceKind.WASTE_BIN, dev_eui="70b3d57ed005b89a")
    make_device(fleet, "BAC-12", DeviceKind.WASTE_BIN)
    make_device(fleet, "PL-07", DeviceKind.PARKING_SPOT, site=park)
    make_device(fleet, "PK-GARE", DeviceKind.CAR_PARK, site=park)
    make_device(fleet, "PLAGE-1", DeviceKind.PEOPLE_COUNTER, site=beach)
    make_device(fleet, "AIR-1", DeviceKind.AIR_QUALITY)
    make_device(fleet, "DMA-CENTRE", DeviceKind.FLOW_METER, site=dma)
    fleet.key = key
    return fleet


@pytest.fixture
def post(client):
    """POST a JSON (or text) body to the sensors API with a fleet key."""

    def send(path, body, key, *, content_type="application/json", **params):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return client.post(
            f"/api/capteurs/{path}" + (f"?{query}" if query else ""),
            data=data,
            content_type=content_type,
            headers={"Authorization": f"Bearer {key}"},
        )

    return send
