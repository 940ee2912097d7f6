"""The three network-server formats posted to the real endpoints with their shapes broken
(wrong types at every level, missing keys, nulls, lists for objects, huge numbers, NaN):
refused with a structured error and nothing written, or accepted when still valid;
never a server error. (tests/sensors/test_ingest_fuzz.py fuzzes the parsers alone.)"""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from territoria.sensors.models import RawPayload
from tests.sensors.conftest import fixture_json, table_count

WRONG = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.sampled_from(["", "NaN", "Infinity", "-1e999", "x" * 300, "2025-13-45T99:00:00Z"])
    | st.lists(st.none() | st.integers() | st.text(max_size=5), max_size=3)
    | st.dictionaries(st.text(max_size=6), st.none() | st.integers() | st.text(max_size=5))
)
TEMPLATES = {
    "chirpstack": fixture_json("chirpstack_up.json"),
    "tts": fixture_json("tts_uplink.json"),
    "ngsi-ld/v1/entityOperations/upsert": fixture_json("ngsi_ld_upsert.json"),
}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _paths(child, (*prefix, key))


@st.composite
def broken(draw, template):
    """The template with one to three places replaced by a wrong value or removed."""
    body = copy.deepcopy(template)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(body))))
        if not path:
            body = draw(WRONG)
            continue
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(WRONG)
    return body


def _encode(body) -> str:
    # Python writes NaN and huge integers that strict JSON readers refuse: sent as is.
    return json.dumps(body)


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(TEMPLATES), ids=["chirpstack", "ngsi_ld", "tts"])
@settings(
    max_examples=70,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_broken_webhook_bodies_are_refused_with_a_structured_error(fleet, post, path, data):
    """A broken body answers 400 or 422 with {"code", "message"} and writes nothing; a
    body the mutation left valid is accepted; no body causes a server error."""
    body = data.draw(broken(TEMPLATES[path]))
    before = (table_count("sensors_reading"), RawPayload.objects.count())
    extra = {"event": "up"} if path == "chirpstack" else {}
    response = post(path, _encode(body), fleet.key, **extra)
    assert response.status_code in {200, 201, 204, 400, 422}, response.content[:500]
    if response.status_code >= 400:
        error = response.json()
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        if response.status_code == 422:
            assert error["errors"], error
        assert (table_count("sensors_reading"), RawPayload.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "item"),
    [
        ("chirpstack", {"deviceInfo": "a840419edb62011c", "object": {}}, "deviceInfo"),
        (
            "tts",
            {**fixture_json("tts_uplink.json"), "correlation_ids": 42},
            "correlation_ids",
        ),
        (
            "ngsi-ld/v1/entityOperations/upsert",
            [{"id": "urn:ngsi-ld:WasteContainer:BAC-12", "type": ["WasteContainer"]}],
            0,
        ),
    ],
    ids=["chirpstack_device_info_as_text_case", "tts_correlation_ids_as_number_case",
         "ngsi_ld_type_as_list_case"],
)  # fmt: skip
def test_the_shapes_seen_in_the_field_are_named(fleet, post, path, body, item):
    """The malformed shapes found by fuzzing are refused (422) naming the bad field."""
    response = post(path, body, fleet.key, **({"event": "up"} if path == "chirpstack" else {}))
    assert response.status_code == 422
    assert [e["item"] for e in response.json()["errors"]] == [item]
    assert table_count("sensors_reading") == 0
