"""Readings outside what a quantity can physically be (a negative index, a 500 % fill)
refuse the batch, naming the item, its device and quantity, and the accepted range."""

import pytest

from tests.sensors.conftest import table_count

T0 = "2025-03-15T00:00:00Z"


def _reading(device, quantity, value, unit=None):
    return {"device": device, "quantity": quantity, "timestamp": T0, "value": value, "unit": unit}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reading", "message"),
    [
        (
            _reading("SAM-0042", "water_index", -3, "m3"),
            "water_index de SAM-0042 : -3000 L, hors des valeurs possibles (0 L ou plus)",
        ),
        (
            _reading("BAC-12", "fill_level", 500, "%"),
            "fill_level de BAC-12 : 500 %, hors des valeurs possibles (de 0 à 100 %)",
        ),
        (
            _reading("BAC-12", "fill_level", 1.5, "C62"),
            "fill_level de BAC-12 : 150 %, hors des valeurs possibles (de 0 à 100 %)",
        ),
        (
            _reading("PK-GARE", "occupied", -1),
            "occupied de PK-GARE : -1, hors des valeurs possibles (0 ou plus)",
        ),
        (
            _reading("AIR-1", "temperature", -300, "CEL"),
            "temperature de AIR-1 : -300 °C, hors des valeurs possibles (-273,15 °C ou plus)",
        ),
    ],
    ids=["negative_index_case", "fill_over_100_case", "fill_fraction_over_1_case",
         "negative_count_case", "below_absolute_zero_case"],
)  # fmt: skip
def test_a_reading_out_of_its_range_refuses_the_batch(fleet, post, reading, message):
    """The whole batch is refused (422), the bad reading named with device and quantity."""
    good = _reading("SAM-0042", "water_volume", 12.5, "L")
    response = post("releves", {"readings": [good, reading]}, fleet.key)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "item": 1,
            "code": "out_of_range",
            "message": message,
            "device": reading["device"],
            "quantity": reading["quantity"],
        }
    ]
    assert table_count("sensors_reading") == 0


@pytest.mark.django_db
def test_the_limits_themselves_and_a_zero_index_are_accepted(fleet, post):
    """0 % and 100 % fill, a zero index and a signed power are possible values."""
    body = {
        "readings": [
            _reading("BAC-12", "fill_level", 0),
            {**_reading("BAC-12", "fill_level", 100), "timestamp": "2025-03-15T01:00:00Z"},
            _reading("SAM-0042", "water_index", 0),
            _reading("SAM-0042", "power", -1500, "W"),
        ]
    }
    response = post("releves", body, fleet.key)
    assert response.status_code == 200
    assert response.json()["stored"] == 4


@pytest.mark.django_db
def test_a_csv_line_out_of_range_is_named_by_its_line(fleet, post):
    """In a CSV file the item is the line number."""
    text = (
        "device;quantity;timestamp;value;unit\n"
        f"BAC-12;fill_level;{T0};42;%\n"
        f"BAC-12;fill_level;2025-03-15T01:00:00Z;120,5;%\n"
    )
    response = post("releves/csv", text, fleet.key, content_type="text/csv")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["item"], error["code"], error["device"]) == (3, "out_of_range", "BAC-12")
    assert "120,5 %" in error["message"]


@pytest.mark.django_db
def test_an_ngsi_ld_fill_level_over_one_is_refused(fleet, post):
    """A WasteContainer whose fillingLevel fraction is above 1 is refused, the entity's
    property named."""
    entity = {
        "id": "urn:ngsi-ld:WasteContainer:BAC-12",
        "type": "WasteContainer",
        "fillingLevel": {"type": "Property", "value": 1.2, "observedAt": T0},
    }
    response = post("ngsi-ld/v1/entityOperations/upsert", [entity], fleet.key)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["item"] == "urn:ngsi-ld:WasteContainer:BAC-12#fillingLevel"
    assert error["code"] == "out_of_range"
    assert table_count("sensors_reading") == 0
