"""Connectors' writes: create, rotate, revoke, and receive a platform's delivery.

`connector_delivery_receive` is the one place where a platform's webhook becomes stored call
events: signature first (on the raw bytes), then the body, then the platform's mapping, then
calls.validation and the same ingest function as POST /api/v1/events.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.core import get_usage

from calls.connectors.mapping import InvalidPayload, Mapped
from calls.connectors.retell import retell_delivery_map
from calls.connectors.signatures import (
    BadSignature,
    retell_signature_verify,
    vapi_signature_verify,
)
from calls.connectors.vapi import vapi_delivery_map
from calls.ingest.services import call_events_ingest  # the one ingest call of the connectors
from calls.ingest.validation import MAX_BATCH, Event, InvalidEvents, events_parse
from calls.models import Call, Connector, PlatformAnalysis
from console.audit.log import audit_log_write
from console.tenancy.models import Business, User
from console.tenancy.subscription import business_is_read_only

logger = logging.getLogger(__name__)

MIN_SECRET = 16
MAX_SECRET = 512


class ConnectorError(Exception):
    """A refusal the caller turns into its own reply: `status` and `code` as in CONTRACTS §2."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


@dataclass(frozen=True)
class CreatedConnector:
    connector: Connector
    secret: str  # shown once


@dataclass(frozen=True)
class DeliveryResult:
    accepted: int
    duplicates: int
    ignored: str = ""  # the platform's event kind, when we do not map it


def connector_secret_make() -> str:
    return secrets.token_urlsafe(32)


def connector_secret_check(secret: str) -> str:
    secret = secret.strip()
    if not MIN_SECRET <= len(secret) <= MAX_SECRET or not secret.isprintable():
        raise ConnectorError(
            400,
            "invalid_secret",
            f"A secret is {MIN_SECRET} to {MAX_SECRET} printable characters.",
            {"secret": f"Use {MIN_SECRET} to {MAX_SECRET} printable characters."},
        )
    return secret


def connector_webhook_path(*, connector: Connector) -> str:
    return reverse(
        "api_connector_webhook",
        kwargs={"connector_id": connector.public_id, "platform": connector.platform},
    )


def connector_webhook_url(*, connector: Connector) -> str:
    return f"{settings.SITE_URL}{connector_webhook_path(connector=connector)}"


def connector_create(
    *,
    business: Business,
    platform: str,
    secret: str = "",
    by: User | None = None,
    request: HttpRequest | None = None,
) -> CreatedConnector:
    """A new connector; without a secret, one is made (to paste into the platform)."""
    if platform not in Connector.Platform.values:
        raise ConnectorError(
            400, "invalid_platform", "The platform is retell or vapi.", {"platform": "retell|vapi"}
        )
    secret = connector_secret_check(secret) if secret else connector_secret_make()
    connector = Connector.objects.create(
        business=business, platform=platform, secret=secret, created_by=by
    )
    audit_log_write(
        action="connector.created",
        business=business,
        actor=by,
        obj=connector,
        request=request,
        data={"platform": platform},
    )
    return CreatedConnector(connector=connector, secret=secret)


def connector_rotate(
    *, connector: Connector, secret: str = "", by: User | None, request: HttpRequest | None = None
) -> CreatedConnector:
    if not connector.is_active:
        raise ConnectorError(409, "connector_revoked", "A revoked connector cannot be rotated.")
    secret = connector_secret_check(secret) if secret else connector_secret_make()
    connector.secret = secret
    connector.rotated_at = timezone.now()
    connector.save(update_fields=["secret", "rotated_at"])
    audit_log_write(
        action="connector.rotated",
        business=connector.business,
        actor=by,
        obj=connector,
        request=request,
    )
    return CreatedConnector(connector=connector, secret=secret)


def connector_revoke(
    *, connector: Connector, by: User | None, request: HttpRequest | None = None
) -> None:
    if not connector.is_active:
        return
    connector.revoked_at = timezone.now()
    connector.save(update_fields=["revoked_at"])
    audit_log_write(
        action="connector.revoked",
        business=connector.business,
        actor=by,
        obj=connector,
        request=request,
    )


def _connector_for_delivery(*, connector_id: str, platform: str) -> Connector:
    connector = (
        Connector.objects.select_related("business")
        .filter(public_id=connector_id, platform=platform, revoked_at__isnull=True)
        .first()
    )
    if connector is None:
        raise ConnectorError(404, "not_found", "No such connector.")
    return connector


def _signature_verify(*, connector: Connector, body: bytes, headers: Any) -> None:
    if connector.platform == Connector.Platform.RETELL:
        retell_signature_verify(
            secret=connector.secret,
            body=body,
            header=headers.get("X-Retell-Signature", ""),
            now_ms=int(time.time() * 1000),
        )
    else:
        vapi_signature_verify(
            secret=connector.secret, body=body, header=headers.get("X-Vapi-Signature", "")
        )


