"""Booking a free time from the book: the form, its pickers, its errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import Appointment, Customer
from bookings.services import CustomerDetails, appointment_book
from bookings.tests.conftest import at
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


def post_booking(client, **fields):
    return client.post(reverse("book_new"), fields)


def test_the_form_preselects_the_staff_member_date_and_time(
    client_for, front_desk: User, haircut, ana, monday
) -> None:
    response = client_for(front_desk).get(
        reverse("book_new"), {"staff": ana.pk, "date": monday.isoformat(), "time": "10:15"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{monday.isoformat()}"' in html
    assert 'value="10:15"' in html
    assert f'<option value="{ana.pk}" selected>' in html


def test_it_books_a_new_customer_and_shows_the_reference_at_once(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:00",
        customer_name="Dana Jones",
        customer_phone="(415) 555-0199",
    )
    assert response.status_code == 200
    appointment = Appointment.objects.get(business=business)
    assert appointment.start == at(monday, 10)
    assert appointment.staff == ana
    assert appointment.source == Appointment.Source.CONSOLE
    assert appointment.customer.phone == "+14155550199"
    html = response.content.decode()
    assert f"Booked: {appointment.reference}" in html
    # The column comes along out of band, so the book updates even before the socket does.
    assert f'id="col-{ana.pk}-{monday:%Y%m%d}" class="book-col"' in html
    assert 'hx-swap-oob="true"' in html
    assert appointment.changes.get().actor == front_desk


def test_it_books_an_existing_customer_picked_in_the_form(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    first = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="14:00",
        customer=first.customer.pk,
    )
    assert response.status_code == 200
    assert Customer.objects.filter(business=business).count() == 1
    assert Appointment.objects.filter(customer=first.customer).count() == 2


def test_a_clash_is_shown_in_the_form_with_the_nearest_free_times(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 10),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:15",
        customer_name="Dana Jones",
        customer_phone="+14155550199",
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "taken" in html
    assert html.count('data-testid="alternative"') == 3
    assert Appointment.objects.filter(business=business).count() == 1


def test_picking_an_alternative_books_it(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff="",
        date=monday.isoformat(),
        time="03:00",
        customer_name="Dana Jones",
        customer_phone="+14155550199",
        alt=f"{monday.isoformat()}T11:00|{ana.pk}",
    )
    assert response.status_code == 200
    assert Appointment.objects.get(business=business).start == at(monday, 11)


def test_outside_hours_is_refused_in_the_form(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="12:45",  # lunch
        customer_name="Dana Jones",
        customer_phone="+14155550199",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "outside working hours" in html
    # The nearest times that are inside them, around the lunch break.
    assert html.count('data-testid="alternative"') == 3
    assert f'value="{monday.isoformat()}T13:30|{ana.pk}"' in html
    assert not Appointment.objects.exists()


def test_too_little_notice_is_refused_in_the_form_with_later_times(
    client_for, front_desk: User, business: Business, haircut, ana
) -> None:
    from django.utils import timezone

    soon = timezone.now().astimezone(business.tz) + timedelta(minutes=20)
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=soon.date().isoformat(),
        time=soon.strftime("%H:%M"),
        customer_name="Dana Jones",
        customer_phone="+14155550199",
    )
    assert response.status_code == 422
    assert "notice" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_manager_may_book_outside_the_rules_but_the_front_desk_may_not(
    client_for, front_desk: User, manager: User, business: Business, haircut, ana, monday
) -> None:
    fields = dict(
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="12:45",
        customer_name="Dana Jones",
        customer_phone="+14155550199",
        override_rules="on",
    )
    assert post_booking(client_for(front_desk), **fields).status_code == 422
    assert post_booking(client_for(manager), **fields).status_code == 200


def test_a_bad_phone_number_is_a_form_error(
    client_for, front_desk: User, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:00",
        customer_name="Dana Jones",
        customer_phone="12",
    )
    assert response.status_code == 422
    assert not Appointment.objects.exists()


def test_a_new_customer_needs_a_name_and_phone(
    client_for, front_desk: User, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk), service=haircut.pk, date=monday.isoformat(), time="10:00"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "A name is required" in html
    assert "A phone number is required" in html


def test_another_business_s_service_staff_or_customer_cannot_be_used(
    client_for, outsider: User, business: Business, haircut, ana, monday
) -> None:
    other = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    response = post_booking(
        client_for(outsider),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="11:00",
        customer=other.customer.pk,
    )
    assert response.status_code == 422
    assert Appointment.objects.count() == 1


def test_the_service_picker_ranks_by_spoken_name(
    client_for, front_desk: User, haircut, manicure
) -> None:
    response = client_for(front_desk).get(
        reverse("book_service_options"), {"service_query": "gel mani"}
    )
    html = response.content.decode()
    first_radio = html.index('type="radio"')
    assert html.index(f'value="{manicure.pk}" checked') > first_radio
    assert html.count("checked") == 1
    haircut_at = html.find(f'value="{haircut.pk}"')
    assert haircut_at == -1 or haircut_at > html.index(f'value="{manicure.pk}"')


def test_an_empty_service_search_lists_every_active_service(
    client_for, front_desk: User, haircut, manicure
) -> None:
    html = client_for(front_desk).get(reverse("book_service_options")).content.decode()
    assert "Gel Manicure" in html
    assert "Women&#x27;s Haircut" in html


def test_the_customer_finder_finds_by_phone_in_any_format_and_by_name(
    client_for, front_desk: User, outsider: User, business: Business, haircut, ana, monday
) -> None:
    appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    client = client_for(front_desk)
    url = reverse("book_customer_options")
    assert "Eve Adams" in client.get(url, {"customer_query": "415 555 0111"}).content.decode()
    assert "Eve Adams" in client.get(url, {"customer_query": "adam"}).content.decode()
    assert (
        "Eve Adams"
        not in client_for(outsider).get(url, {"customer_query": "adam"}).content.decode()
    )


def test_a_new_customer_whose_phone_is_on_file_is_offered_not_renamed(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    first = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    client = client_for(front_desk)
    response = post_booking(
        client,
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="14:00",
        customer_name="Mallory Stone",
        customer_phone="(415) 555-0111",
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Eve Adams" in html
    assert f'name="customer" value="{first.customer.pk}"' in html
    first.customer.refresh_from_db()
    assert first.customer.name == "Eve Adams"
    assert Appointment.objects.filter(business=business).count() == 1

    # Taking the offer books the customer on file, under their own name.
    response = post_booking(
        client,
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="14:00",
        customer_name="Mallory Stone",
        customer_phone="(415) 555-0111",
        customer=first.customer.pk,
    )
    assert response.status_code == 200
    assert Appointment.objects.filter(business=business, customer=first.customer).count() == 2
    first.customer.refresh_from_db()
    assert first.customer.name == "Eve Adams"


def test_the_same_name_and_phone_books_the_customer_on_file_without_asking(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    first = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="14:00",
        customer_name="  eve adams ",
        customer_phone="415 555 0111",
    )
    assert response.status_code == 200
    assert Customer.objects.filter(business=business).count() == 1
    first.customer.refresh_from_db()
    assert first.customer.name == "Eve Adams"


def test_a_booking_through_any_path_never_renames_the_customer_on_file(
    business: Business, haircut, ana, monday
) -> None:
    first = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    second = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 14),
        staff=ana,
        customer=CustomerDetails(name="Someone Else", phone="+14155550111"),
    )
    assert second.customer_id == first.customer_id
    first.customer.refresh_from_db()
    assert first.customer.name == "Eve Adams"


def test_the_form_picks_no_service_for_the_desk_and_refuses_a_booking_without_one(
    client_for, front_desk: User, business: Business, haircut, manicure, ana, monday
) -> None:
    client = client_for(front_desk)
    html = client.get(reverse("book_new"), {"date": monday.isoformat()}).content.decode()
    assert 'name="service"' in html
    assert "checked" not in html.split('id="service-options"', 1)[1].split("</div>", 1)[0]
    response = post_booking(
        client,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:00",
        customer_name="Dana Jones",
        customer_phone="(415) 555-0199",
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Appointment.objects.filter(business=business).exists()


def test_a_staff_members_column_lists_only_the_services_they_do(
    client_for, front_desk: User, haircut, manicure, ana, ben, monday
) -> None:
    client = client_for(front_desk)
    html = client.get(reverse("book_new"), {"staff": ben.pk}).content.decode()
    assert f'name="service" value="{haircut.pk}"' in html
    assert f'name="service" value="{manicure.pk}"' not in html
    options = client.get(
        reverse("book_service_options"), {"service_query": "gel mani", "staff": ben.pk}
    ).content.decode()
    assert f'name="service" value="{manicure.pk}"' not in options
    anyone = client.get(reverse("book_new")).content.decode()
    assert f'name="service" value="{manicure.pk}"' in anyone


def test_the_chosen_service_stays_checked_after_an_error_and_through_a_search(
    client_for, front_desk: User, business: Business, haircut, manicure, ana, monday
) -> None:
    client = client_for(front_desk)
    response = post_booking(
        client,
        service=manicure.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:00",
        customer_name="",
        customer_phone="(415) 555-0199",
    )
    assert response.status_code == 422
    assert f'value="{manicure.pk}" checked' in response.content.decode()
    options = client.get(
        reverse("book_service_options"), {"service_query": "haircut", "service": manicure.pk}
    ).content.decode()
    assert f'value="{manicure.pk}" checked' in options
    assert f'value="{haircut.pk}"' in options


def test_a_note_over_the_limit_is_refused_with_a_message_and_books_nothing(
    client_for, front_desk: User, business: Business, haircut, ana, monday
) -> None:
    response = post_booking(
        client_for(front_desk),
        service=haircut.pk,
        staff=ana.pk,
        date=monday.isoformat(),
        time="10:00",
        customer_name="Dana Jones",
        customer_phone="(415) 555-0199",
        notes="x" * 10_000,
    )
    assert response.status_code == 422
    assert "Notes can be at most 2000 characters." in response.content.decode()
    assert not Appointment.objects.filter(business=business).exists()


def test_an_old_or_foreign_appointment_link_says_so_instead_of_a_404(
    client_for, front_desk: User, outsider: User, business: Business, haircut, ana, monday
) -> None:
    ours = appointment_book(
        business=business,
        service=haircut,
        start=at(monday, 9),
        staff=ana,
        customer=CustomerDetails(name="Eve Adams", phone="+14155550111"),
    )
    # The outsider's book, opened with our appointment's id (a stale or pasted link).
    response = client_for(outsider).get(reverse("book_day"), {"appt": ours.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stale-link"' in html
    assert reverse("book_panel", args=[ours.pk]) not in html
    # Our own book opens it as before.
    own = client_for(front_desk).get(reverse("book_day"), {"appt": ours.pk}).content.decode()
    assert reverse("book_panel", args=[ours.pk]) in own
    assert 'data-testid="stale-link"' not in own
