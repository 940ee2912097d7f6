"""The native batch API: whole batches accepted or refused, replays add nothing."""

import datetime

import pytest

from territoria.sensors.enums import Quantity
from tests.sensors.conftest import readings, table_count

T0 = "2025-03-15T00:00:00Z"
T0_S = int(datetime.datetime(2025, 3, 15, tzinfo=datetime.UTC).timestamp())


@pytest.mark.django_db
def test_detailed_batch_is_stored_in_canonical_units(fleet, post):
    """Each reading is stored once, converted to the quantity's unit (m³ -> L)."""
    body = {
        "readings": [
            {
                "device": "SAM-0042",
                "quantity": "water_volume",
                "timestamp": T0,
                "value": 12.5,
                "unit": "L",
            },
            {
                "device": "SAM-0042",
                "quantity": "water_volume",
                "timestamp": "2025-03-15T01:00:00+00:00",
                "value": 0.02,
                "unit": "m3",
            },
            {
                "device": "A8:40:41:9E:DB:62:01:1C",
                "quantity": "temperature",
                "timestamp": T0,
                "value": 9,
                "unit": "CEL",
            },
        ]
    }
    response = post("releves", body, fleet.key)
    assert response.status_code == 200
    assert response.json() == {"received": 3, "stored": 3, "duplicates": 0}
    assert readings() == [
        (T0_S, "SAM-0042", Quantity.WATER_VOLUME, 12.5),
        (T0_S, "compteur-mairie", Quantity.TEMPERATURE, 9.0),
        (T0_S + 3600, "SAM-0042", Quantity.WATER_VOLUME, 20.0),
    ]


@pytest.mark.django_db
def test_compact_batch_with_epoch_seconds(fleet, post):
    """The compact form carries one quantity and unit for rows [device, ts, value]."""
    rows = [["SAM-0042", T0_S + 3600 * h, float(h)] for h in range(24)]
    response = post("releves", {"quantity": "water_volume", "unit": "L", "rows": rows}, fleet.key)
    assert response.json() == {"received": 24, "stored": 24, "duplicates": 0}
    assert [r[3] for r in readings("SAM-0042")] == [float(h) for h in range(24)]


@pytest.mark.django_db
def test_replayed_batch_adds_nothing(fleet, post):
    """Sending the same batch again stores nothing and leaves rollups unchanged."""
    body = {
        "quantity": "water_volume",
        "unit": "L",
        "rows": [["SAM-0042", T0_S + 60 * m, 1.0] for m in range(10)],
    }
    post("releves", body, fleet.key)
    rollups = (table_count("sensors_hourly"), table_count("sensors_daily"))
    response = post("releves", body, fleet.key)
    assert response.json() == {"received": 10, "stored": 0, "duplicates": 10}
    assert table_count("sensors_reading") == 10
    assert (table_count("sensors_hourly"), table_count("sensors_daily")) == rollups


@pytest.mark.django_db
def test_partly_known_batch_stores_only_new_readings(fleet, post):
    """A batch overlapping what is stored adds only the new readings."""
    first = {
        "quantity": "water_volume",
        "rows": [["SAM-0042", T0_S + 60 * m, 1.0] for m in range(5)],
    }
    post("releves", first, fleet.key)
    second = {
        "quantity": "water_volume",
        "rows": [["SAM-0042", T0_S + 60 * m, 1.0] for m in range(3, 8)],
    }
    assert post("releves", second, fleet.key).json() == {
        "received": 5,
        "stored": 3,
        "duplicates": 2,
    }
    assert table_count("sensors_reading") == 8


@pytest.mark.django_db
def test_same_key_twice_in_one_batch_is_stored_once(fleet, post):
    """Two items with the same device, quantity and instant count once."""
    body = {"quantity": "water_volume", "rows": [["SAM-0042", T0_S, 1.0], ["SAM-0042", T0_S, 1.0]]}
    assert post("releves", body, fleet.key).json()["stored"] == 1


def _future():
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)).isoformat()


