"""Each platform's webhook signature (CONTRACTS §8), made and checked in constant time.

Retell: `X-Retell-Signature: v=<unix ms>,d=<hex>`, HMAC-SHA256 keyed by the secret over the raw
body followed by the timestamp's digits; a timestamp more than 5 minutes away from now is
refused, so a captured delivery cannot be replayed later. Vapi: `X-Vapi-Signature: <hex>`,
HMAC-SHA256 of the raw body (Vapi signs no time: a replay is harmless because deliveries are
idempotent, see calls.connectors.retell/vapi's event ids).
"""

from __future__ import annotations

import hashlib
import hmac

RETELL_WINDOW_MS = 5 * 60 * 1000


class BadSignature(Exception):
    """`reason` is for the audit log: never the body, never the secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _digest(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def retell_signature_make(*, secret: str, body: bytes, timestamp_ms: int) -> str:
    digest = _digest(secret, body + str(timestamp_ms).encode("ascii"))
    return f"v={timestamp_ms},d={digest}"


def retell_signature_verify(*, secret: str, body: bytes, header: str, now_ms: int) -> None:
    """Raise BadSignature unless `header` signs `body` with `secret` within the window."""
    if not header:
        raise BadSignature("missing X-Retell-Signature")
    parts = dict(part.strip().partition("=")[::2] for part in header.split(","))
    version, digest = parts.get("v", ""), parts.get("d", "")
    if not version.isdigit() or not digest:
        raise BadSignature("malformed X-Retell-Signature")
    timestamp_ms = int(version)
    if abs(now_ms - timestamp_ms) > RETELL_WINDOW_MS:
        raise BadSignature("stale X-Retell-Signature timestamp")
    expected = _digest(secret, body + version.encode("ascii"))
    if not hmac.compare_digest(expected.encode(), digest.lower().encode("utf-8")):
        raise BadSignature("X-Retell-Signature does not match")


def vapi_signature_make(*, secret: str, body: bytes) -> str:
    return _digest(secret, body)


def vapi_signature_verify(*, secret: str, body: bytes, header: str) -> None:
    if not header:
        raise BadSignature("missing X-Vapi-Signature")
    if not hmac.compare_digest(
        _digest(secret, body).encode(), header.strip().lower().encode("utf-8")
    ):
        raise BadSignature("X-Vapi-Signature does not match")