def _bad_signatures_over_limit(*, connector: Connector, request: HttpRequest | None) -> bool:
    """Counts this bad signature (CONNECTOR_BAD_SIGNATURE_RATE per connector, django-ratelimit
    in the cache); True once over the limit. Deliveries signed well are never limited here."""
    rate = settings.CONNECTOR_BAD_SIGNATURE_RATE
    if not rate or request is None:
        return False
    try:
        usage = get_usage(
            request,
            group="connector:bad_signature",
            key=lambda _group, _request: connector.public_id,
            rate=rate,
            increment=True,
        )
    except Exception:
        # The cache is down: refuse the delivery (401) and audit it, unthrottled.
        logger.warning("Could not count bad signatures for %s", connector.public_id)
        return False
    return bool(usage and usage["should_limit"])


def _delivery_map(*, connector: Connector, payload: Any, received_at: datetime) -> Mapped:
    if connector.platform == Connector.Platform.RETELL:
        return retell_delivery_map(payload, received_at=received_at)
    return vapi_delivery_map(payload, received_at=received_at)


def connector_delivery_receive(
    *,
    connector_id: str,
    platform: str,
    body: bytes,
    headers: Any,
    decode: Any,
    request: HttpRequest | None = None,
) -> DeliveryResult:
    """Verify, map and store one platform delivery. `decode` turns the verified raw body into
    JSON (or raises the API's own 413/415/400). Raises ConnectorError for what we refuse."""
    connector = _connector_for_delivery(connector_id=connector_id, platform=platform)
    try:
        _signature_verify(connector=connector, body=body, headers=headers)
    except BadSignature as exc:
        if _bad_signatures_over_limit(connector=connector, request=request):
            raise ConnectorError(
                429,
                "rate_limited",
                "Too many badly signed deliveries for this connector: try again in a minute.",
                headers={"Retry-After": "60"},
            ) from exc
        audit_log_write(
            action="connector.signature_rejected",
            business=connector.business,
            obj=connector,
            request=request,
            data={"platform": connector.platform, "reason": exc.reason},
        )
        raise ConnectorError(
            401, "bad_signature", f"The {connector.get_platform_display()} signature is invalid."
        ) from exc
    if business_is_read_only(connector.business):
        raise ConnectorError(
            402,
            "trial_expired",
            "This business's trial has ended without a plan: calls are not recorded until "
            "an owner subscribes in the console.",
        )
    payload = decode()
    now = timezone.now()
    try:
        mapped = _delivery_map(connector=connector, payload=payload, received_at=now)
    except InvalidPayload as exc:
        raise ConnectorError(400, "invalid_payload", exc.message, exc.fields) from exc
    if mapped.ignored:
        return DeliveryResult(accepted=0, duplicates=0, ignored=mapped.kind)
    business = connector.business
    # A long call restates hundreds of lines: checked and stored in batches of the
    # events API's size, all in one transaction (all or nothing, like one batch).
    batches: list[list[Event]] = []
    for offset in range(0, len(mapped.events), MAX_BATCH):
        chunk = mapped.events[offset : offset + MAX_BATCH]
        try:
            batches.append(events_parse({"events": chunk}, region=business.default_region))
        except InvalidEvents as exc:
            fields = {str(int(k) + offset) if k.isdigit() else k: v for k, v in exc.fields.items()}
            raise ConnectorError(400, "invalid_events", exc.message, fields) from exc
    accepted = duplicates = 0
    with transaction.atomic():
        for batch in batches:
            result = call_events_ingest(business=business, events=batch)
            accepted += result.accepted
            duplicates += result.duplicates
        if mapped.analysis is not None:
            _platform_analysis_keep(
                business=business,
                call_id=mapped.call_id,
                platform=connector.platform,
                data=mapped.analysis,
                now=now,
            )
    return DeliveryResult(accepted=accepted, duplicates=duplicates)


def _platform_analysis_keep(
    *, business: Business, call_id: str, platform: str, data: dict[str, Any], now: datetime
) -> None:
    """The platform's analysis, beside ours (calls.models.CallAnalysis is never touched)."""
    call = Call.objects.get(business=business, call_id=call_id)
    kept = PlatformAnalysis.objects.filter(call=call).first()
    if kept is None:
        PlatformAnalysis.objects.create(call=call, platform=platform, data=data, received_at=now)
    elif kept.data != data:
        kept.data, kept.platform, kept.received_at = data, platform, now
        kept.save(update_fields=["data", "platform", "received_at"])
