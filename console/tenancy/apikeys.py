"""API keys: made once, shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import copy
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from console.audit.log import audit_log_write
from console.tenancy.models import ApiKey, Business, User

KEY_PREFIX = "vak_"
LAST_USED_RESOLUTION = timedelta(minutes=1)

# Found keys, with their businesses, remembered by each process on PostgreSQL: a gateway
# streams hundreds of requests a second with one key, and loading the key and its business
# through the ORM was a quarter of the CPU of a single-event ingest (bench/ingest.py). Each
# use checks, with one small query, that neither row has changed since (both rows as text),
# so a revocation or any change to the business applies at once, in every process.
_found: dict[str, tuple[str, ApiKey]] = {}  # key hash -> (both rows as text, key + business)


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
    remembered = _key_with_business(api_key_hash(secret))
    if remembered is None:
        return None
    now = timezone.now()
    last_used = remembered.last_used_at
    if last_used is None or now - last_used > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=remembered.pk).update(last_used_at=now)
        remembered.last_used_at = now
    # Each request gets its own copies: requests run in several threads at once.
    api_key = copy.copy(remembered)
    api_key.scopes = list(remembered.scopes)
    api_key.business = copy.copy(remembered.business)
    return api_key


def _key_with_business(digest: str) -> ApiKey | None:
    if connection.vendor != "postgresql":
        return _load(digest)
    fingerprint = _fingerprint(digest)
    if fingerprint is None:  # unknown or revoked
        _found.pop(digest, None)
        return None
    found = _found.get(digest)
    if found is not None and found[0] == fingerprint:
        return found[1]
    # Loaded after the fingerprint was taken: a change in between makes the next use reload.
    api_key = _load(digest)
    if api_key is not None:
        _found[digest] = (fingerprint, api_key)
    return api_key


def _load(digest: str) -> ApiKey | None:
    return (
        ApiKey.objects.select_related("business")
        .filter(key_hash=digest, revoked_at__isnull=True)
        .first()
    )


def _fingerprint(digest: str) -> str | None:
    """The active key's row and its business's row, as text; None if there is no such key.
    Active means what _load asks for. Leaves out the key's last use, which every use may
    write. (Not the rows' xmin: a transaction that changes a row twice leaves it the same.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (to_jsonb(k) - 'last_used_at')::text || b::text FROM console_apikey k"
            " JOIN console_business b ON b.id = k.business_id"
            " WHERE k.key_hash = %s AND k.revoked_at IS NULL",
            [digest],
        )
        row = cursor.fetchone()
    return row[0] if row else None
