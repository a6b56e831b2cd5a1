from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse

from console.audit.log import audit_log_write
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User


def test_the_database_refuses_to_change_an_audit_entry(business: Business, owner: User) -> None:
    entry = audit_log_write(action="test.thing", business=business, actor=owner)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged")
    entry.refresh_from_db()
    assert entry.action == "test.thing"


@pytest.mark.postgres
def test_postgres_also_refuses_to_delete_an_audit_entry(business: Business, owner: User) -> None:
    entry = audit_log_write(action="test.thing", business=business, actor=owner)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_offers_no_way_to_add_change_or_delete_entries(platform_staff: User) -> None:
    request = RequestFactory().get("/")
    request.user = platform_staff
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_an_owner_reads_their_business_log_and_nothing_of_others(
    business: Business, owner: User, other_business: Business, other_owner: User, client_for
) -> None:
    audit_log_write(action="ours.happened", business=business, actor=owner)
    audit_log_write(action="theirs.happened", business=other_business, actor=other_owner)
    page = client_for(owner).get(reverse("settings_audit"))
    assert page.status_code == 200
    assert b"ours.happened" in page.content
    assert b"theirs.happened" not in page.content


def test_platform_staff_read_the_log_of_the_business_they_work_in(
    business: Business, owner: User, platform_staff: User, client_for
) -> None:
    audit_log_write(action="ours.happened", business=business, actor=owner)
    page = client_for(platform_staff).get(reverse("settings_audit"))
    assert b"ours.happened" in page.content


def test_the_log_filters_by_action(business: Business, owner: User, client_for) -> None:
    audit_log_write(action="auth.signed_in", business=business, actor=owner)
    audit_log_write(action="api_key.created", business=business, actor=owner)
    page = client_for(owner).get(reverse("settings_audit"), {"action": "auth."})
    assert b"auth.signed_in" in page.content
    assert b"api_key.created" not in page.content
