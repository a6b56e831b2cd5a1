"""Whatever JSON the gateway (or anyone with a key) sends, the answer is 202 or a 4xx JSON
error, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.ingest.validation import EVENT_TYPES

URL = "/api/v1/events"

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
field_values = (
    scalars
    | st.sampled_from(["+14155550123", "0207 946 0000", "2026-11-24T15:04:05Z", "caller", "pstn"])
    | json_values
)
DATA_KEYS = (
    ("from", "to", "channel", "agent"),
    ("seq", "speaker", "text", "start_ms", "end_ms", "final"),
    ("name", "arguments", "result", "ok", "latency_ms"),
    ("turn", "barge_in", "asr_ms", "llm_ms", "tts_ms"),
    ("reason", "duration_s"),
)
data_keys = st.sampled_from([key for group in DATA_KEYS for key in group])
near_events = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=12) | field_values,
        "type": st.sampled_from(EVENT_TYPES) | field_values,
        "call_id": st.sampled_from(["gw-1", "gw-2"]) | field_values,
        "occurred_at": st.sampled_from(
            ["2026-11-24T15:04:05Z", "2026-11-24T15:04:05+01:00", "2026-02-30T00:00:00Z"]
        )
        | field_values,
        "data": st.dictionaries(data_keys, field_values, max_size=10) | field_values,
    }
)
bodies = (
    json_values
    | near_events
    | st.fixed_dictionaries({"events": st.lists(near_events | json_values, max_size=5)})
    | st.fixed_dictionaries({"events": json_values})
)


@pytest.fixture
def api(business, api_client_for):
    return api_client_for(business, "ingest")


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies)
def test_arbitrary_json_never_yields_a_500(api, body):
    raw = json.dumps(body, allow_nan=True)
    response = api.post(URL, raw, content_type="application/json")
    assert response.status_code in (202, 400), (response.status_code, raw)
    payload = response.json()
    if response.status_code == 400:
        assert payload["error"] in {"invalid_events", "invalid_json"}
        assert isinstance(payload["fields"], dict)
    else:
        assert set(payload) == {"accepted", "duplicates"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_never_yield_a_500(api, raw):
    response = api.post(URL, raw, content_type="application/json")
    assert response.status_code in (202, 400)
