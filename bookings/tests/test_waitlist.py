"""The waitlist (CONTRACTS.md §4 `join_waitlist`, `/api/v1/waitlist`): a cancellation or a
move offers the freed time by SMS to the first in line, whose link books it in one tap; an
offer left unanswered passes to the next one."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bookings import sms
from bookings.catalog.services import service_create, staff_create
from bookings.models import Appointment, OutboxMessage, Service, StaffMember, WaitlistEntry
from bookings.services import (
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from bookings.tasks import waitlist_sweep
from bookings.tests.conftest import WEEKDAYS_9_TO_5_WITH_LUNCH, at
from bookings.waitlist.services import waitlist_join, waitlist_offers_make
from console.tenancy.models import Business, User

DORA = {"name": "Dora", "phone": "+14155550150"}
EVE = {"name": "Eve", "phone": "+14155550151"}


@pytest.fixture
def tools(business: Business, api_client_for) -> APIClient:
    return api_client_for(business, "tools")


@pytest.fixture
def admin(business: Business, api_client_for) -> APIClient:
    return api_client_for(business, "admin")


def post(client: APIClient, name: str, body: object):
    return client.post(f"/api/v1/tools/{name}", body, format="json")


def fill_the_morning(business: Business, service: Service, staff: StaffMember, day: date):
    """Ana's whole Monday morning booked: 09:00, 10:00, 11:00 (each 45 + 15 minutes)."""
    return [
        appointment_book(
            business=business,
            service=service,
            staff=staff,
            start=at(day, hour),
            customer=CustomerDetails(f"Booked {hour}", f"+1415555{hour:04d}"),
        )
        for hour in (9, 10, 11)
    ]


def join(business: Business, service: Service, day: date, who: dict) -> WaitlistEntry:
    return waitlist_join(
        business=business,
        service=service,
        start=at(day, 9),
        end=at(day, 12),
        customer=CustomerDetails(who["name"], who["phone"]),
    )


