"""The Django admin is for operators: read-only where money is concerned, and never a way
around the console's audited views of personal data."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from console.tenancy.models import User

PERSONAL = [
    "calls.Call",
    "calls.TranscriptSegment",
    "calls.CallEvent",
    "calls.CallNote",
    "calls.ToolInvocation",
    "bookings.Customer",
    "bookings.Appointment",
]


@pytest.mark.parametrize("label", PERSONAL)
def test_models_with_personal_data_are_not_in_the_admin(label: str) -> None:
    assert apps.get_model(label) not in admin.site._registry


def test_every_registered_admin_page_opens_for_a_superuser(db: None) -> None:
    root = User.objects.create_superuser(email="root@platform.test", password="x" * 16)
    client = Client()
    client.force_login(root)
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_billing_records_cannot_be_edited_in_the_admin(db: None) -> None:
    from console.affiliates.models import Commission
    from console.billing.models import Invoice

    for model in (Invoice, Commission):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(None)
        assert not model_admin.has_delete_permission(None)
