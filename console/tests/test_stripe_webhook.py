"""The Stripe webhook: signature, idempotency, and the whole referral path to a reversal."""

from __future__ import annotations

import time
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from conftest import make_user
from console.affiliates.models import Affiliate, Commission, Referral, ReferralClick
from console.audit.models import AuditEntry
from console.billing.models import BillingAccount, Invoice, StripeEvent
from console.tenancy.models import Business
from console.tests.billing_fixtures import (  # noqa: F401
    catalogue_fixture,
    event,
    fake_stripe_fixture,
    stripe_settings_fixture,
    stripe_signature,
    webhook_post,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
TRIAL = {
    "business_name": "Referred Salon",
    "kind": "salon",
    "timezone": "America/Chicago",
    "owner_name": "Rita",
    "email": "rita@referred.test",
    "password": "a-long-unusual-passphrase-42",
}


def _counts() -> tuple[int, ...]:
    return (
        StripeEvent.objects.count(),
        Invoice.objects.count(),
        Commission.objects.count(),
        BillingAccount.objects.count(),
    )


def _checkout_completed(business: Business, plan: str = "growth") -> dict:
    return {
        "id": "cs_test_1",
        "object": "checkout.session",
        "client_reference_id": str(business.pk),
        "customer": "cus_123",
        "subscription": "sub_123",
        "metadata": {"business_id": str(business.pk), "plan_code": plan},
    }


def _invoice(amount: int, invoice_id: str = "in_1") -> dict:
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_123",
        "subscription": "sub_123",
        "number": "ABC-0001",
        "amount_paid": amount,
        "currency": "usd",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "status_transitions": {"paid_at": int(time.time())},
    }


def test_the_whole_path_from_click_to_commission_to_reversal(
    catalogue: None, stripe_settings
) -> None:
    affiliate_user = make_user("aff@partners.test")
    affiliate = Affiliate.objects.create(user=affiliate_user, code="ann22")

    # A prospect follows the link, then starts a trial in the same browser.
    prospect = Client(HTTP_USER_AGENT=BROWSER)
    click = prospect.get(reverse("referral_link", args=["ann22"]))
    assert click.status_code == 302 and click["Location"] == reverse("pricing")
    assert ReferralClick.objects.filter(affiliate=affiliate).count() == 1
    assert prospect.post(reverse("trial"), TRIAL).status_code == 302
    business = Business.objects.get(name="Referred Salon")
    referral = Referral.objects.get(business=business)
    assert referral.affiliate == affiliate and referral.converted_at is None

    # Stripe: checkout completed → subscribed to Growth.
    webhook = Client()
    payload = event("evt_checkout", "checkout.session.completed", _checkout_completed(business))
    assert webhook_post(webhook, payload).status_code == 200
    business.refresh_from_db()
    assert business.subscription_status == "active" and business.plan.code == "growth"

    # An invoice of $1,499.00 is paid: 22% = $329.78 exactly, pending for 30 days.
    payload = event("evt_paid", "invoice.paid", _invoice(149900))
    assert webhook_post(webhook, payload).status_code == 200
    invoice = Invoice.objects.get(stripe_invoice_id="in_1")
    assert invoice.business == business and invoice.amount_paid_cents == 149900
    earning = Commission.objects.get(invoice=invoice, kind="earning")
    assert earning.affiliate == affiliate
    assert earning.amount_cents == 32978
    assert earning.rate_percent == Decimal("22.00")
    assert earning.status == "pending"
    assert (earning.available_at - invoice.paid_at).days == 30
    referral.refresh_from_db()
    assert referral.converted_at is not None

    # The charge is refunded in full: the commission is reversed to the cent.
    refund = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 149900}
    assert webhook_post(webhook, event("evt_refund", "charge.refunded", refund)).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "refunded" and invoice.amount_refunded_cents == 149900
    reversal = Commission.objects.get(invoice=invoice, kind="reversal")
    assert reversal.amount_cents == -32978 and reversal.status == "pending"
    net = sum(c.amount_cents for c in Commission.objects.filter(affiliate=affiliate))
    assert net == 0