BAD_ITEMS = [
    pytest.param(
        {"device": "INCONNU-9", "quantity": "water_volume", "timestamp": T0, "value": 1},
        "unknown_device",
        "capteur inconnu : INCONNU-9",
        id="unknown_device_case",
    ),
    pytest.param(
        {
            "device": "SAM-0042",
            "quantity": "water_volume",
            "timestamp": T0,
            "value": 1,
            "unit": "kWh",
        },
        "wrong_unit",
        "unité kWh impossible pour water_volume (attendu : L)",
        id="wrong_unit_case",
    ),
    pytest.param(
        {"device": "SAM-0042", "quantity": "water_volume", "timestamp": T0, "value": "beaucoup"},
        "not_a_number",
        "valeur non numérique : beaucoup",
        id="non_numeric_case",
    ),
    pytest.param(
        {"device": "SAM-0042", "quantity": "débit_magique", "timestamp": T0, "value": 1},
        "unknown_quantity",
        "grandeur inconnue : débit_magique",
        id="unknown_quantity_case",
    ),
    pytest.param(
        {
            "device": "SAM-0042",
            "quantity": "water_volume",
            "timestamp": "2025-03-15 10:00",
            "value": 1,
        },
        "invalid_timestamp",
        "horodatage illisible (ISO 8601 avec fuseau attendu) : 2025-03-15 10:00",
        id="timestamp_without_offset_case",
    ),
    pytest.param(
        {"device": "SAM-0042", "quantity": "water_volume", "timestamp": "FUTURE", "value": 1},
        "future_timestamp",
        None,
        id="future_timestamp_case",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "code", "message"), BAD_ITEMS)
def test_one_bad_item_rejects_the_whole_batch(fleet, post, bad, code, message):
    """A batch with one bad item is refused whole: nothing written, the item named with
    a French message."""
    if bad["timestamp"] == "FUTURE":
        bad = {**bad, "timestamp": _future()}
        message = f"horodatage plus de 5 minutes dans le futur : {bad['timestamp']}"
    good = {"device": "SAM-0042", "quantity": "water_volume", "timestamp": T0, "value": 3}
    response = post(
        "releves",
        {"readings": [good, good | {"timestamp": "2025-03-15T01:00:00Z"}, bad]},
        fleet.key,
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_batch",
        "message": "Lot refusé : 1 élément invalide, aucun relevé n'a été enregistré.",
        "error_count": 1,
        "errors": [{"item": 2, "code": code, "message": message}],
    }
    assert table_count("sensors_reading") == 0
    assert table_count("sensors_hourly") == 0


@pytest.mark.django_db
def test_every_bad_item_is_named(fleet, post):
    """All bad items of a batch are listed, in order, not only the first."""
    body = {
        "quantity": "water_volume",
        "rows": [
            ["SAM-0042", T0_S, 1],
            ["X-1", T0_S, 1],
            ["SAM-0042", T0_S + 60, "n/a"],
            ["X-2", T0_S, 1],
        ],
    }
    errors = post("releves", body, fleet.key).json()["errors"]
    assert [(e["item"], e["code"]) for e in errors] == [
        (1, "unknown_device"),
        (2, "not_a_number"),
        (3, "unknown_device"),
    ]


@pytest.mark.django_db
def test_devices_of_another_fleet_are_unknown(fleet, post, world):
    """A fleet's key opens only its own devices, never another collectivité's."""
    from tests.sensors.factories import make_device, make_fleet

    other, other_key = make_fleet(world.niort)
    make_device(other, "NIORT-1")
    body = {
        "readings": [
            {"device": "SAM-0042", "quantity": "water_volume", "timestamp": T0, "value": 1}
        ]
    }
    response = post("releves", body, other_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_device"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [pytest.param("{pas du json", id="malformed_case"), pytest.param("[1, 2]", id="list_case")],
)
def test_body_that_is_not_a_batch_is_refused(fleet, post, body):
    """A body that is not a batch gets a French error and writes nothing."""
    response = post("releves", body, fleet.key)
    assert response.status_code in {400, 422}
    assert response.json()["code"] in {"invalid_json", "invalid_batch"}
    assert table_count("sensors_reading") == 0
