"""Client records in Chromium: find a client by the last four digits, open the card from the
book's panel, write down an allergy, merge a duplicate."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bookings.catalog.services import service_create, staff_create
from bookings.models import Appointment, Customer
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at, next_weekday
from console.audit.models import AuditEntry

pytestmark = pytest.mark.e2e


def test_the_desk_finds_a_client_edits_allergies_and_merges_a_duplicate(
    business, manager, signed_in_page
) -> None:
    haircut = service_create(business=business, name="Haircut", duration_minutes=45)
    ana = staff_create(
        business=business, name="Ana", service_ids=[haircut.pk], hours=WEEKDAYS_9_TO_5_WITH_LUNCH
    )
    monday = next_weekday(0)
    appointment = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550123"),
    )
    duplicate = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 14),
        staff=ana,
        customer=CustomerDetails(name="Alice Smith", phone="+14155550456"),
    ).customer
    appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 11),
        staff=ana,
        customer=CustomerDetails(name="Bob Jones", phone="+14155550999"),
    )
    alice = appointment.customer
    page = signed_in_page(manager)

    # The list: the last four digits find her, and only her.
    page.goto("/")
    page.get_by_role("link", name="Clients").click()
    expect(page.locator('[data-testid="client-results"]')).to_contain_text("Bob Jones")
    page.fill("#client-q", "0123")
    results = page.locator('[data-testid="client-results"]')
    expect(results).not_to_contain_text("Bob Jones")
    expect(results).to_contain_text("Alice Smith")
    assert "q=0123" in page.url  # the search lives in the address bar

    # The card, from the book's panel.
    page.goto(f"/book/?date={monday.isoformat()}&appt={appointment.pk}")
    panel = page.locator("#panel")
    panel.get_by_test_id("client-card-link").click()
    card = panel.locator(f"#client-{alice.pk}")
    expect(card.get_by_test_id("client-name")).to_have_text("Alice Smith")
    expect(card.get_by_test_id("client-upcoming")).to_contain_text(appointment.reference)
    expect(card.get_by_test_id("client-phone")).to_contain_text("0123")
    expect(card.get_by_test_id("client-phone")).not_to_contain_text("555")

    # An allergy, saved in place.
    card.get_by_label("Allergies and sensitivities").fill("PPD (hair dye)")
    card.get_by_role("button", name="Save").click()
    expect(panel.get_by_test_id("client-notice")).to_have_text("Saved.")
    expect(panel.get_by_test_id("client-allergies")).to_contain_text("PPD (hair dye)")
    alice.refresh_from_db()
    assert alice.allergies == "PPD (hair dye)"

    # Merge the duplicate into her, from the full card.
    panel.get_by_role("link", name="Open the full card").click()
    expect(page).to_have_url(f"{page.url.split('/clients/')[0]}/clients/{alice.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"merge-{duplicate.pk}").click()
    expect(page.locator(".messages")).to_contain_text("Merged: 1 appointment moved")
    expect(page.get_by_test_id("client-upcoming")).to_contain_text("14:00")
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert Appointment.objects.filter(customer=alice).count() == 2
    assert AuditEntry.objects.filter(action="client.merged").count() == 1
