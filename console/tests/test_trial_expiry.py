"""A trial that ends without a plan: read-only console, API 402, nothing deleted; reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from console.billing.models import TrialNotice
from console.tasks import trial_reminders_send, trials_expire
from console.tenancy.models import Business
from console.tenancy.subscription import business_is_read_only
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401


def _trial_ending_in(business: Business, delta: timedelta) -> Business:
    business.subscription_status = Business.Subscription.TRIALING
    business.trial_ends_at = timezone.now() + delta
    business.save(update_fields=["subscription_status", "trial_ends_at"])
    return business


@pytest.fixture
def expired(business: Business) -> Business:
    _trial_ending_in(business, -timedelta(hours=1))
    assert trials_expire.delay().get() == 1
    business.refresh_from_db()
    return business


def test_the_beat_task_expires_ended_trials_and_only_those(
    business: Business, other_business: Business
) -> None:
    _trial_ending_in(business, -timedelta(minutes=1))
    _trial_ending_in(other_business, timedelta(days=2))
    assert trials_expire.delay().get() == 1
    business.refresh_from_db()
    other_business.refresh_from_db()
    assert business.subscription_status == "expired"
    assert other_business.subscription_status == "trialing"
    assert trials_expire.delay().get() == 0  # running again changes nothing


def test_an_expired_business_pages_show_the_data_and_a_way_to_subscribe(
    catalogue: None, expired: Business, owner, client_for
) -> None:
    page = client_for(owner).get(reverse("settings_business"))
    assert page.status_code == 200
    assert b"Salon One" in page.content
    assert b"read-only" in page.content
    assert reverse("billing").encode() in page.content


def test_an_expired_business_refuses_console_writes_and_keeps_its_data(
    catalogue: None, expired: Business, owner, client_for
) -> None:
    response = client_for(owner).post(
        reverse("settings_business"),
        {"name": "Renamed", "timezone": "UTC", "default_region": "US"},
    )
    assert response.status_code == 402
    assert b"read-only" in response.content
    expired.refresh_from_db()
    assert expired.name == "Salon One"
    assert Business.objects.filter(pk=expired.pk).exists()


def test_a_trial_past_its_end_is_read_only_before_the_beat_task_runs(
    business: Business, owner, client_for
) -> None:
    _trial_ending_in(business, -timedelta(seconds=5))
    assert business_is_read_only(business)
    response = client_for(owner).post(
        reverse("settings_business"), {"name": "X", "timezone": "UTC", "default_region": "US"}
    )
    assert response.status_code == 402


def test_an_expired_business_can_still_subscribe(
    catalogue: None, expired: Business, owner, client_for, settings
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    client = client_for(owner)
    assert client.get(reverse("billing")).status_code == 200
    # Billing is the way back: not refused as a write (here it says not configured).
    response = client.post(reverse("billing_checkout"), {"plan": "starter"})
    assert response.status_code == 302


def test_the_api_answers_402_trial_expired_to_writes_and_still_reads(
    expired: Business, api_client_for
) -> None:
    api = api_client_for(expired, "admin")
    response = api.patch("/api/v1/business", {"name": "Renamed"}, format="json")
    assert response.status_code == 402
    body = response.json()
    assert body["error"] == "trial_expired"
    assert body["message"]
    assert api.get("/api/v1/business").status_code == 200
    expired.refresh_from_db()
    assert expired.name == "Salon One"


def test_a_running_trial_and_a_paying_business_may_write(
    business: Business, api_client_for
) -> None:
    _trial_ending_in(business, timedelta(days=3))
    api = api_client_for(business, "admin")
    assert api.patch("/api/v1/business", {"name": "Trialing"}, format="json").status_code == 200
    business.subscription_status = "active"
    business.trial_ends_at = timezone.now() - timedelta(days=30)
    business.save()
    assert api.patch("/api/v1/business", {"name": "Paying"}, format="json").status_code == 200


def test_another_businesses_expiry_does_not_touch_ours(
    business: Business, other_business: Business, api_client_for
) -> None:
    _trial_ending_in(other_business, -timedelta(days=1))
    api = api_client_for(business, "admin")
    assert api.patch("/api/v1/business", {"name": "Fine"}, format="json").status_code == 200


def test_reminders_go_out_three_days_and_one_day_before_the_end_once_each(
    business: Business, owner, manager, django_capture_on_commit_callbacks
) -> None:
    _trial_ending_in(business, timedelta(days=2, hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert trial_reminders_send.delay().get() == 1
        assert trial_reminders_send.delay().get() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]  # owners only
    assert "ends in 3 days" in mail.outbox[0].subject
    _trial_ending_in(business, timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert trial_reminders_send.delay().get() == 1
        assert trial_reminders_send.delay().get() == 0
    assert "ends tomorrow" in mail.outbox[1].subject
    assert set(TrialNotice.objects.values_list("days_before", flat=True)) == {1, 3}


def test_no_reminder_for_a_paying_business_or_a_far_away_end(
    business: Business, other_business: Business, django_capture_on_commit_callbacks
) -> None:
    _trial_ending_in(business, timedelta(days=10))
    other_business.trial_ends_at = timezone.now() + timedelta(days=1)
    other_business.subscription_status = "active"
    other_business.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert trial_reminders_send.delay().get() == 0
    assert mail.outbox == []


def test_an_htmx_write_to_an_expired_business_reloads_the_page_with_a_message(
    catalogue: None, expired: Business, owner, client_for
) -> None:
    client = client_for(owner)
    response = client.post(
        reverse("settings_business"),
        {"name": "Renamed", "timezone": "UTC", "default_region": "US"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/settings/?tab=1",
    )
    assert response.status_code == 402
    assert response["HX-Redirect"] == "/settings/?tab=1"
    page = client.get("/settings/?tab=1")
    assert b"read-only until it has a plan" in page.content
    expired.refresh_from_db()
    assert expired.name == "Salon One"
