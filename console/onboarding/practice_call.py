"""The "place a test call" button (a practice call: the module is not named test_* so that
pytest never collects it): one simulated call (calls.simulator) played into the
business's own live page, through the same functions the HTTP endpoints call: events through
calls.validation and calls.ingest, the agent's tools through the real tools API views (their
authentication, validation and recording included) with a short-lived `tools` key, revoked as
soon as the call ends. No HTTP loopback: an embedded server runs its sync views one at a time,
so a request to itself would wait for itself."""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.urls import resolve
from rest_framework.test import APIRequestFactory

from calls.ingest.services import call_events_ingest
from calls.ingest.validation import events_parse
from calls.simulator import Script, call_events, scripts_load
from console.tenancy.apikeys import api_key_create, api_key_revoke
from console.tenancy.models import Business

TEST_CALLER = "+14155550142"
KEY_NAME = "Test call (revoked after the call)"


def practice_call_script(*, business: Business) -> Script:
    """A caller who books: with services, staff and hours set up, it books for real."""
    wanted = "clinic_booking" if business.kind == Business.Kind.CLINIC else "salon_booking"
    return next(s for s in scripts_load() if s.name == wanted)


def _tools_in_process(secret: str) -> Any:
    factory = APIRequestFactory()

    def call(name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        path = f"/api/v1/tools/{name}"
        request = factory.post(
            path,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
        data = getattr(response, "data", None)
        return response.status_code, dict(data) if isinstance(data, dict) else {}

    return call


def practice_call_play(*, business: Business, speed: float = 0.0) -> str:
    """Play one call into `business` (`speed` 0: no pauses). Returns the call's gateway id."""
    script = practice_call_script(business=business)
    key = api_key_create(business=business, name=KEY_NAME, scopes=["tools"])
    call_id = ""
    began = time.monotonic()
    try:
        for item in call_events(
            script,
            business_name=business.name,
            caller=TEST_CALLER,
            called="+14155550100",
            start=datetime.now(UTC),
            rng=random.Random(),
            tools=_tools_in_process(key.secret),
        ):
            if speed > 0:
                delay = item.at_s / speed - (time.monotonic() - began)
                if delay > 0:
                    time.sleep(delay)
            call_id = item.event["call_id"]
            call_events_ingest(
                business=business,
                events=events_parse({"events": [item.event]}, region=business.default_region),
            )
    finally:
        api_key_revoke(api_key=key.api_key, by=None)
    return call_id
