"""CSV files of readings: accepted whole, or refused with every bad line named."""

import pytest

from territoria.sensors.enums import Quantity
from tests.sensors.conftest import FIXTURES, readings, table_count


@pytest.mark.django_db
def test_semicolon_file_with_decimal_commas(fleet, post):
    """A French spreadsheet export (semicolons, decimal commas, m³) is read right."""
    text = (FIXTURES / "readings.csv").read_text()
    response = post("releves/csv", text, fleet.key, content_type="text/csv")
    assert response.json() == {"received": 3, "stored": 3, "duplicates": 0}
    assert [(d, q, v) for _, d, q, v in readings()] == [
        ("BAC-12", Quantity.FILL_LEVEL, 55.0),
        ("SAM-0042", Quantity.WATER_VOLUME, 12.5),
        ("SAM-0042", Quantity.WATER_VOLUME, 12.0),
    ]


@pytest.mark.django_db
def test_line_level_report(fleet, post):
    """Each bad line is named by its line number; nothing is written."""
    text = (
        "device,quantity,timestamp,value\n"
        "SAM-0042,water_volume,2025-03-15T00:00:00Z,1\n"
        "SAM-9999,water_volume,2025-03-15T00:00:00Z,1\n"
        "SAM-0042,water_volume,hier,1\n"
        "SAM-0042,water_volume\n"
    )
    response = post("releves/csv", text, fleet.key, content_type="text/csv")
    assert response.status_code == 422
    assert [(e["item"], e["code"]) for e in response.json()["errors"]] == [
        (5, "short_line"),
        (3, "unknown_device"),
        (4, "invalid_timestamp"),
    ]
    assert table_count("sensors_reading") == 0


@pytest.mark.django_db
def test_file_without_the_columns(fleet, post):
    """A file without the expected header says which columns are missing."""
    response = post("releves/csv", "a,b\n1,2\n", fleet.key, content_type="text/csv")
    assert response.json()["errors"] == [
        {
            "item": 1,
            "code": "missing_columns",
            "message": "colonnes manquantes dans l'en-tête : device, quantity, timestamp, value",
        }
    ]
