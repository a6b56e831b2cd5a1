"""The checks every API endpoint runs, with their messages: the key (401), its scope and the
trial (403, 402), and the JSON body (413, 400). ApiKeyAuthentication, HasScope and
LimitedJSONParser call them, in DRF's order.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from console.api.errors import ApiError, BodyTooLarge
from console.api.json_depth import MAX_DEPTH, json_too_deep
from console.tenancy.apikeys import api_key_authenticate
from console.tenancy.models import ApiKey
from console.tenancy.subscription import business_is_read_only

WWW_AUTHENTICATE = 'Bearer realm="api"'
NO_KEY = "An API key is required: 'Authorization: Bearer <key>'."
BAD_AUTHORIZATION = "Use 'Authorization: Bearer <key>'."
UNKNOWN_KEY = "Unknown or revoked API key."


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": WWW_AUTHENTICATE})


def api_key_from_header(header: str) -> ApiKey | None:
    """The key an `Authorization: Bearer <key>` header names; None without the header;
    401 for another scheme or a key that is unknown or revoked."""
    if not header:
        return None
    keyword, _, secret = header.partition(" ")
    if keyword.lower() != "bearer" or not secret.strip():
        raise unauthorized(BAD_AUTHORIZATION)
    api_key = api_key_authenticate(secret.strip())
    if api_key is None:
        raise unauthorized(UNKNOWN_KEY)
    return api_key


def api_key_require(api_key: ApiKey | None, scope: str | None, *, write: bool) -> ApiKey:
    """The key may do this: 401 without one, 403 without the scope, 402 for a write while the
    business is read-only (trial over without a plan)."""
    if api_key is None:
        raise unauthorized(NO_KEY)
    if scope is None:
        raise ApiError(403, "forbidden", "This endpoint declares no scope.")
    if scope not in api_key.scopes:
        raise ApiError(403, "forbidden", f"This key lacks the '{scope}' scope.")
    if write and business_is_read_only(api_key.business):
        raise ApiError(
            402,
            "trial_expired",
            "This business's trial has ended without a plan: the API is read-only until "
            "an owner subscribes in the console.",
        )
    return api_key


def json_decode(raw: bytes) -> Any:
    """A JSON body of at most API_MAX_BODY_BYTES: 413 over it, 400 invalid_json if not JSON
    or nested deeper than MAX_DEPTH."""
    if len(raw) > settings.API_MAX_BODY_BYTES:
        raise BodyTooLarge()
    if json_too_deep(raw):
        raise ApiError(
            400, "invalid_json", f"The body nests arrays and objects more than {MAX_DEPTH} deep."
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"The body is not valid JSON: {exc}") from exc
