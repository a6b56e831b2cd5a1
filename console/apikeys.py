"""API keys: made once, shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from console.audit import audit_log_write
from console.models import ApiKey, Business, User

KEY_PREFIX = "vak_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvalidScopes(ValueError):
    pass


@dataclass(frozen=True)
class NewApiKey:
    api_key: ApiKey
    secret: str  # shown to the person once, never stored


def api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_parse(raw: str | list[str]) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else raw
    scopes = sorted({item.strip() for item in items if item.strip()})
    unknown = set(scopes) - set(ApiKey.Scope.values)
    if unknown or not scopes:
        allowed = ", ".join(ApiKey.Scope.values)
        raise InvalidScopes(f"Scopes must be some of: {allowed}.")
    return scopes


@transaction.atomic
def api_key_create(
    *,
    business: Business,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    request: HttpRequest | None = None,
) -> NewApiKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        business=business,
        name=name,
        prefix=secret[: len(KEY_PREFIX) + 6],
        key_hash=api_key_hash(secret),
        scopes=scopes_parse(scopes),
        created_by=created_by,
    )
    audit_log_write(
        action="api_key.created",
        business=business,
        actor=created_by,
        obj=api_key,
        request=request,
        data={"scopes": api_key.scopes},
    )
    return NewApiKey(api_key=api_key, secret=secret)


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User | None, request: HttpRequest | None = None) -> None:
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    audit_log_write(
        action="api_key.revoked", business=api_key.business, actor=by, obj=api_key, request=request
    )


def api_key_authenticate(secret: str) -> ApiKey | None:
    """The active key for this secret, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(KEY_PREFIX):
        return None
    api_key = (
        ApiKey.objects.select_related("business")
        .filter(key_hash=api_key_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