def offer_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/w/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_join_waitlist_answers_201_with_the_place_in_line(
    tools, haircut: Service, ana: StaffMember, monday: date
) -> None:
    body = {
        "service": "haircut",
        "from": at(monday, 9).isoformat(),
        "to": at(monday, 12).isoformat(),
        "customer": DORA,
    }
    first = post(tools, "join_waitlist", body)
    assert first.status_code == 201, first.json()
    assert first.json()["position"] == 1
    second = post(tools, "join_waitlist", {**body, "customer": EVE, "staff": "Ana"})
    assert second.status_code == 201
    assert second.json()["position"] == 2
    entry = WaitlistEntry.objects.get(pk=second.json()["waitlist_id"])
    assert entry.staff == ana
    assert entry.status == WaitlistEntry.Status.WAITING


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to": "2026-01-01T09:00:00"}, "to"),
        ({"from": None}, "from"),
        ({"customer": {"name": "X"}}, "customer.phone"),
    ],
)
def test_join_waitlist_refuses_bad_input_with_a_400(
    tools, haircut: Service, ana: StaffMember, monday: date, change: dict, field: str
) -> None:
    body = {
        "service": haircut.pk,
        "from": at(monday, 9).isoformat(),
        "to": at(monday, 12).isoformat(),
        "customer": DORA,
        **change,
    }
    response = post(tools, "join_waitlist", body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not WaitlistEntry.objects.exists()


def test_join_waitlist_refuses_a_window_that_ends_before_it_starts(
    tools, haircut: Service, ana: StaffMember, monday: date
) -> None:
    body = {
        "service": haircut.pk,
        "from": at(monday, 12).isoformat(),
        "to": at(monday, 9).isoformat(),
        "customer": DORA,
    }
    response = post(tools, "join_waitlist", body)
    assert response.status_code == 400
    assert "to" in response.json()["fields"]


def test_a_cancellation_offers_the_time_to_the_first_in_line_who_books_it_in_one_tap(
    client,
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    eve = join(business, haircut, monday, EVE)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=morning[1])
    offers = [m for m in sms.outbox if "/w/" in m.body]
    assert len(offers) == 1
    assert offers[0].to == DORA["phone"]
    assert "10:00" in offers[0].body
    dora.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.OFFERED
    assert dora.offered_start == at(monday, 10)
    assert dora.offer_expires_at is not None
    assert timedelta(minutes=14) < dora.offer_expires_at - timezone.now() <= timedelta(minutes=15)
    eve.refresh_from_db()
    assert eve.status == WaitlistEntry.Status.WAITING

    link = offer_link(offers[0].body)
    page = client.get(link)  # a link preview must not book
    assert page.status_code == 200
    assert 'data-testid="take-offer"' in page.content.decode()
    assert not Appointment.objects.filter(customer__name="Dora").exists()
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(link)
    assert taken.status_code == 200
    booked = Appointment.objects.get(customer__name="Dora")
    assert booked.start == at(monday, 10)
    assert booked.status == Appointment.Status.BOOKED
    assert booked.source == Appointment.Source.CUSTOMER
    assert booked.reference in taken.content.decode()
    dora.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.BOOKED
    assert dora.appointment == booked
    again = client.post(link)
    assert again.status_code == 409
    assert Appointment.objects.filter(customer__name="Dora").count() == 1


def test_a_move_frees_the_old_time_for_the_waitlist(
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(appointment=morning[0], start=at(monday, 15))
    dora.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.OFFERED
    assert dora.offered_start == at(monday, 9)


def test_an_unanswered_offer_passes_to_the_next_in_line_once(
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    eve = join(business, haircut, monday, EVE)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=morning[2])
    dora.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.OFFERED
    assert waitlist_offers_make(business=business) == []  # idempotent: nothing new
    WaitlistEntry.objects.filter(pk=dora.pk).update(offer_expires_at=timezone.now())
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_sweep.delay()  # beat's safety net (the countdown task does the same)
    dora.refresh_from_db()
    eve.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.EXPIRED
    assert eve.status == WaitlistEntry.Status.OFFERED
    assert eve.offered_start == at(monday, 11)
    assert [m.to for m in sms.outbox] == [EVE["phone"]]
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_sweep.delay()
    assert len(sms.outbox) == 1
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.OFFER).count() == 2


def test_the_offer_setting_sets_how_long_an_offer_stays_open(
    settings,
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    settings.WAITLIST_OFFER_MINUTES = 3
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=morning[0])
    dora.refresh_from_db()
    assert dora.offer_expires_at is not None
    assert dora.offer_expires_at - timezone.now() <= timedelta(minutes=3)


def test_a_taken_offer_link_says_so_and_keeps_the_client_on_the_list(
    client,
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=morning[1])
    link = offer_link(sms.outbox[-1].body)
    appointment_book(
        business=business,
        service=haircut,
        staff=ana,
        start=at(monday, 10),
        customer=CustomerDetails("Walk-in", "+14155550199"),
    )
    response = client.post(link)
    assert response.status_code == 409
    assert "just taken" in response.content.decode()
    dora.refresh_from_db()
    assert dora.status == WaitlistEntry.Status.WAITING


def test_an_expired_or_tampered_offer_link_books_nothing(
    client,
    business: Business,
    haircut: Service,
    ana: StaffMember,
    monday: date,
    django_capture_on_commit_callbacks,
) -> None:
    morning = fill_the_morning(business, haircut, ana, monday)
    dora = join(business, haircut, monday, DORA)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=morning[1])
    link = offer_link(sms.outbox[-1].body)
    assert client.get(link[:-3] + "xx/").status_code == 404
    WaitlistEntry.objects.filter(pk=dora.pk).update(offer_expires_at=timezone.now())
    response = client.post(link)
    assert response.status_code == 409
    assert "ended" in response.content.decode()
    assert not Appointment.objects.filter(customer__name="Dora").exists()


