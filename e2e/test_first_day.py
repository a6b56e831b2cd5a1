"""A first day that works, in Chromium: a prospect signs up, lands on the checklist, places
a test call and watches it arrive on their own live page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from bookings.models import Appointment
from calls.models import Call
from console.tenancy.models import Business
from console.tests.billing_fixtures import catalogue_seed

pytestmark = pytest.mark.e2e


def test_a_new_business_lands_on_the_checklist_and_its_test_call_shows_live(
    asgi_live_server: Any, browser: Any
) -> None:
    catalogue_seed()
    base = asgi_live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/trial/")
    page.fill("#id_business_name", "First Day Salon")
    page.select_option("#id_kind", "salon")
    page.select_option("#id_timezone", "Europe/London")
    page.fill("#id_owner_name", "Fay")
    page.fill("#id_email", "fay@firstday.test")
    page.fill("#id_password", "a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Start my free trial").click()

    page.wait_for_url(f"{base}/start/")
    checklist = page.get_by_test_id("checklist")
    expect(checklist.locator('[data-step="services"]')).to_have_attribute("data-done", "true")
    expect(checklist.locator('[data-step="agent"]')).to_have_attribute("data-done", "false")
    expect(checklist.locator('[data-step="test_call"]')).to_have_attribute("data-done", "false")
    expect(page.locator("#events-url")).to_have_text(re.compile(r"/api/v1/events$"))
    expect(page.locator("#example-curl")).to_contain_text("Authorization: Bearer $API_KEY")
    expect(page.get_by_role("link", name="The API docs")).to_have_attribute(
        "href", re.compile(r"/api/docs/$")
    )
    expect(page.get_by_test_id("nav-checklist")).to_be_visible()

    live = context.new_page()
    live.goto("/calls/live/")
    expect(live.locator("#conn-status")).to_have_text("Live")
    expect(live.locator("[data-call-id^='sim-']")).to_have_count(0)

    page.get_by_role("button", name="Place a test call").click()
    expect(page.get_by_test_id("test-call-placed")).to_be_visible()
    business = Business.objects.get(name="First Day Salon")
    call = Call.objects.get(business=business)
    card = live.locator(f'#ended-calls [data-call-id="{call.call_id}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("0142")  # the test caller, masked
    expect(card).to_contain_text("tool calls")
    # The trial's starter staff and hours are there: the test caller booked for real.
    assert Appointment.objects.filter(business=business, call=call).exists()

    page.reload()
    expect(checklist.locator('[data-step="test_call"]')).to_have_attribute("data-done", "true")
    page.get_by_role("button", name=re.compile("Dismiss")).click()
    expect(page.get_by_test_id("nav-checklist")).to_have_count(0)
    context.close()
