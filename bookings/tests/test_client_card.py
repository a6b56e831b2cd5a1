"""The client card: visits, no-shows, cancellations, spend, calls, the record and consent."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from bookings.clients.selectors import client_card
from bookings.models import Customer
from bookings.services import CustomerDetails
from bookings.tests.clients_fixtures import visit
from calls.tests.factories import call_start
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(business: Business, haircut, manicure, ana) -> Customer:
    details = CustomerDetails(name="Alice Smith", phone="+14155550123")
    first = visit(
        business=business,
        service=haircut,
        staff=ana,
        customer=details,
        days_ago=40,
        status="completed",
    )
    customer = first.customer
    visit(
        business=business,
        service=manicure,
        staff=ana,
        customer=customer,
        days_ago=20,
        status="completed",
    )
    visit(
        business=business,
        service=haircut,
        staff=ana,
        customer=customer,
        days_ago=10,
        status="no_show",
    )
    visit(
        business=business,
        service=haircut,
        staff=ana,
        customer=customer,
        days_ago=5,
        status="cancelled",
    )
    visit(business=business, service=manicure, staff=ana, customer=customer, days_ago=-6)
    return customer


def test_the_card_shows_visits_no_shows_cancellations_and_spend(
    client_for, front_desk: User, alice: Customer
) -> None:
    response = client_for(front_desk).get(reverse("client_card", args=[alice.pk]))
    assert response.status_code == 200
    card = response.context["card"]
    assert len(card.upcoming) == 1
    assert card.past_total == 4
    assert (card.completed, card.no_shows, card.cancellations) == (2, 1, 1)
    assert card.spend_cents == 5500 + 3500  # the completed visits only
    html = response.content.decode()
    assert "$90.00" in html
    assert "Gel Manicure" in html
    assert ", 10:00 · " in html  # the business's local time, not UTC
    assert ", 15:00 · " not in html and ", 14:00 · " not in html


def test_spend_is_shown_in_the_business_s_currency(
    client_for, front_desk: User, business: Business, alice: Customer
) -> None:
    business.currency = "GBP"  # a London clinic's (set from its zone at creation)
    business.save(update_fields=["currency"])
    html = client_for(front_desk).get(reverse("client_card", args=[alice.pk])).content.decode()
    assert "£90.00" in html


def test_the_phone_is_masked_for_the_front_desk_and_revealed_to_a_manager_with_an_audit(
    client_for, front_desk: User, manager: User, alice: Customer
) -> None:
    desk_html = client_for(front_desk).get(reverse("client_card", args=[alice.pk])).content
    assert (
        b"+1 \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 \xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 0123"
        in desk_html
    )
    assert b"+14155550123" not in desk_html
    assert b"client_phone_reveal" not in desk_html
    refused = client_for(front_desk).post(reverse("client_phone_reveal", args=[alice.pk]))
    assert refused.status_code == 403
    revealed = client_for(manager).post(reverse("client_phone_reveal", args=[alice.pk]))
    assert "+14155550123" in revealed.content.decode()
    entry = AuditEntry.objects.get(action="client.phone_revealed")
    assert entry.data == {"customer_id": alice.pk}
    assert "Alice" not in entry.object_repr


def test_the_card_lists_the_calls_made_from_the_client_s_number_only(
    client_for, front_desk: User, business: Business, other_business: Business, alice: Customer
) -> None:
    theirs = call_start(business, "gw-alice", number="(415) 555-0123")
    call_start(business, "gw-someone-else", number="+14155550999")
    call_start(other_business, "gw-elsewhere", number="+14155550123")
    response = client_for(front_desk).get(reverse("client_card", args=[alice.pk]))
    assert [c.pk for c in response.context["card"].calls] == [theirs.pk]
    assert reverse("call_review", args=[theirs.pk]) in response.content.decode()


def test_a_call_s_review_page_opens_its_caller_s_card(
    client_for, front_desk: User, business: Business, alice: Customer
) -> None:
    call = call_start(business, "gw-alice", number="+14155550123")
    browser = client_for(front_desk)
    review = browser.get(reverse("call_review", args=[call.pk])).content.decode()
    assert reverse("client_for_call", args=[call.pk]) in review
    response = browser.get(reverse("client_for_call", args=[call.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("client_card", args=[alice.pk])


def test_a_call_from_an_unknown_number_says_there_is_no_client(
    client_for, front_desk: User, business: Business, alice: Customer
) -> None:
    call = call_start(business, "gw-new", number="+14155550777")
    response = client_for(front_desk).get(reverse("client_for_call", args=[call.pk]))
    assert response.status_code == 404
    assert 'data-testid="no-client"' in response.content.decode()


def test_the_book_panel_and_the_search_link_to_the_card(
    client_for, front_desk: User, alice: Customer
) -> None:
    browser = client_for(front_desk)
    appointment = alice.appointments.order_by("-start").first()
    panel = browser.get(reverse("book_panel", args=[appointment.pk])).content.decode()
    assert reverse("client_card", args=[alice.pk]) in panel
    search = browser.get(reverse("book_search"), {"q": "smith"}).content.decode()
    assert reverse("client_card", args=[alice.pk]) in search


def test_htmx_gets_the_card_partial_for_the_book_s_panel(
    client_for, front_desk: User, alice: Customer
) -> None:
    html = (
        client_for(front_desk)
        .get(reverse("client_card", args=[alice.pk]), {"panel": "1"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert html.lstrip().startswith(f'<section id="client-{alice.pk}"')
    assert "Open the full card" in html


def test_editing_the_record_saves_encrypted_fields_and_audits_without_the_words(
    client_for, front_desk: User, business: Business, alice: Customer
) -> None:
    response = client_for(front_desk).post(
        reverse("client_edit", args=[alice.pk]),
        {
            "notes": "Prefers mornings",
            "allergies": "PPD (hair dye)",
            "formulas": "7.1 + 20 vol",
            "marketing_consent": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "PPD (hair dye)" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.allergies, alice.formulas, alice.marketing_consent) == (
        "PPD (hair dye)",
        "7.1 + 20 vol",
        True,
    )
    assert alice.marketing_consent_at is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT allergies, notes FROM bookings_customer WHERE id = %s", [alice.pk])
        raw_allergies, raw_notes = cursor.fetchone()
    assert "PPD" not in raw_allergies and "mornings" not in raw_notes
    entry = AuditEntry.objects.get(action="client.updated")
    assert entry.data["customer_id"] == alice.pk
    assert set(entry.data["fields"]) >= {"notes", "allergies", "formulas", "marketing_consent"}
    assert "PPD" not in str(entry.data) and "Alice" not in str(entry.data) + entry.object_repr


def test_a_too_long_note_is_a_clear_error_not_a_500(
    client_for, front_desk: User, alice: Customer
) -> None:
    response = client_for(front_desk).post(
        reverse("client_edit", args=[alice.pk]), {"notes": "x" * 10_000}
    )
    assert response.status_code == 422
    assert "at most 4000 characters" in response.content.decode()
    alice.refresh_from_db()
    assert alice.notes == ""


def test_another_business_s_client_is_404_everywhere(
    client_for, outsider: User, alice: Customer, business: Business
) -> None:
    call = call_start(business, "gw-alice", number="+14155550123")
    browser = client_for(outsider)
    for name, method in (
        ("client_card", "get"),
        ("client_edit", "post"),
        ("client_phone_reveal", "post"),
    ):
        response = getattr(browser, method)(reverse(name, args=[alice.pk]), {"notes": "x"})
        assert response.status_code in (403, 404), name
        if name != "client_phone_reveal":  # a front desk may not reveal anywhere: 403 first
            assert response.status_code == 404, name
    assert browser.get(reverse("client_for_call", args=[call.pk])).status_code == 404
    alice.refresh_from_db()
    assert alice.notes == ""


def test_another_business_s_owner_gets_404_when_revealing(
    client_for, other_owner: User, other_business: Business, alice: Customer
) -> None:
    response = client_for(other_owner).post(reverse("client_phone_reveal", args=[alice.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="client.phone_revealed").exists()


def test_the_card_takes_five_queries_whatever_the_history(
    business: Business, alice: Customer, django_assert_num_queries
) -> None:
    call_start(business, "gw-alice", number="+14155550123")
    with django_assert_num_queries(5):  # totals, upcoming, past, merged numbers, calls
        card = client_card(business=business, client=alice)
        assert len(card.past) == 4