def test_the_admin_api_lists_creates_reads_and_deletes_entries(
    admin, haircut: Service, ana: StaffMember, monday: date
) -> None:
    body = {
        "service": haircut.pk,
        "from": at(monday, 9).isoformat(),
        "to": at(monday, 12).isoformat(),
        "customer": DORA,
    }
    created = admin.post("/api/v1/waitlist", body, format="json")
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert entry["status"] == "waiting"
    assert entry["from"] == at(monday, 9).isoformat()
    assert entry["service"] == {"id": haircut.pk, "name": haircut.name}
    assert entry["customer"]["phone"] != DORA["phone"]  # masked
    listed = admin.get("/api/v1/waitlist").json()
    items = listed["results"] if isinstance(listed, dict) else listed
    assert [e["id"] for e in items] == [entry["id"]]
    assert admin.get("/api/v1/waitlist", {"status": "booked"}).status_code == 200
    assert admin.get("/api/v1/waitlist", {"status": "nope"}).status_code == 400
    read = admin.get(f"/api/v1/waitlist/{entry['id']}")
    assert read.status_code == 200
    assert read.json()["position"] == 1
    assert admin.delete(f"/api/v1/waitlist/{entry['id']}").status_code == 204
    assert admin.get(f"/api/v1/waitlist/{entry['id']}").status_code == 404


def test_another_business_s_waitlist_entry_is_a_404_everywhere(
    admin,
    client_for,
    front_desk: User,
    monday: date,
    other_business: Business,
    haircut: Service,
    ana: StaffMember,
) -> None:
    service = service_create(business=other_business, name="Cut", duration_minutes=30)
    staff_create(
        business=other_business,
        name="Zed",
        service_ids=[service.pk],
        hours=WEEKDAYS_9_TO_5_WITH_LUNCH,
    )
    theirs = join(other_business, service, monday, DORA)
    assert admin.get(f"/api/v1/waitlist/{theirs.pk}").status_code == 404
    assert admin.delete(f"/api/v1/waitlist/{theirs.pk}").status_code == 404
    listed = admin.get("/api/v1/waitlist").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    desk = client_for(front_desk)
    assert desk.post(reverse("waitlist_remove", args=[theirs.pk])).status_code == 404
    assert "Dora" not in desk.get(reverse("waitlist_desk")).content.decode()
    body = {
        "service": service.pk,
        "from": at(monday, 9).isoformat(),
        "to": at(monday, 12).isoformat(),
        "customer": EVE,
    }
    assert admin.post("/api/v1/waitlist", body, format="json").status_code == 404
    assert WaitlistEntry.objects.filter(pk=theirs.pk).exists()


def test_the_desk_sees_adds_and_removes_clients_on_the_list(
    client_for, front_desk: User, business: Business, haircut: Service, ana: StaffMember, monday
) -> None:
    desk = client_for(front_desk)
    page = desk.get(reverse("waitlist_desk"))
    assert page.status_code == 200
    assert "Nobody is waiting" in page.content.decode()
    added = desk.post(
        reverse("waitlist_desk"),
        {
            "service": haircut.pk,
            "staff": ana.pk,
            "start": f"{monday}T09:00",
            "end": f"{monday}T12:00",
            "name": "Dora",
            "phone": DORA["phone"],
        },
    )
    assert added.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.start == at(monday, 9)  # the business's wall clock
    assert entry.staff == ana
    html = desk.get(reverse("waitlist_desk")).content.decode()
    assert "Dora" in html
    assert DORA["phone"] not in html  # masked
    refused = desk.post(
        reverse("waitlist_desk"),
        {
            "service": haircut.pk,
            "start": f"{monday}T12:00",
            "end": f"{monday}T09:00",
            "name": "Eve",
            "phone": EVE["phone"],
        },
    )
    assert refused.status_code == 400
    assert "after" in refused.content.decode()
    assert desk.post(reverse("waitlist_remove", args=[entry.pk])).status_code == 302
    assert not WaitlistEntry.objects.exists()
