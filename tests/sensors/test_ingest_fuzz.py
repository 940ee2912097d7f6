"""Any JSON body is either accepted or refused with named errors, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from territoria.sensors import formats, ingest

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
READING = st.fixed_dictionaries(
    {
        "device": st.sampled_from(["M1", "m1", "A8:40:41:9E:DB:62:01:1C", "", "X"]) | JSON,
        "quantity": st.sampled_from(["water_volume", "flow_rate", "nope", 1, 999]) | JSON,
        "timestamp": st.sampled_from(["2025-03-15T00:00:00Z", "hier", 1742000000, 10**20]) | JSON,
        "value": st.sampled_from([1, 1.5, "2,5", "n/a", float("nan"), True]) | JSON,
        "unit": st.sampled_from(["L", "m3", "kWh", None]) | JSON,
    }
)
DIRECTORY = {"M1": 1, "a840419edb62011c": 2}


def _outcome(items):
    try:
        batch = ingest.validate(items, DIRECTORY, now=1_800_000_000)
    except ingest.BatchRejected as rejected:
        body = rejected.as_dict()
        assert body["errors"] or body["code"] == "batch_too_large"
        return "rejected"
    assert len(batch) == len(items)
    return "accepted"


@settings(max_examples=60, deadline=None)
@given(body=JSON | st.fixed_dictionaries({"readings": st.lists(READING, max_size=5)}))
def test_native_bodies_never_crash(body):
    """Random bodies and readings end accepted or refused with errors."""
    _outcome(formats.native(body))


@settings(max_examples=40, deadline=None)
@given(body=JSON)
def test_lorawan_and_ngsi_bodies_never_crash(body):
    """Random network-server and NGSI-LD bodies end accepted or refused with errors."""
    if isinstance(body, dict):
        _outcome(formats.chirpstack_up(body).items)
        _outcome(formats.tts_uplink(body).items)
    _outcome(formats.ngsi_ld(body)[0])


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=200))
def test_csv_text_never_crashes(text):
    """Any text as a CSV file ends accepted or refused with errors."""
    _outcome(formats.csv_readings("device,quantity,timestamp,value\n" + text))
