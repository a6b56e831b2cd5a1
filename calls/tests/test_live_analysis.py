"""Once a call's analysis has run, its card among the recently ended calls shows the intent,
the lead score and whether to escalate: on the page, and pushed live to open dashboards."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from calls.tests.review_calls import ANGRY, call_events
from calls.tests.test_consumers import _connect

ESCALATE_BADGE = '<span class="badge bad">Escalate</span>'


def test_an_ended_card_shows_the_analysis(business, front_desk, client_for) -> None:
    from calls.tests.review_calls import finished_call

    finished_call(business, "gw-angry", ANGRY)
    html = client_for(front_desk).get("/calls/live/").content.decode()
    # The card (the "needs attention" list above it names the call too).
    card = html[html.index('class="call-card status-ended" data-call-id="gw-angry"') :]
    assert "Complaint" in card[:2000] and ESCALATE_BADGE in card[:2000]


def _ingest_angry_call(business) -> None:
    from calls.ingest import call_events_ingest
    from calls.validation import events_parse

    events = call_events("gw-live-angry", ANGRY)
    call_events_ingest(business=business, events=events_parse({"events": events}, region="US"))


async def _watch(business, front_desk) -> None:
    dashboard, ok = await _connect("/ws/live/", front_desk)
    assert ok
    await sync_to_async(_ingest_angry_call)(business)
    received = ""
    for _ in range(10):
        received += await dashboard.receive_from(timeout=5)
        if ESCALATE_BADGE in received:
            break
    assert ESCALATE_BADGE in received and 'data-call-id="gw-live-angry"' in received
    await dashboard.disconnect()


@pytest.mark.django_db(transaction=True)
def test_an_open_dashboard_receives_the_analysis_when_it_is_done(business, front_desk) -> None:
    asyncio.run(_watch(business, front_desk))
