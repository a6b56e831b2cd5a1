"""Settings → Services, Staff (hours, exceptions), Booking rules."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from bookings.models import Service, StaffException, StaffMember
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_service_with_spoken_aliases(
    client_for, manager: User, business: Business
) -> None:
    response = client_for(manager).post(
        reverse("settings_service_new"),
        {
            "name": "Gel Manicure",
            "aliases": "gel mani, shellac",
            "duration_minutes": 30,
            "buffer_minutes": 5,
            "price": "35.50",
            "active": "on",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(business=business)
    assert service.aliases == ["gel mani", "shellac"]
    assert service.price_cents == 3550


def test_a_duplicate_service_name_is_a_form_error(client_for, manager: User, haircut) -> None:
    response = client_for(manager).post(
        reverse("settings_service_new"),
        {"name": haircut.name, "duration_minutes": 30, "buffer_minutes": 0, "price": "1"},
    )
    assert response.status_code == 200
    assert "already a service" in response.content.decode()


def test_the_front_desk_cannot_change_settings(client_for, front_desk: User, haircut) -> None:
    client = client_for(front_desk)
    assert client.get(reverse("settings_services")).status_code == 403
    assert client.post(reverse("settings_service_remove", args=[haircut.pk])).status_code == 403


def test_another_business_s_service_and_staff_are_404(
    client_for, other_owner: User, other_business: Business, haircut, ana
) -> None:
    client = client_for(other_owner)
    assert client.get(reverse("settings_service_edit", args=[haircut.pk])).status_code == 404
    assert client.get(reverse("settings_staff_edit", args=[ana.pk])).status_code == 404
    assert client.post(reverse("settings_staff_remove", args=[ana.pk])).status_code == 404
    assert StaffMember.objects.filter(pk=ana.pk, active=True).exists()


def test_a_manager_sets_staff_hours_with_a_lunch_break(
    client_for, manager: User, business: Business, haircut
) -> None:
    response = client_for(manager).post(
        reverse("settings_staff_new"),
        {
            "name": "Cleo",
            "services": [haircut.pk],
            "hours_0": "09:00-12:30, 13:30-17:00",
            "hours_5": "10-14",
            "active": "on",
        },
    )
    assert response.status_code == 302
    cleo = StaffMember.objects.get(business=business, name="Cleo")
    assert list(cleo.hours.values_list("weekday", "start", "end")) == [
        (0, time(9), time(12, 30)),
        (0, time(13, 30), time(17)),
        (5, time(10), time(14)),
    ]
    assert list(cleo.services.all()) == [haircut]


def test_malformed_hours_are_a_form_error(client_for, manager: User, ana) -> None:
    response = client_for(manager).post(
        reverse("settings_staff_edit", args=[ana.pk]),
        {"name": "Ana", "hours_0": "nine to five", "active": "on"},
    )
    assert response.status_code == 200
    assert "is not like 09:00-12:30" in response.content.decode()
    assert ana.hours.filter(weekday=0).count() == 2  # unchanged


def test_time_off_is_added_in_the_business_s_zone_and_removed(
    client_for, manager: User, ana, monday
) -> None:
    client = client_for(manager)
    client.post(
        reverse("settings_exception_add", args=[ana.pk]),
        {
            "kind": "off",
            "start": f"{monday.isoformat()}T14:00",
            "end": f"{monday.isoformat()}T16:00",
            "note": "Dentist",
        },
    )
    exception = StaffException.objects.get(staff=ana)
    assert exception.start.astimezone(ana.business.tz).hour == 14
    client.post(reverse("settings_exception_remove", args=[ana.pk, exception.pk]))
    assert not StaffException.objects.filter(staff=ana).exists()


def test_booking_rules_are_saved_and_audited(client_for, owner: User, business: Business) -> None:
    response = client_for(owner).post(
        reverse("settings_booking_rules"),
        {
            "slot_interval_minutes": 30,
            "min_notice_minutes": 120,
            "max_advance_days": 60,
            "cancellation_window_hours": 12,
        },
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.slot_interval_minutes == 30
    assert business.min_notice_minutes == 120
    assert AuditEntry.objects.filter(business=business, action="business.updated").exists()


def test_impossible_rules_are_refused(client_for, owner: User, business: Business) -> None:
    response = client_for(owner).post(
        reverse("settings_booking_rules"),
        {
            "slot_interval_minutes": 7,
            "min_notice_minutes": -1,
            "max_advance_days": 0,
            "cancellation_window_hours": 1,
        },
    )
    assert response.status_code == 200
    business.refresh_from_db()
    assert business.slot_interval_minutes == 15
