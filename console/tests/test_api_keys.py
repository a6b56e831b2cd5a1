from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from console.audit.models import AuditEntry
from console.tenancy.apikeys import api_key_authenticate, api_key_create, api_key_revoke
from console.tenancy.models import ApiKey, Business, User

URL = "/api/v1/business"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_key_with_the_scope_reads_its_business(business: Business) -> None:
    secret = api_key_create(business=business, name="ops", scopes=["admin"]).secret
    response = bearer(secret).get(URL)
    assert response.status_code == 200
    assert response.json()["name"] == "Salon One"
    assert response.json()["slot_interval_minutes"] == 15


def test_no_key_is_401_json(db: None) -> None:
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_key_is_401(db: None) -> None:
    response = bearer("vak_not-a-real-key").get(URL)
    assert response.status_code == 401
    assert set(response.json()) == {"error", "message", "fields"}


def test_a_malformed_authorization_header_is_401(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    assert client.get(URL).status_code == 401


def test_a_revoked_key_is_401(business: Business, owner: User) -> None:
    created = api_key_create(business=business, name="old", scopes=["admin"])
    api_key_revoke(api_key=created.api_key, by=owner)
    assert bearer(created.secret).get(URL).status_code == 401


def test_a_key_without_the_scope_is_403(business: Business) -> None:
    secret = api_key_create(business=business, name="gw", scopes=["ingest"]).secret
    response = bearer(secret).get(URL)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "admin" in response.json()["message"]


def test_only_the_hash_of_a_key_is_stored(business: Business) -> None:
    created = api_key_create(business=business, name="gw", scopes=["ingest"])
    stored = ApiKey.objects.get(pk=created.api_key.pk)
    assert stored.key_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in str(ApiKey.objects.values().get(pk=stored.pk))


def test_using_a_key_records_when_it_was_last_used(business: Business) -> None:
    created = api_key_create(business=business, name="gw", scopes=["admin"])
    bearer(created.secret).get(URL)
    assert ApiKey.objects.get(pk=created.api_key.pk).last_used_at is not None


def test_an_owner_creates_a_key_in_the_console_and_sees_it_once(
    business: Business, owner: User, client_for
) -> None:
    client = client_for(owner)
    response = client.post(
        reverse("settings_api_keys"),
        {"name": "Voice gateway", "scopes": ["ingest", "tools"]},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("settings_api_keys"), 302)]
    secret = response.context["new_secret"]
    assert secret.startswith("vak_") and secret.encode() in response.content
    assert secret.encode() not in client.get(reverse("settings_api_keys")).content
    key = ApiKey.objects.get(business=business)
    assert key.scopes == ["ingest", "tools"]
    assert AuditEntry.objects.filter(action="api_key.created", object_id=str(key.pk)).exists()


def test_a_key_must_have_at_least_one_scope(business: Business, owner: User, client_for) -> None:
    response = client_for(owner).post(reverse("settings_api_keys"), {"name": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert not ApiKey.objects.exists()


def test_an_owner_revokes_a_key_in_the_console(business: Business, owner: User, client_for) -> None:
    created = api_key_create(business=business, name="gw", scopes=["admin"])
    client_for(owner).post(reverse("settings_api_key_revoke", args=[created.api_key.pk]))
    assert bearer(created.secret).get(URL).status_code == 401
    assert AuditEntry.objects.filter(action="api_key.revoked").count() == 1


def test_create_api_key_command_prints_a_working_key(business: Business, capsys) -> None:
    call_command("create_api_key", business.slug, "--scopes", "ingest,admin")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert bearer(secret).get(URL).status_code == 200


def test_the_business_api_validates_and_updates_booking_rules(business: Business) -> None:
    client = bearer(api_key_create(business=business, name="ops", scopes=["admin"]).secret)
    bad = client.patch(URL, {"slot_interval_minutes": 1, "timezone": "Mars/Base"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"slot_interval_minutes", "timezone"}
    good = client.patch(URL, {"slot_interval_minutes": 30, "prefix": "SO"}, format="json")
    assert good.status_code == 200
    business.refresh_from_db()
    assert (business.slot_interval_minutes, business.prefix) == (30, "SO")
    entry = AuditEntry.objects.get(action="business.updated")
    assert entry.actor_label.startswith("API key ops")


def test_a_key_revoked_while_remembered_is_refused_on_its_next_use(
    business: Business, owner: User
) -> None:
    created = api_key_create(business=business, name="gw", scopes=["admin"])
    client = bearer(created.secret)
    assert client.get(URL).status_code == 200  # now remembered (on PostgreSQL)
    # Revoked the way another server process would: straight in the database.
    ApiKey.objects.filter(pk=created.api_key.pk).update(revoked_at=timezone.now())
    assert client.get(URL).status_code == 401


def test_a_change_to_the_business_applies_to_a_remembered_key_at_once(
    business: Business,
) -> None:
    client = bearer(api_key_create(business=business, name="gw", scopes=["admin"]).secret)
    assert client.get(URL).json()["slot_interval_minutes"] == 15
    Business.objects.filter(pk=business.pk).update(slot_interval_minutes=30)
    assert client.get(URL).json()["slot_interval_minutes"] == 30
    Business.objects.filter(pk=business.pk).update(
        subscription_status=Business.Subscription.EXPIRED
    )
    assert client.patch(URL, {"name": "New"}, format="json").status_code == 402


@pytest.mark.postgres  # keys are remembered on PostgreSQL only
def test_each_use_of_a_remembered_key_gets_its_own_copy(business: Business) -> None:
    created = api_key_create(business=business, name="gw", scopes=["admin"])
    first = api_key_authenticate(created.secret)
    assert first is not None
    first.business.name = "Changed in one request"
    first.scopes.append("ingest")
    second = api_key_authenticate(created.secret)
    assert second is not None
    assert second.business.name == "Salon One"
    assert second.scopes == ["admin"]