def test_a_commission_is_rounded_half_up_once(catalogue: None, stripe_settings) -> None:
    owner = make_user("o@x.test")
    business = Business.objects.create(name="B", slug="b")
    business.memberships.create(user=owner, role="owner")
    affiliate = Affiliate.objects.create(user=make_user("a@x.test"), code="half")
    Referral.objects.create(affiliate=affiliate, business=business)
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_123")
    # 22% of $0.25 = 5.5 cents → 6; 22% of $0.75 = 16.5 → 17; of $0.10 = 2.2 → 2.
    for n, (amount, expected) in enumerate([(25, 6), (75, 17), (10, 2), (49900, 10978)]):
        payload = event(f"evt_{n}", "invoice.paid", _invoice(amount, invoice_id=f"in_{n}"))
        webhook_post(Client(), payload)
        assert Commission.objects.get(invoice__stripe_invoice_id=f"in_{n}").amount_cents == expected


def test_a_bad_signature_writes_nothing(catalogue: None, stripe_settings, business) -> None:
    before = _counts()
    payload = event("evt_forged", "checkout.session.completed", _checkout_completed(business))
    for signature in (
        "",
        "t=1,v1=deadbeef",
        stripe_signature(payload, secret="whsec_wrong"),
        stripe_signature(payload, at=int(time.time()) - 3600),  # too old: a replayed capture
        stripe_signature(payload + b" "),
    ):
        response = webhook_post(Client(), payload, signature=signature)
        assert response.status_code == 400
        assert response.json()["error"] == "bad_signature"
    assert _counts() == before
    business.refresh_from_db()
    assert business.plan is None


def test_a_replayed_event_id_writes_nothing(catalogue: None, stripe_settings, business) -> None:
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_123")
    affiliate = Affiliate.objects.create(user=make_user("a@x.test"), code="rep")
    Referral.objects.create(affiliate=affiliate, business=business)
    payload = event("evt_once", "invoice.paid", _invoice(49900))
    assert webhook_post(Client(), payload).json()["duplicate"] is False
    after_first = (_counts(), AuditEntry.objects.count())
    replay = webhook_post(Client(), payload)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert (_counts(), AuditEntry.objects.count()) == after_first
    # Stripe also sends invoice.payment_succeeded for the same invoice: one commission.
    webhook_post(Client(), event("evt_other", "invoice.payment_succeeded", _invoice(49900)))
    assert Invoice.objects.count() == 1 and Commission.objects.count() == 1


def test_an_unknown_event_type_is_acknowledged_and_recorded_once(
    catalogue: None, stripe_settings
) -> None:
    payload = event("evt_x", "customer.created", {"id": "cus_9"})
    assert webhook_post(Client(), payload).status_code == 200
    assert StripeEvent.objects.filter(event_id="evt_x").count() == 1


def test_a_malformed_body_with_a_valid_signature_is_a_400_not_a_500(
    catalogue: None, stripe_settings
) -> None:
    payload = b"not json"
    response = webhook_post(Client(), payload)
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_without_a_webhook_secret_the_webhook_says_billing_is_not_configured(
    db: None, settings
) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = event("evt_1", "invoice.paid", _invoice(100))
    response = webhook_post(Client(), payload)
    assert response.status_code == 503
    assert response.json()["error"] == "not_configured"


def test_a_cancelled_subscription_makes_the_business_read_only(
    catalogue: None, stripe_settings, business
) -> None:
    webhook_post(Client(), event("e1", "checkout.session.completed", _checkout_completed(business)))
    deleted = {"id": "sub_123", "object": "subscription", "status": "canceled"}
    webhook_post(Client(), event("e2", "customer.subscription.deleted", deleted))
    business.refresh_from_db()
    assert business.subscription_status == "canceled"


