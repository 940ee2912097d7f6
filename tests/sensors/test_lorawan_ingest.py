"""ChirpStack v4 and The Things Stack v3 uplinks: decoded payload used, raw kept."""

import pytest

from territoria.sensors.enums import Quantity, Source
from territoria.sensors.models import RawPayload
from tests.sensors.conftest import fixture_json, readings, table_count

CHIRPSTACK_TS = 1742006384  # 2025-03-15T02:39:44.53Z, fraction dropped
TTS_TS = 1742046131  # 2025-03-15T13:42:11.412Z


@pytest.mark.django_db
def test_chirpstack_up_event_stores_decoded_object_and_raw_message(fleet, post):
    """The codec's `object` gives the readings; the message is kept with its frame."""
    body = fixture_json("chirpstack_up.json")
    response = post("chirpstack", body, fleet.key, event="up")
    assert response.status_code == 200
    assert response.json() == {"received": 3, "stored": 3, "duplicates": 0}
    assert readings() == [
        (CHIRPSTACK_TS, "compteur-mairie", Quantity.WATER_VOLUME, 12.0),
        (CHIRPSTACK_TS, "compteur-mairie", Quantity.TEMPERATURE, 14.73),
        (CHIRPSTACK_TS, "compteur-mairie", Quantity.BATTERY, 3.297),
    ]
    raw = RawPayload.objects.get()
    assert (raw.source, raw.message_id, raw.device.external_id) == (
        Source.CHIRPSTACK,
        "80166477-2482-43ab-a64e-088107a7c4fa",
        "compteur-mairie",
    )
    assert raw.body["data"] == "zOEJqQHEAQj1f/8="


@pytest.mark.django_db
def test_chirpstack_redelivery_adds_nothing(fleet, post):
    """The same deduplicationId delivered twice is stored once."""
    body = fixture_json("chirpstack_up.json")
    post("chirpstack", body, fleet.key, event="up")
    response = post("chirpstack", body, fleet.key, event="up")
    assert response.json() == {"received": 3, "stored": 0, "duplicates": 3}
    assert (table_count("sensors_reading"), RawPayload.objects.count()) == (3, 1)


@pytest.mark.django_db
def test_chirpstack_other_events_are_acknowledged_without_readings(fleet, post):
    """A join or status event is acknowledged (204) and writes nothing."""
    response = post(
        "chirpstack", {"deviceInfo": {"devEui": "a840419edb62011c"}}, fleet.key, event="join"
    )
    assert response.status_code == 204
    assert table_count("sensors_reading") == 0


@pytest.mark.django_db
def test_chirpstack_without_codec_is_refused_with_a_hint(fleet, post):
    """An uplink without decoded `object` is refused and tells to set a codec."""
    body = fixture_json("chirpstack_up.json")
    del body["object"]
    response = post("chirpstack", body, fleet.key, event="up")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "item": "object",
            "code": "not_decoded",
            "message": "message sans charge décodée : configurez un décodeur (codec) sur le "
            "serveur réseau",
        }
    ]
    assert RawPayload.objects.count() == 0


@pytest.mark.django_db
def test_chirpstack_unknown_device_is_refused(fleet, post):
    """An uplink from a DevEUI the fleet does not know is refused whole."""
    body = fixture_json("chirpstack_up.json")
    body["deviceInfo"]["devEui"] = "0011223344556677"
    response = post("chirpstack", body, fleet.key, event="up")
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} == {"unknown_device"}
    assert (table_count("sensors_reading"), RawPayload.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_tts_uplink_with_upper_case_dev_eui(fleet, post):
    """The Things Stack's upper-case DevEUI finds the device; decoded payload stored."""
    response = post("tts", fixture_json("tts_uplink.json"), fleet.key)
    assert response.status_code == 200
    assert readings() == [
        (TTS_TS, "bac-place-carnot", Quantity.FILL_LEVEL, 63.5),
        (TTS_TS, "bac-place-carnot", Quantity.TEMPERATURE, 9.9),
        (TTS_TS, "bac-place-carnot", Quantity.BATTERY, 3.62),
    ]
    raw = RawPayload.objects.get()
    assert raw.message_id == "as:up:01HX6Y8Z9ABCDEFGHJKMNPQRST"
    assert raw.body["uplink_message"]["frm_payload"] == "ASsBKAAA"


@pytest.mark.django_db
def test_tts_uplink_with_omitted_fields(fleet, post):
    """Empty fields are omitted by The Things Stack (f_cnt 0…): still accepted."""
    body = fixture_json("tts_uplink.json")
    del body["uplink_message"]["f_cnt"]
    del body["correlation_ids"]
    del body["uplink_message"]["rx_metadata"]
    assert post("tts", body, fleet.key).json()["stored"] == 3


@pytest.mark.django_db
def test_tts_body_that_is_not_an_uplink_is_refused(fleet, post):
    """A webhook body without uplink fields is refused with a French explanation."""
    response = post("tts", {"join_accept": {}}, fleet.key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "message sans « end_device_ids » ni « uplink_message »"
    )


@pytest.mark.django_db
def test_meter_frame_carrying_several_hourly_indexes(fleet, post):
    """A codec may return a `readings` list (24 hourly volumes in one daily frame)."""
    body = fixture_json("chirpstack_up.json")
    body["object"] = {
        "readings": [
            {
                "quantity": "water_volume",
                "timestamp": f"2025-03-14T{h:02d}:00:00Z",
                "value": h,
                "unit": "L",
            }
            for h in range(24)
        ]
    }
    assert post("chirpstack", body, fleet.key, event="up").json()["stored"] == 24
