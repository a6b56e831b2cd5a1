"""What one event costs: a fixed, small number of queries however many dashboards watch,
and the call's card rendered once per change (CONTRACTS §3 stays as it is)."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.live import broadcast
from calls.models import TranscriptSegment
from calls.tests.factories import call_start
from calls.tests.test_ingest_api import URL, segment
from conftest import websocket_headers
from console.asgi import application


def _statements(queries: CaptureQueriesContext) -> list[str]:
    # BEGIN and COMMIT (savepoints inside a test's transaction) are not counted here.
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split(" ")[0] not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
    ]


@pytest.mark.django_db
def test_the_next_caller_line_of_a_call_costs_six_statements(business, api_client_for):
    api = api_client_for(business, "ingest")
    call_start(business, "gw-1")
    api.post(URL, segment("e-0", 0, "Hello"), format="json")  # the key is marked used once
    with CaptureQueriesContext(connection) as queries:
        response = api.post(URL, segment("e-next", 1, "I'd like a cut"), format="json")
    assert response.status_code == 202
    # The key (with its business), the call locked, the event stored (duplicates sorted out
    # by the same statement), the line, the call's summary, and the caller's last lines read
    # for live alerts (calls.alerts: an agent's line costs no such read).
    assert len(_statements(queries)) == 6, "\n".join(s[:90] for s in _statements(queries))


@pytest.mark.django_db
def test_a_repeated_event_costs_no_more_than_the_first(business, api_client_for):
    api = api_client_for(business, "ingest")
    call_start(business, "gw-1")
    body = segment("e-1", 0, "Hello")
    api.post(URL, body, format="json")  # stored; the key is marked used once
    with CaptureQueriesContext(connection) as queries:
        response = api.post(URL, body, format="json")
    assert response.json() == {"accepted": 0, "duplicates": 1}
    assert len(_statements(queries)) == 3  # the key, the call locked, the event refused


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_whatever_its_size(business, api_client_for):
    api = api_client_for(business, "ingest")
    call_start(business, "gw-1")
    api.post(URL, segment("e-warm", 0, "Hello"), format="json")
    counts = []
    for start, size in ((1, 10), (11, 100)):
        body = {"events": [segment(f"e-{n}", n, f"line {n}") for n in range(start, start + size)]}
        with CaptureQueriesContext(connection) as queries:
            assert api.post(URL, body, format="json").status_code == 202
        counts.append(len(_statements(queries)))
    assert counts[0] == counts[1] == 6  # as one line, the alerts' read included
    assert TranscriptSegment.objects.filter(call__call_id="gw-1").count() == 111


@pytest.mark.django_db(transaction=True)
def test_the_card_is_rendered_once_per_change_however_many_dashboards_watch(
    business, front_desk, monkeypatch
):
    rendered = 0
    original = broadcast.dashboard_fragment

    def counted(**kwargs):
        nonlocal rendered
        rendered += 1
        return original(**kwargs)

    monkeypatch.setattr(broadcast, "dashboard_fragment", counted)

    async def run() -> None:
        headers = await sync_to_async(websocket_headers)(front_desk)
        dashboards = [
            WebsocketCommunicator(application, "/ws/live/", headers=headers) for _ in range(4)
        ]
        for dashboard in dashboards:
            assert (await dashboard.connect())[0]
        await sync_to_async(call_start)(business, "gw-card")
        for dashboard in dashboards:
            assert 'data-call-id="gw-card"' in await dashboard.receive_from(timeout=5)
        assert rendered == 1
        for dashboard in dashboards:
            await dashboard.disconnect()

    asyncio.run(run())