def test_a_partial_refund_reverses_the_commission_on_the_refunded_part(
    catalogue: None, stripe_settings, business
) -> None:
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_123")
    affiliate = Affiliate.objects.create(user=make_user("a@x.test"), code="part")
    Referral.objects.create(affiliate=affiliate, business=business)
    webhook_post(Client(), event("e1", "invoice.paid", _invoice(49900)))
    partial = {"id": "ch_1", "invoice": "in_1", "amount_refunded": 10000}
    webhook_post(Client(), event("e2", "charge.refunded", partial))
    assert Commission.objects.get(kind="reversal").amount_cents == -2200
    full = {"id": "ch_1", "invoice": "in_1", "amount_refunded": 49900}
    webhook_post(Client(), event("e3", "charge.refunded", full))
    assert Commission.objects.get(kind="reversal").amount_cents == -10978
    assert Invoice.objects.get().status == "refunded"


def test_subscribing_after_the_trial_ended_makes_the_business_writable_again(
    catalogue: None, stripe_settings, business, api_client_for
) -> None:
    business.subscription_status = "expired"
    business.save()
    api = api_client_for(business, "admin")
    assert api.patch("/api/v1/business", {"name": "X"}, format="json").status_code == 402
    webhook_post(Client(), event("e1", "checkout.session.completed", _checkout_completed(business)))
    assert api.patch("/api/v1/business", {"name": "Back"}, format="json").status_code == 200
    business.refresh_from_db()
    assert business.name == "Back" and business.plan.code == "growth"


def _new_api_invoice(amount: int) -> dict:
    """An invoice as API versions from 2025 on send it: no charge, no payment intent."""
    return {
        "id": "in_new",
        "object": "invoice",
        "customer": "cus_123",
        "amount_paid": amount,
        "currency": "usd",
        "parent": {"subscription_details": {"subscription": "sub_123", "metadata": {}}},
    }


def test_a_refund_finds_its_invoice_through_the_invoice_payment_event(
    catalogue: None, stripe_settings, business
) -> None:
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_123")
    affiliate = Affiliate.objects.create(user=make_user("a@x.test"), code="newapi")
    Referral.objects.create(affiliate=affiliate, business=business)
    webhook_post(Client(), event("e1", "invoice.paid", _new_api_invoice(49900)))
    payment = {
        "id": "inpay_1",
        "object": "invoice_payment",
        "invoice": "in_new",
        "payment": {"type": "payment_intent", "payment_intent": "pi_new"},
    }
    webhook_post(Client(), event("e2", "invoice_payment.paid", payment))
    refund = {"id": "ch_new", "payment_intent": "pi_new", "amount_refunded": 49900}
    webhook_post(Client(), event("e3", "charge.refunded", refund))
    assert Commission.objects.get(kind="reversal").amount_cents == -10978


def test_a_refund_asks_stripe_for_the_invoice_when_it_must(
    catalogue: None, fake_stripe, business
) -> None:
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_123")
    affiliate = Affiliate.objects.create(user=make_user("a@x.test"), code="ask")
    Referral.objects.create(affiliate=affiliate, business=business)
    webhook_post(Client(), event("e1", "invoice.paid", _new_api_invoice(49900)))
    refund = {"id": "ch_new", "payment_intent": "pi_new", "amount_refunded": 49900}

    fake_stripe.fail = True  # Stripe is down: nothing is written, Stripe will retry
    response = webhook_post(Client(), event("e3", "charge.refunded", refund))
    assert response.status_code == 503
    assert not StripeEvent.objects.filter(event_id="e3").exists()
    assert not Commission.objects.filter(kind="reversal").exists()

    fake_stripe.fail = False
    fake_stripe.invoice_for_payment_intent["pi_new"] = "in_new"
    assert webhook_post(Client(), event("e3", "charge.refunded", refund)).status_code == 200
    assert Commission.objects.get(kind="reversal").amount_cents == -10978
    assert any(r["path"].startswith("/v1/invoice_payments") for r in fake_stripe.requests)
