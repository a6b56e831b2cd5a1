"""An API endpoint as a plain function of a Django request: `(HttpRequest) -> ApiReply`.

For the endpoints served two ways: by Django (a DRF view calls the function) and straight
from ASGI (console.api.hot_routes calls it, skipping Django's handler). One function, so both
paths answer alike. The checks below are the ones DRF runs for every other endpoint, with the
same messages (ApiKeyAuthentication, HasScope and LimitedJSONParser use them too), and an
endpoint calls them in DRF's order: key (401), scope and trial (403, 402), rate (429), then
the body (415, 413, 400).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import parse_header_parameters

from console.api.errors import ApiError, BodyTooLarge
from console.api.json_depth import MAX_DEPTH, json_too_deep
from console.tenancy.apikeys import api_key_authenticate
from console.tenancy.models import ApiKey
from console.tenancy.subscription import business_is_read_only

WWW_AUTHENTICATE = 'Bearer realm="api"'
NO_KEY = "An API key is required: 'Authorization: Bearer <key>'."
BAD_AUTHORIZATION = "Use 'Authorization: Bearer <key>'."
UNKNOWN_KEY = "Unknown or revoked API key."


@dataclass(frozen=True)
class ApiReply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, exc: ApiError) -> ApiReply:
        return cls(exc.status_code, exc.body(), exc.headers)


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


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body: 415 unless it is sent as application/json."""
    media_type, _params = parse_header_parameters(request.content_type or "")
    if media_type.lower() != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            f'Unsupported media type "{request.content_type}": send application/json.',
        )
    return json_decode(request.body)
