"""The call simulator: every script makes valid events, its tool calls book, move and cancel
for real through the tools API, what the agent says is what was booked, and the command
plays calls through the real HTTP endpoints."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from bookings.models import Appointment
from calls.ingest.services import call_events_ingest
from calls.ingest.validation import events_parse
from calls.models import Call
from calls.simulator import (
    Script,
    call_events,
    reference_spoken,
    scripts_load,
    time_spoken,
)
from conftest import make_business, make_user
from console.demo.bookings import bookings_demo_seed
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business

SCRIPTS = {s.name: s for s in scripts_load()}
CALLER = "+14155551234"


def tools_for(business: Business) -> Any:
    """The voice agent's tools, called for real through the API with a `tools` key."""
    key = api_key_create(business=business, name="sim", scopes=["tools"]).secret
    client = APIClient()

    def call(name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = client.post(
            f"/api/v1/tools/{name}",
            body,
            format="json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        return response.status_code, response.json()

    return call


def play(
    business: Business, script: Script, caller: str = CALLER, start: datetime | None = None
) -> Call:
    """One call, each event ingested as the simulator sends it; returns the call."""
    call_id = None
    offsets = []
    for item in call_events(
        script,
        business_name=business.name,
        caller=caller,
        called="+14155550100",
        start=start or datetime.now(UTC),
        rng=random.Random(1),
        tools=tools_for(business),
    ):
        offsets.append(item.at_s)
        call_id = item.event["call_id"]
        call_events_ingest(
            business=business, events=events_parse({"events": [item.event]}, region="US")
        )
    assert offsets == sorted(offsets)
    return Call.objects.get(business=business, call_id=call_id)


def agent_lines(call: Call) -> str:
    return " ".join(s.text for s in call.segments.filter(speaker="agent", final=True))


@pytest.fixture
def salon(business: Business) -> Business:
    bookings_demo_seed(business, appointments=0)
    return business


def test_the_scripts_cover_the_calls_the_issue_asks_for():
    titles = " ".join(s.title.lower() for s in scripts_load())
    for wanted in ("books", "moves", "cancels", "prices", "angry", "urgent", "hangs up"):
        assert wanted in titles


@pytest.mark.parametrize("script", scripts_load(), ids=lambda s: s.name)
def test_every_script_makes_a_call_the_endpoint_accepts(script, db, owner):
    business = make_business("Clinic One" if "clinic" in script.kinds else "Salon One", owner)
    business.kind = script.kinds[0]
    business.save(update_fields=["kind"])
    bookings_demo_seed(business, appointments=0)
    if script.needs:
        play(business, SCRIPTS["salon_booking"])
    call = play(business, script)
    assert call.status == "ended" and call.end_reason == script.end
    assert call.segments.filter(final=False).count() == 0  # partials were replaced
    assert call.segment_count >= 2
    assert "{" not in call.last_text


def test_a_booking_call_books_the_free_time_the_agent_names(salon):
    call = play(salon, SCRIPTS["salon_booking"])
    appointment = Appointment.objects.get(business=salon, call=call)
    local = appointment.start.astimezone(salon.tz)
    said = agent_lines(call)
    assert (
        f"You're booked for {local:%A} at {time_spoken(local)} with {appointment.staff.name}"
        in said
    )
    assert reference_spoken(appointment.reference) in said
    assert appointment.customer.name == "Dana Whitfield"
    assert appointment.service.name == "Women's Haircut"
    # The console recorded the real tool calls on the call, with their real outcome.
    tools = list(call.tool_invocations.order_by("id").values_list("name", "ok"))
    assert ("book_appointment", True) in tools
    assert tools[0] == ("match_service", True)


@pytest.mark.parametrize("days_ahead", range(7))
def test_a_clinic_caller_asking_for_next_week_is_booked_whatever_day_they_call(
    other_business, days_ahead
):
    bookings_demo_seed(other_business, appointments=0)
    start = datetime.now(UTC) + timedelta(days=days_ahead)
    call = play(other_business, SCRIPTS["clinic_booking"], start=start)
    appointment = Appointment.objects.get(business=other_business, call=call)
    assert appointment.start.astimezone(other_business.tz).weekday() < 5
    assert ("check_availability", True) in call.tool_invocations.values_list("name", "ok")


def test_a_caller_moves_then_cancels_the_appointment_they_booked(salon):
    booked = play(salon, SCRIPTS["salon_booking"])
    appointment = Appointment.objects.get(business=salon, call=booked)
    before = appointment.start

    moved_call = play(salon, SCRIPTS["salon_reschedule"])
    appointment.refresh_from_db()
    local = appointment.start.astimezone(salon.tz)
    assert appointment.start != before
    assert local.strftime("%A") == "Saturday"
    assert f"Done: Saturday at {time_spoken(local)} with {appointment.staff.name}" in agent_lines(
        moved_call
    )

    cancel_call = play(salon, SCRIPTS["salon_cancel"])
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert reference_spoken(appointment.reference) in agent_lines(cancel_call)


def test_a_full_book_is_said_and_nothing_is_booked(business):
    # No services, no staff: the agent must not claim a booking.
    call = play(business, SCRIPTS["salon_booking"])
    assert not Appointment.objects.filter(business=business).exists()
    assert "booked for" not in agent_lines(call)


def test_times_and_references_are_spoken_as_the_agent_says_them():
    assert time_spoken(datetime(2026, 12, 4, 14, 30)) == "two thirty in the afternoon"
    assert time_spoken(datetime(2026, 12, 4, 10, 0)) == "ten in the morning"
    assert time_spoken(datetime(2026, 12, 4, 9, 5)) == "nine oh five in the morning"
    assert time_spoken(datetime(2026, 12, 4, 12, 0)) == "twelve noon"
    assert reference_spoken("GB-20261204-004") == "G B, 20261204, four"


def test_the_command_plays_calls_through_http(live_server, transactional_db):
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
        "4",
        "--concurrency",
        "1",
        "--speed",
        "0",
        "--seed",
        "3",
    )
    assert Call.objects.filter(status="ended").count() == 4
    # Every appointment the simulated agent booked is in the book, tied to its call.
    for appointment in Appointment.objects.filter(business=business, call__isnull=False):
        assert appointment.reference in str(
            appointment.call.tool_invocations.get(name="book_appointment").result
        )
