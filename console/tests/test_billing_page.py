"""The console's billing page and Stripe Checkout, against a stand-in for Stripe on localhost."""

from __future__ import annotations

from django.urls import reverse

from console.audit.models import AuditEntry
from console.billing.models import BillingAccount, Invoice
from console.tenancy.models import Business
from console.tests.billing_fixtures import (  # noqa: F401
    catalogue_fixture,
    fake_stripe_fixture,
    stripe_settings_fixture,
)


def test_subscribing_opens_stripe_checkout_for_the_chosen_plan(
    catalogue: None, fake_stripe, business: Business, owner, client_for
) -> None:
    response = client_for(owner).post(reverse("billing_checkout"), {"plan": "growth"})
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    [sent] = fake_stripe.requests
    assert sent["path"] == "/v1/checkout/sessions"
    assert sent["auth"] == "Bearer sk_test_123"
    form = sent["form"]
    assert form["mode"] == "subscription"
    assert form["client_reference_id"] == str(business.pk)
    assert form["metadata[plan_code]"] == "growth"
    assert form["line_items[0][price_data][unit_amount]"] == "149900"
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["customer_email"] == owner.email
    assert sent["idempotency_key"]
    assert AuditEntry.objects.filter(action="billing.checkout_started", business=business).exists()


def test_a_stripe_failure_is_a_message_not_a_500(
    catalogue: None, fake_stripe, business: Business, owner, client_for
) -> None:
    fake_stripe.fail = True
    client = client_for(owner)
    response = client.post(reverse("billing_checkout"), {"plan": "starter"}, follow=True)
    assert response.status_code == 200
    assert b"Stripe did not answer as expected" in response.content


def test_an_unknown_plan_is_refused(
    catalogue: None, fake_stripe, business: Business, owner, client_for
) -> None:
    response = client_for(owner).post(reverse("billing_checkout"), {"plan": "platinum"})
    assert response.status_code == 302
    assert fake_stripe.requests == []


def test_without_stripe_keys_the_console_says_billing_is_not_configured(
    catalogue: None, settings, business: Business, owner, client_for
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    client = client_for(owner)
    page = client.get(reverse("billing"))
    assert page.status_code == 200
    assert b"Billing is not configured" in page.content
    assert b"Subscribe to" not in page.content
    response = client.post(reverse("billing_checkout"), {"plan": "starter"}, follow=True)
    assert b"Billing is not configured" in response.content


def test_only_owners_see_billing(
    catalogue: None, business: Business, front_desk, manager, client_for
) -> None:
    assert client_for(front_desk).get(reverse("billing")).status_code == 403
    assert client_for(manager).get(reverse("billing")).status_code == 403
    assert client_for(manager).post(reverse("billing_checkout"), {"plan": "x"}).status_code == 403


def test_the_billing_page_shows_only_this_businesses_invoices(
    catalogue: None, business: Business, owner, other_business: Business, client_for
) -> None:
    Invoice.objects.create(
        business=other_business,
        stripe_invoice_id="in_other",
        number="OTHER-0001",
        amount_paid_cents=149900,
        paid_at="2026-11-01T00:00:00Z",
    )
    Invoice.objects.create(
        business=business,
        stripe_invoice_id="in_mine",
        number="MINE-0001",
        amount_paid_cents=49900,
        paid_at="2026-11-01T00:00:00Z",
    )
    page = client_for(owner).get(reverse("billing"))
    assert b"MINE-0001" in page.content and b"$499.00" in page.content
    assert b"OTHER-0001" not in page.content


def test_an_existing_stripe_customer_is_reused(
    catalogue: None, fake_stripe, business: Business, owner, client_for
) -> None:
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_known")
    client_for(owner).post(reverse("billing_checkout"), {"plan": "starter"})
    assert fake_stripe.requests[0]["form"]["customer"] == "cus_known"
    assert "customer_email" not in fake_stripe.requests[0]["form"]
