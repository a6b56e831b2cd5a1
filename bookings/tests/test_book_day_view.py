"""The day and week views of the appointment book."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.catalog.services import (
    HoursInterval,
    service_create,
    staff_create,
    staff_exception_create,
)
from bookings.holds import hold_create
from bookings.models import Service, SlotHold, StaffMember
from bookings.services import CustomerDetails, appointment_book, appointment_cancel
from bookings.tests.conftest import at, next_weekday
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


def book(business: Business, service: Service, staff: StaffMember, day: date, hour: int, **kw):
    return appointment_book(
        business=business,
        service=service,
        start=at(day, hour, kw.pop("minute", 0)),
        staff=staff,
        customer=CustomerDetails(
            name=kw.pop("name", "Alice Smith"), phone=kw.pop("phone", "+14155550123")
        ),
        **kw,
    )


def test_it_shows_a_column_per_staff_member_with_their_appointments(
    client_for, front_desk: User, business: Business, haircut, ana, ben, monday
) -> None:
    appointment = book(business, haircut, ana, monday, 10)
    response = client_for(front_desk).get(reverse("book_day"), {"date": monday.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="col-{ana.pk}-{monday:%Y%m%d}"' in html
    assert f'id="col-{ben.pk}-{monday:%Y%m%d}"' in html
    assert appointment.reference in html
    assert "10:00–10:45" in html
    assert "Alice Smith" in html
    assert "status-booked" in html


def test_it_shades_working_hours_and_breaks_in_local_minutes(
    client_for, front_desk: User, business: Business, ana, monday
) -> None:
    html = (
        client_for(front_desk)
        .get(reverse("book_day"), {"date": monday.isoformat()})
        .content.decode()
    )
    # 09:00–12:30 and 13:30–17:00: the lunch break is the gap between them.
    assert 'class="work" style="--start: 540; --len: 210;"' in html
    assert 'class="work" style="--start: 810; --len: 210;"' in html


def test_it_shows_time_off(client_for, front_desk: User, business: Business, ana, monday) -> None:
    staff_exception_create(
        staff=ana, start=at(monday, 14), end=at(monday, 16), kind="off", note="Dentist"
    )
    html = (
        client_for(front_desk)
        .get(reverse("book_day"), {"date": monday.isoformat()})
        .content.decode()
    )
    assert 'class="off" style="--start: 840; --len: 120;"' in html
    assert "Time off: Dentist" in html


def test_a_cancelled_appointment_leaves_the_book(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = book(business, haircut, ana, monday, 10)
    appointment_cancel(appointment=appointment, reason="ill")
    html = (
        client_for(front_desk)
        .get(reverse("book_day"), {"date": monday.isoformat()})
        .content.decode()
    )
    assert appointment.reference not in html


def test_a_malformed_date_shows_today_instead_of_failing(client_for, front_desk: User, ana) -> None:
    response = client_for(front_desk).get(reverse("book_day"), {"date": "2026-13-45"})
    assert response.status_code == 200


def test_it_never_shows_another_business_s_appointments(
    client_for, outsider: User, business: Business, haircut, ana, monday
) -> None:
    appointment = book(business, haircut, ana, monday, 10)
    html = (
        client_for(outsider).get(reverse("book_day"), {"date": monday.isoformat()}).content.decode()
    )
    assert appointment.reference not in html
    assert "Alice Smith" not in html
    assert f"col-{ana.pk}-" not in html


def test_the_week_view_shows_one_staff_member_s_seven_days(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = book(business, haircut, ana, monday + timedelta(days=2), 11)
    response = client_for(front_desk).get(
        reverse("book_week", args=[ana.pk]), {"date": monday.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    for n in range(7):
        assert f'id="col-{ana.pk}-{monday + timedelta(days=n):%Y%m%d}"' in html
    assert appointment.reference in html


def test_another_business_s_staff_week_is_404(client_for, outsider: User, ana) -> None:
    response = client_for(outsider).get(reverse("book_week", args=[ana.pk]))
    assert response.status_code == 404


def test_the_grid_alone_redraws_from_the_database(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment = book(business, haircut, ana, monday, 10)
    response = client_for(front_desk).get(reverse("book_day_grid"), {"date": monday.isoformat()})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="book-grid"')
    assert appointment.reference in html
    assert "<html" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("book_day"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_day_view_takes_a_constant_number_of_queries(
    client_for, front_desk: User, business: Business, django_assert_num_queries
) -> None:
    """10 staff, 100 appointments on the day: the same queries as for one."""
    day = next_weekday(1)
    services = [
        service_create(business=business, name=f"Service {n}", duration_minutes=30)
        for n in range(3)
    ]
    hours = [HoursInterval(day.weekday(), time(8), time(20))]
    staff = [
        staff_create(
            business=business,
            name=f"Staff {n:02d}",
            service_ids=[s.pk for s in services],
            hours=hours,
        )
        for n in range(10)
    ]
    for person_index, person in enumerate(staff):
        for slot in range(10):
            appointment_book(
                business=business,
                service=services[slot % 3],
                start=at(day, 8 + slot, 0),
                staff=person,
                customer=CustomerDetails(
                    name=f"Customer {person_index}-{slot}",
                    phone=f"+1415555{person_index:02d}{slot:02d}",
                ),
            )
    client = client_for(front_desk)
    client.get(reverse("book_day"), {"date": day.isoformat()})  # warm the session
    # session, user, memberships (tenancy); staff, hours, exceptions, appointments, live
    # slot holds (the grid); memberships again (base.html's business switcher).
    with django_assert_num_queries(QUERIES_DAY_VIEW):
        response = client.get(reverse("book_day"), {"date": day.isoformat()})
    assert response.status_code == 200
    assert response.content.decode().count('class="appt ') == 100


QUERIES_DAY_VIEW = 9


def test_an_inactive_staff_member_s_remaining_appointments_stay_on_the_book(
    client_for, front_desk: User, business: Business, haircut, ana, ben, monday
) -> None:
    from bookings.catalog.services import staff_update

    appointment = book(business, haircut, ana, monday, 10)
    staff_update(staff=ana, active=False)
    client = client_for(front_desk)
    html = client.get(reverse("book_day"), {"date": monday.isoformat()}).content.decode()
    assert appointment.reference in html
    next_day = monday + timedelta(days=1)
    html = client.get(reverse("book_day"), {"date": next_day.isoformat()}).content.decode()
    assert f"col-{ana.pk}-" not in html
    assert f"col-{ben.pk}-" in html


def test_the_week_view_takes_a_constant_number_of_queries(
    client_for,
    front_desk: User,
    business: Business,
    haircut,
    ana,
    ben,
    monday,
    django_assert_num_queries,
) -> None:
    for day in range(5):
        for hour in (9, 11, 14, 16):
            book(
                business,
                haircut,
                ana,
                monday + timedelta(days=day),
                hour,
                phone=f"+1415555{day}{hour:03d}",
            )
    client = client_for(front_desk)
    url = reverse("book_week", args=[ana.pk])
    client.get(url, {"date": monday.isoformat()})
    # session, user, memberships; the staff member, the switcher's staff list; hours,
    # exceptions, appointments, live slot holds; memberships again (base.html's business
    # switcher).
    with django_assert_num_queries(10):
        response = client.get(url, {"date": monday.isoformat()})
    assert response.content.decode().count('class="appt ') == 20


def test_an_empty_book_tells_a_manager_where_to_add_staff(
    client_for, manager: User, front_desk: User
) -> None:
    html = client_for(manager).get(reverse("book_day")).content.decode()
    assert "Nobody is on the book yet" in html
    assert reverse("settings_staff") in html
    html = client_for(front_desk).get(reverse("book_day")).content.decode()
    assert reverse("settings_staff") not in html


def test_a_held_slot_shows_as_a_hold_block_with_its_countdown(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    hold = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    response = client_for(front_desk).get(reverse("book_day"), {"date": monday.isoformat()})
    html = response.content.decode()
    assert f'data-hold="{hold.pk}"' in html
    assert 'data-hold-countdown role="timer">4:5' in html or ">5:00<" in html
    assert "js/holds.js" in html


def test_an_expired_or_booked_hold_is_not_on_the_book(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    hold = hold_create(business=business, service=haircut, staff=ana, start=at(monday, 10))
    SlotHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now())
    response = client_for(front_desk).get(reverse("book_day"), {"date": monday.isoformat()})
    assert "data-hold=" not in response.content.decode()
