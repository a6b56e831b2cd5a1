"""Alerts raised as events arrive (calls.ingest → calls.alerts): stored once per call and
kind, tenant-scoped, and heard by every dashboard of the business within a second, never by
another business's."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from calls.ingest.services import tool_invocation_record
from calls.models.alert import CallAlert
from calls.tests.factories import call_start, ingest, raw_event, say
from conftest import websocket_headers
from console.asgi import application


def _tool(call_id: str, ok: bool) -> dict:
    return raw_event(
        call_id,
        "tool.invoked",
        {"name": "book_appointment", "arguments": {}, "result": {}, "ok": ok, "latency_ms": 90},
    )


def test_a_red_flag_line_raises_one_alert_with_redacted_evidence(business):
    call = call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, this is the clinic?")
    assert not CallAlert.objects.exists()
    say(business, "gw-1", 1, "I have chest pain, call me on 415 555 0199")
    alert = CallAlert.objects.get()
    assert (alert.business, alert.call, alert.kind, alert.detail) == (
        business,
        call,
        "red_flag",
        "cardiac",
    )
    assert alert.acknowledged_at is None
    assert "0199" not in alert.evidence


def test_the_evidence_masks_a_name_said_earlier_in_the_call(business):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, my name is Ikaika Kealoha.")
    say(business, "gw-1", 1, "kealoha again, I have crushing chest pain")
    alert = CallAlert.objects.get()
    assert alert.detail == "cardiac"
    assert "kealoha" not in alert.evidence.lower()


def test_a_repeated_event_or_a_second_matching_line_adds_no_alert(business):
    call_start(business, "gw-1")
    event = raw_event(
        "gw-1",
        "transcript.segment",
        {"seq": 0, "speaker": "caller", "text": "operator", "start_ms": 0, "end_ms": 1,
         "final": True},
    )  # fmt: skip
    ingest(business, event)
    ingest(business, event)  # the gateway retries
    say(business, "gw-1", 2, "I want to talk to a real person")
    assert list(CallAlert.objects.values_list("kind", flat=True)) == ["human_request"]


def test_the_database_refuses_a_second_alert_of_a_kind_for_a_call(business):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    call = call_start(business, "gw-1")
    say(business, "gw-1", 0, "operator")
    with pytest.raises(IntegrityError), transaction.atomic():
        CallAlert.objects.create(
            business=business, call=call, kind="human_request", raised_at=timezone.now()
        )


def test_an_agent_line_is_never_an_alert(business):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "I can transfer you to a real person if you like", speaker="agent")
    assert not CallAlert.objects.exists()


def test_a_partial_line_raises_the_alert_before_it_is_final(business):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "I think I took too many of my pills", final=False)
    assert CallAlert.objects.get().detail == "poisoning"


def test_two_failed_tool_calls_raise_an_alert_and_one_does_not(business):
    call_start(business, "gw-1")
    ingest(business, _tool("gw-1", False), _tool("gw-1", True))
    assert not CallAlert.objects.exists()
    tool_invocation_record(  # the tools API's path
        business=business,
        call_id="gw-1",
        name="check_availability",
        arguments={},
        result={"error": "unknown_service"},
        ok=False,
        latency_ms=40,
    )
    alert = CallAlert.objects.get()
    assert (alert.kind, alert.detail) == ("tool_failures", "2")


def test_alerts_belong_to_the_call_business_only(business, other_business):
    call_start(business, "same-id")
    call_start(other_business, "same-id")
    say(other_business, "same-id", 0, "this is ridiculous, I want a real person")
    assert not CallAlert.objects.filter(business=business).exists()
    assert CallAlert.objects.filter(business=other_business).count() == 2


def test_an_agent_line_costs_no_alert_query(business):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_start(business, "gw-1")
    say(business, "gw-1", 0, "hello", speaker="agent")
    with CaptureQueriesContext(connection) as captured:
        say(business, "gw-1", 1, "How can I help?", speaker="agent")
    assert captured.captured_queries
    assert not [q for q in captured.captured_queries if "calls_callalert" in q["sql"]]
    assert not [q for q in captured.captured_queries if "calls_toolinvocation" in q["sql"]]


def test_a_tool_that_worked_costs_no_failure_count(business):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_start(business, "gw-1")
    with CaptureQueriesContext(connection) as captured:
        ingest(business, _tool("gw-1", True))
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if 'FROM "calls_toolinvocation"' in sql]


# --- reaching the dashboards -------------------------------------------------------------------


async def _connect(user) -> WebsocketCommunicator:
    headers = await sync_to_async(websocket_headers)(user)
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _until(communicator: WebsocketCommunicator, needle: str, within: float) -> str:
    deadline = time.monotonic() + within
    while True:
        html = await communicator.receive_from(timeout=max(0.01, deadline - time.monotonic()))
        if needle in html:
            return html


async def _run(business, front_desk, manager, outsider):
    await sync_to_async(call_start)(business, "gw-alert")
    desk = await _connect(front_desk)
    office = await _connect(manager)
    theirs = await _connect(outsider)
    started = time.monotonic()
    await sync_to_async(say)(business, "gw-alert", 1, "¿Puedo hablar con una persona?")
    for dashboard in (desk, office):
        html = await _until(dashboard, 'data-alert="human_request"', within=1.0)
        assert 'data-call-id="gw-alert"' in html
        assert 'id="attention"' in html and 'hx-swap-oob="true"' in html
        assert 'id="call-' in html  # the card travels with the list
    assert time.monotonic() - started < 1.0
    assert await theirs.receive_nothing(timeout=0.3)
    for communicator in (desk, office, theirs):
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_every_dashboard_of_the_business_hears_an_alert_and_no_other_does(
    business, front_desk, manager, outsider
):
    asyncio.run(_run(business, front_desk, manager, outsider))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_alerts_reach_dashboards_on_the_redis_channel_layer(
    business, front_desk, manager, outsider
):
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    asyncio.run(_run(business, front_desk, manager, outsider))


def test_a_failing_alert_broadcast_never_fails_the_ingest(
    business, monkeypatch, django_capture_on_commit_callbacks
):
    from calls.alerts import live

    def down(**kwargs):
        raise ConnectionError("channel layer down")

    monkeypatch.setattr(live, "alerts_broadcast", down)
    call_start(business, "gw-1")
    with django_capture_on_commit_callbacks(execute=True):
        say(business, "gw-1", 0, "operator")  # must not raise
    assert CallAlert.objects.get().kind == "human_request"  # stored all the same


def test_a_batch_of_many_calls_reads_their_lines_in_a_fixed_number_of_queries(business):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ids = [f"gw-{i}" for i in range(5)]
    for call_id in ids:
        call_start(business, call_id)
    lines = [
        raw_event(
            call_id,
            "transcript.segment",
            {
                "seq": 0,
                "speaker": "caller",
                "text": f"operator {n}",
                "start_ms": 0,
                "end_ms": 1,
                "final": True,
            },
        )
        for n, call_id in enumerate(ids)
    ]
    with CaptureQueriesContext(connection) as captured:
        ingest(business, *lines)
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and '"calls_transcriptsegment"."text"' in q["sql"]
    ]
    # One for the caller lines the detectors read, one for the names said in the calls that
    # raise an alert (masked in its evidence): whatever the number of calls.
    assert len(reads) == 2
    assert CallAlert.objects.filter(kind="human_request").count() == 5
