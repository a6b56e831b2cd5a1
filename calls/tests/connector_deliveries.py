"""Shared by the connector tests: the fixtures (documented payload shapes, see
fixtures/README.md) and signed deliveries as each platform sends them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.test import Client

from calls.connectors.services import connector_create, connector_webhook_url
from calls.connectors.signatures import retell_signature_make, vapi_signature_make
from calls.models import Connector
from console.tenancy.models import Business

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "key_1a2b3c4d5e6f7a8b9c0d1e2f"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def connector_make(business: Business, platform: str, secret: str = SECRET) -> Connector:
    return connector_create(business=business, platform=platform, secret=secret).connector


def path_of(connector: Connector) -> str:
    return connector_webhook_url(connector=connector).split("://", 1)[1].partition("/")[2]


def deliver(
    connector: Connector,
    payload: Any,
    *,
    secret: str = SECRET,
    timestamp_ms: int | None = None,
    body: bytes | None = None,
    signed_body: bytes | None = None,
    headers: dict[str, str] | None = None,
    path: str | None = None,
) -> Any:
    """POST a delivery signed the platform's way (or with `headers` instead)."""
    raw = body if body is not None else json.dumps(payload).encode()
    to_sign = signed_body if signed_body is not None else raw
    if headers is None:
        if connector.platform == Connector.Platform.RETELL:
            stamp = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
            signature = retell_signature_make(secret=secret, body=to_sign, timestamp_ms=stamp)
            headers = {"X-Retell-Signature": signature}
        else:
            headers = {"X-Vapi-Signature": vapi_signature_make(secret=secret, body=to_sign)}
    return Client().post(
        path or "/" + path_of(connector),
        data=raw,
        content_type="application/json",
        headers=headers,
    )
