"""A first day that works: the checklist a new business lands on, its ticks computed from
the database, the test call played into the business's own live data, the welcome email."""

from __future__ import annotations

from datetime import time

from django.core import mail
from django.test import Client
from django.urls import reverse

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.models import Appointment
from calls.models import Call
from conftest import make_user
from console.onboarding.checklist import checklist_get, checklist_open
from console.tenancy.apikeys import api_key_create
from console.tenancy.models import ApiKey, Business, Role, User
from console.tenancy.services import membership_add
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401

FORM = {
    "business_name": "Harley Street Physio",
    "kind": "clinic",
    "timezone": "Europe/London",
    "owner_name": "Pat Owner",
    "email": "pat@physio.test",
    "password": "a-long-unusual-passphrase-42",
}


def _ticks(html: str) -> dict[str, bool]:
    ticks = {}
    for chunk in html.split('data-step="')[1:]:
        key, rest = chunk.split('"', 1)
        ticks[key] = 'data-done="true"' in rest.split(">", 1)[0]
    return ticks


def test_a_new_trial_lands_on_the_checklist_with_a_welcome_email(
    catalogue: None, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trial"), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding")
    business = Business.objects.get(name="Harley Street Physio")
    assert business.checklist_open
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your first day" in html
    assert 'data-testid="nav-checklist"' in html
    ticks = _ticks(html)
    assert list(ticks) == ["services", "staff", "hours", "agent", "test_call", "team"]
    # The trial starts with a few services and a weekday staff member (to edit freely).
    assert ticks["services"] and ticks["staff"] and ticks["hours"]
    assert not ticks["agent"] and not ticks["test_call"] and not ticks["team"]
    assert "http://testserver" not in html
    assert "/api/v1/events" in html and "curl -X POST" in html and "/api/docs/" in html
    (welcome,) = mail.outbox
    assert welcome.to == ["pat@physio.test"]
    assert "Harley Street Physio" in welcome.subject
    assert "/start/" in welcome.body


def test_each_step_is_ticked_by_what_the_business_has(business: Business, owner: User) -> None:
    assert not checklist_get(business=business).step("staff").done
    haircut = service_create(business=business, name="Cut", duration_minutes=30)
    staff_create(business=business, name="Ana", service_ids=[haircut.pk], hours=[])
    steps = checklist_get(business=business)
    assert steps.step("services").done and steps.step("staff").done
    assert not steps.step("hours").done
    staff_create(
        business=business,
        name="Ben",
        service_ids=[haircut.pk],
        hours=[HoursInterval(0, time(9), time(17))],
    )
    assert checklist_get(business=business).step("hours").done
    api_key_create(business=business, name="tools only", scopes=["tools"])
    assert not checklist_get(business=business).step("agent").done
    api_key_create(business=business, name="Gateway", scopes=["ingest", "tools"])
    assert checklist_get(business=business).step("agent").done
    membership_add(business=business, user=make_user("desk@x.test"), role=Role.FRONT_DESK, by=owner)
    assert checklist_get(business=business).step("team").done


def test_the_test_call_plays_one_call_into_the_business_and_revokes_its_key(
    client_for, business: Business, owner: User, django_capture_on_commit_callbacks
) -> None:
    checklist_open(business=business)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(reverse("onboarding_test_call"))
    assert response.status_code == 200
    assert 'data-testid="test-call-placed"' in response.content.decode()
    (call,) = Call.objects.filter(business=business)
    assert call.status == "ended"
    assert call.segment_count >= 2
    assert call.tool_invocations.exists()  # the agent's tools really ran
    assert not ApiKey.objects.filter(business=business, revoked_at__isnull=True).exists()
    assert _ticks(client_for(owner).get(reverse("onboarding")).content.decode())["test_call"]


def test_with_staff_and_hours_the_test_call_books_for_real(
    client_for, business: Business, owner: User, django_capture_on_commit_callbacks
) -> None:
    cut = service_create(
        business=business, name="Women's Haircut", aliases=["haircut"], duration_minutes=45
    )
    staff_create(
        business=business,
        name="Ana",
        service_ids=[cut.pk],
        hours=[HoursInterval(d, time(9), time(17)) for d in range(7)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(reverse("onboarding_test_call"))
    call = Call.objects.get(business=business)
    assert Appointment.objects.filter(business=business, call=call).exists()


def test_the_test_call_never_lands_in_another_business(
    client_for,
    business: Business,
    other_business: Business,
    owner: User,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(reverse("onboarding_test_call"))
    assert Call.objects.filter(business=business).count() == 1
    assert not Call.objects.filter(business=other_business).exists()


def test_front_desk_cannot_open_the_checklist_or_place_a_test_call(
    client_for, business: Business, front_desk: User
) -> None:
    client = client_for(front_desk)
    assert client.get(reverse("onboarding")).status_code == 403
    assert client.post(reverse("onboarding_test_call")).status_code == 403
    assert not Call.objects.filter(business=business).exists()


def test_dismissing_takes_it_out_of_the_navigation(
    client_for, business: Business, owner: User
) -> None:
    checklist_open(business=business)
    client = client_for(owner)
    assert 'data-testid="nav-checklist"' in client.get(reverse("onboarding")).content.decode()
    response = client.post(reverse("onboarding_dismiss"))
    assert response.status_code == 302
    business.refresh_from_db()
    assert not business.checklist_open
    assert 'data-testid="nav-checklist"' not in client.get(reverse("onboarding")).content.decode()


def test_an_established_business_has_no_checklist_in_its_navigation(
    client_for, business: Business, owner: User
) -> None:
    html = client_for(owner).get(reverse("settings_business")).content.decode()
    assert 'data-testid="nav-checklist"' not in html
