"""Whatever a platform (or anyone who holds the connector's secret) sends, correctly signed,
the answer is 202 or a 4xx JSON error, never a 500: the documented payloads with any of
their fields replaced by any JSON value."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calls.tests.connector_deliveries import connector_make, deliver, fixture

FIXTURES = {
    "retell": [
        "retell_call_started",
        "retell_transcript_updated",
        "retell_call_ended",
        "retell_call_analyzed",
    ],
    "vapi": ["vapi_status_update", "vapi_transcript", "vapi_tool_calls", "vapi_end_of_call_report"],
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["+14155550123", "2026-11-24T15:04:05Z", "user", "final", "ended", "\x00"])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def replaced(payload: Any, path: tuple, value: Any) -> Any:
    payload = copy.deepcopy(payload)
    target = payload
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return payload


@st.composite
def mutations(draw: Any, platform: str) -> Any:
    payload = fixture(draw(st.sampled_from(FIXTURES[platform])))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        choices = paths(payload)
        if not choices:
            break
        payload = replaced(payload, draw(st.sampled_from(choices)), draw(values))
    return payload


@pytest.mark.django_db
@pytest.mark.parametrize("platform", ["retell", "vapi"])
def test_no_signed_payload_makes_a_500(business, platform):
    connector = connector_make(business, platform)

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=mutations(platform))
    def check(payload: Any) -> None:
        response = deliver(connector, payload, body=json.dumps(payload).encode())
        assert response.status_code in (202, 400), (response.status_code, response.content)
        assert response["Content-Type"] == "application/json"

    check()
