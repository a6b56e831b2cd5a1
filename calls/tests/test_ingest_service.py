"""calls.ingest's functions used by others: tool_invocation_record (the tools API) and the
after-commit hook for ended calls (the post-call analysis)."""

from __future__ import annotations

from unittest import mock

import pytest

from calls.ingest.services import tool_invocation_record
from calls.models import Call, ToolInvocation
from calls.tests.factories import call_start, hang_up, say


def test_a_tool_invocation_creates_the_call_on_first_sight(
    business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tool_invocation_record(
            business=business,
            call_id="gw-new",
            name="book_appointment",
            arguments={"customer": {"phone": "+14155550123"}},
            result={"reference": "GB-20261127-001"},
            ok=True,
            latency_ms=210,
        )
    assert len(callbacks) == 1  # the live update, after commit
    call = Call.objects.get(business=business, call_id="gw-new")
    assert call.status == "live" and call.tool_count == 1
    assert call.last_tool_name == "book_appointment" and call.last_tool_ok is True
    invocation = ToolInvocation.objects.get(call=call)
    assert invocation.source == "tools_api"
    assert invocation.arguments == {"customer": {"phone": "+14155550123"}}


def test_a_tool_invocation_joins_an_existing_call(business):
    call = call_start(business, "gw-1")
    tool_invocation_record(
        business=business,
        call_id="gw-1",
        name="match_service",
        arguments={},
        result={},
        ok=False,
        latency_ms=90,
    )
    call.refresh_from_db()
    assert call.tool_count == 1 and call.last_tool_ok is False
    assert Call.objects.count() == 1


def test_a_tool_invocation_never_touches_another_business_call(business, other_business):
    theirs = call_start(other_business, "gw-1")
    tool_invocation_record(
        business=business,
        call_id="gw-1",
        name="x",
        arguments={},
        result={},
        ok=True,
        latency_ms=1,
    )
    theirs.refresh_from_db()
    assert theirs.tool_count == 0
    assert Call.objects.filter(business=business, call_id="gw-1").exists()


def test_the_ended_hook_runs_once_after_commit(business, django_capture_on_commit_callbacks):
    call_start(business, "gw-1")
    with (
        mock.patch("calls.ingest.services.calls_ended") as hook,
        django_capture_on_commit_callbacks(execute=True),
    ):
        hang_up(business, "gw-1")
        hang_up(business, "gw-1")  # a second call.ended (another event id) changes no state
        say(business, "gw-1", 0, "late line")
    call = Call.objects.get(call_id="gw-1")
    hook.assert_called_once_with(call_ids=[call.pk])
    assert call.status == "ended"


@pytest.mark.django_db
def test_a_runaway_client_is_rate_limited(business, api_client_for, monkeypatch):
    monkeypatch.setenv("INGEST_RATE_LIMIT", "2")
    api = api_client_for(business, "ingest")
    from calls.ingest.api import IngestRate

    IngestRate._windows.clear()
    codes = [
        api.post("/api/v1/events", {"events": "x"}, format="json").status_code for _ in range(3)
    ]
    assert codes == [400, 400, 429]
    response = api.post("/api/v1/events", {}, format="json")
    assert response.json()["error"] == "rate_limited"
    assert "Retry-After" in response.headers
