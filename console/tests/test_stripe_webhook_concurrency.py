"""Stripe retries a delivery while the first is still running: one effect, never two."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import make_business, make_user
from console.affiliates.models import Affiliate, Commission, Referral
from console.billing.models import BillingAccount, Invoice, StripeEvent
from console.billing.services import webhook_receive
from console.tests.billing_fixtures import (  # noqa: F401
    catalogue_seed,
    event,
    stripe_settings_fixture,
    stripe_signature,
)


@pytest.mark.postgres
def test_the_same_event_delivered_twice_at_once_is_processed_once(
    transactional_db: None, stripe_settings
) -> None:
    catalogue_seed()
    business = make_business("Race Salon", make_user("o@race.test"))
    BillingAccount.objects.create(business=business, stripe_customer_id="cus_race")
    affiliate = Affiliate.objects.create(user=make_user("a@race.test"), code="race")
    Referral.objects.create(affiliate=affiliate, business=business)
    payload = event(
        "evt_race",
        "invoice.paid",
        {"id": "in_race", "customer": "cus_race", "amount_paid": 149900, "currency": "usd"},
    )
    signature = stripe_signature(payload)
    barrier = threading.Barrier(4)
    results: list[object] = []

    def deliver() -> None:
        try:
            barrier.wait()
            results.append(webhook_receive(payload=payload, signature=signature).duplicate)
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [False, True, True, True]
    assert StripeEvent.objects.filter(event_id="evt_race").count() == 1
    assert Invoice.objects.count() == 1
    assert Commission.objects.get().amount_cents == 32978
