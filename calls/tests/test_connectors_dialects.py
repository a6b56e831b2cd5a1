"""The simulator's platform dialects: a scripted call said as Retell or Vapi would say it,
through the real connector endpoint, is the same call as through the events API."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.test import Client

from calls.connectors.dialects import DialectSpeaker, delivery_sign
from calls.models import Call, CallEvent, Connector
from calls.simulator import call_events, scripts_load
from calls.tests.connector_deliveries import SECRET, connector_make, path_of
from calls.tests.test_simulator import tools_for
from conftest import make_business, make_user
from console.demo.bookings import bookings_demo_seed

SCRIPTS = {s.name: s for s in scripts_load()}


@pytest.mark.django_db
@pytest.mark.parametrize("platform", ["retell", "vapi"])
def test_a_scripted_call_in_a_platforms_dialect_lands_whole(business, platform):
    bookings_demo_seed(business, appointments=0)
    connector = connector_make(business, platform)
    speaker = DialectSpeaker(platform)
    lines = {}
    call_id = ""
    for item in call_events(
        SCRIPTS["salon_booking"],
        business_name=business.name,
        caller="+14155551234",
        called="+14155550100",
        start=datetime.now(UTC),
        rng=random.Random(1),
        tools=tools_for(business),
    ):
        call_id = item.event["call_id"]
        if item.event["type"] == "transcript.segment" and item.event["data"]["final"]:
            lines[item.event["data"]["seq"]] = item.event["data"]["text"]
        for payload in speaker.deliveries(item.event):
            body = json.dumps(payload).encode()
            response = Client().post(
                "/" + path_of(connector),
                data=body,
                content_type="application/json",
                headers=delivery_sign(platform=platform, secret=SECRET, body=body),
            )
            assert response.status_code == 202, response.content
    call = Call.objects.get(business=business, call_id=call_id)
    assert call.status == Call.Status.ENDED and call.end_reason == SCRIPTS["salon_booking"].end
    assert call.from_number == "+14155551234"
    stored = {s.seq: s.text for s in call.segments.all()}
    assert stored == lines
    assert not call.segments.filter(final=False).exists()
    assert call.tool_invocations.filter(name="book_appointment").count() == 1  # via our tools


def test_the_command_speaks_vapi_to_a_connector(live_server, transactional_db):
    owner = make_user("sim@salon.test")
    business = make_business("Sim Salon", owner)
    bookings_demo_seed(business, appointments=0)
    call_command(
        "simulate_calls",
        "--url",
        live_server.url,
        "--business",
        business.slug,
        "--calls",
        "2",
        "--concurrency",
        "1",
        "--speed",
        "0",
        "--seed",
        "3",
        "--dialect",
        "vapi",
    )
    assert Connector.objects.filter(business=business, platform="vapi").count() == 1
    assert Call.objects.filter(business=business, status="ended").count() == 2
    ids = CallEvent.objects.filter(business=business).values_list("event_id", flat=True)
    assert ids and all(event_id.startswith("vapi:") for event_id in ids)  # via the connector
