"""NGSI-LD batch upsert of Smart Data Models entities, units converted."""

import pytest

from territoria.sensors.enums import Quantity
from tests.sensors.conftest import fixture_json, readings, table_count


@pytest.mark.django_db
def test_upsert_of_every_supported_model(fleet, post):
    """Each model's measure is stored in the canonical unit: MTQ -> L, fractions -> %,
    spot status -> 0/1; 201 lists the entities."""
    body = fixture_json("ngsi_ld_upsert.json")
    response = post(
        "ngsi-ld/v1/entityOperations/upsert", body, fleet.key, content_type="application/ld+json"
    )
    assert response.status_code == 201
    assert response.json() == [entity["id"] for entity in body]
    stored = {(device, quantity): value for _, device, quantity, value in readings()}
    assert stored == {
        ("SAM-0042", Quantity.WATER_INDEX): pytest.approx(191051.0),
        ("BAC-12", Quantity.FILL_LEVEL): pytest.approx(42.0),
        ("PL-07", Quantity.OCCUPIED): 1.0,
        ("PK-GARE", Quantity.OCCUPIED): 87.0,
        ("PLAGE-1", Quantity.PEOPLE_COUNT): 412.0,
        ("AIR-1", Quantity.NO2): 22.5,
        ("AIR-1", Quantity.PM10): 18.0,
        ("AIR-1", Quantity.HUMIDITY): pytest.approx(61.0),
    }


@pytest.mark.django_db
def test_second_upsert_of_same_observations_answers_204(fleet, post):
    """Upserting the same observations again creates nothing: 204."""
    body = fixture_json("ngsi_ld_upsert.json")
    post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    response = post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    assert response.status_code == 204
    assert table_count("sensors_reading") == 8


@pytest.mark.django_db
def test_unsupported_type_rejects_the_batch(fleet, post):
    """An entity of a model we do not map is named and nothing is written."""
    body = fixture_json("ngsi_ld_upsert.json") + [
        {"id": "urn:ngsi-ld:Vehicle:V1", "type": "Vehicle"}
    ]
    response = post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    assert response.status_code == 422
    assert [(e["item"], e["code"]) for e in response.json()["errors"]] == [
        ("urn:ngsi-ld:Vehicle:V1", "unsupported_type")
    ]
    assert table_count("sensors_reading") == 0


@pytest.mark.django_db
def test_wrong_unit_code_is_named(fleet, post):
    """A unitCode that does not measure the property (KWH for water) is refused."""
    body = fixture_json("ngsi_ld_upsert.json")[:1]
    body[0]["waterConsumption"]["unitCode"] = "KWH"
    response = post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    assert response.json()["errors"] == [
        {
            "item": "urn:ngsi-ld:WaterConsumptionObserved:SAM-0042#waterConsumption",
            "code": "wrong_unit",
            "message": "unité KWH impossible pour water_index (attendu : L)",
        }
    ]


@pytest.mark.django_db
def test_entity_without_observation_time_is_refused(fleet, post):
    """A measure with neither observedAt nor dateObserved has no instant: refused."""
    body = [
        {
            "id": "urn:ngsi-ld:CrowdFlowObserved:PLAGE-1",
            "type": "CrowdFlowObserved",
            "peopleCount": 3,
        }
    ]
    response = post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    assert response.json()["errors"][0]["code"] == "invalid_timestamp"


@pytest.mark.django_db
def test_meter_alarm_is_passed_through_as_an_alert(fleet, post):
    """A meter's own raised alarm (alarmFlowPersistence) opens one « alarme du
    compteur » alert; « Nothing to report » opens none."""
    from territoria.sensors.enums import AlertKind
    from territoria.sensors.models import Alert

    body = fixture_json("ngsi_ld_upsert.json")[:1]
    post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    assert Alert.objects.count() == 0
    body[0]["alarmFlowPersistence"]["value"] = "3h < 6h"
    body[0]["waterConsumption"]["observedAt"] = "2025-03-15T03:14:16Z"
    body[0]["alarmFlowPersistence"]["observedAt"] = "2025-03-15T03:14:16Z"
    post("ngsi-ld/v1/entityOperations/upsert", body, fleet.key)
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.VENDOR
    assert alert.title == "Alarme du compteur Capteur SAM-0042 : alarmFlowPersistence (3h < 6h)"
    assert alert.started_at.isoformat() == "2025-03-15T03:14:16+00:00"
