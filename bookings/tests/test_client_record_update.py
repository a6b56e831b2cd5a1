"""The record's one write path: client_record_update."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.clients.services import ClientError, client_record_update
from bookings.services import CustomerDetails, customer_upsert
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User

pytestmark = pytest.mark.django_db


def _update(business, client, by, **fields):
    values = {"notes": "", "allergies": "", "formulas": "", "marketing_consent": False}
    return client_record_update(business=business, client=client, by=by, **{**values, **fields})


def test_consent_given_and_withdrawn_is_stamped_each_time(business: Business, owner: User):
    client = customer_upsert(
        business=business, details=CustomerDetails(name="Alice", phone="+14155550123")
    )
    given_at = timezone.now() - timedelta(days=3)
    given = _update(business, client, owner, marketing_consent=True, now=given_at)
    assert (given.marketing_consent, given.marketing_consent_at) == (True, given_at)
    same = _update(business, client, owner, marketing_consent=True)
    assert same.marketing_consent_at == given_at  # unchanged consent keeps its date
    withdrawn = _update(business, client, owner, marketing_consent=False)
    assert withdrawn.marketing_consent is False
    assert withdrawn.marketing_consent_at > given_at
    actions = list(
        AuditEntry.objects.filter(action="client.updated")
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [a["marketing_consent"] for a in actions] == [True, False]  # no entry for no change


def test_it_refuses_another_business_s_client(
    business: Business, other_business: Business, owner: User
):
    stranger = customer_upsert(
        business=other_business, details=CustomerDetails(name="Zed", phone="+14155550123")
    )
    with pytest.raises(ClientError):
        _update(business, stranger, owner, notes="hello")
    stranger.refresh_from_db()
    assert stranger.notes == ""
    assert not AuditEntry.objects.filter(action="client.updated").exists()


def test_it_refuses_text_over_the_limit(business: Business, owner: User):
    client = customer_upsert(
        business=business, details=CustomerDetails(name="Alice", phone="+14155550123")
    )
    with pytest.raises(ClientError):
        _update(business, client, owner, formulas="x" * 4001)
