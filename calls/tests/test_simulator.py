"""The call simulator: every script makes valid events, and the command plays them through
the real HTTP endpoint."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from calls.ingest.services import call_events_ingest
from calls.ingest.validation import events_parse
from calls.models import Call
from calls.simulator import call_timeline, scripts_load
from conftest import make_business, make_user


def test_the_scripts_cover_the_calls_the_issue_asks_for():
    titles = " ".join(s.title.lower() for s in scripts_load())
    for wanted in ("books", "moves", "prices", "angry", "urgent", "hangs up"):
        assert wanted in titles


@pytest.mark.parametrize("script", scripts_load(), ids=lambda s: s.name)
def test_every_script_makes_a_call_the_endpoint_accepts(script, business):
    timeline = call_timeline(
        script,
        business_name="Salon One",
        caller="+14155551234",
        called="+14155550100",
        start=datetime.now(UTC),
        rng=random.Random(1),
    )
    offsets = [t.at_s for t in timeline]
    assert offsets == sorted(offsets)
    events = events_parse({"events": [t.event for t in timeline]}, region="US")
    call_events_ingest(business=business, events=events)
    call = Call.objects.get(business=business)
    assert call.status == "ended" and call.end_reason == script.end
    assert call.segments.filter(final=False).count() == 0  # partials were replaced
    assert call.segment_count == sum(1 for s in script.steps if "tool" not in s)
    assert "{" not in call.last_text


def test_the_command_plays_calls_through_http(live_server, transactional_db):
    owner = make_user("sim@salon.test")
    make_business("Sim Salon", owner)
    slug = Call._meta.apps.get_model("console", "Business").objects.get(name="Sim Salon").slug
    call_command(
        "simulate_calls",
        "--url",
        live_server.url,
        "--business",
        slug,
        "--calls",
        "2",
        "--concurrency",
        "2",
        "--speed",
        "0",
        "--seed",
        "3",
    )
    assert Call.objects.filter(status="ended").count() == 2
