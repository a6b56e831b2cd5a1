"""Every API error is JSON: {"error": code, "message": text, "fields": {...}} (CONTRACTS §2)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

logger = logging.getLogger(__name__)

ERROR_CODES = {
    400: "invalid",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


class ApiError(exceptions.APIException):
    """Raise from a view with a specific code, e.g. ApiError(409, "slot_unavailable", ...)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        fields: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(detail=message, code=code)

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.fields, **self.extra)


class BodyTooLarge(ApiError):
    def __init__(self) -> None:
        super().__init__(413, "body_too_large", "The request body is over 1 MiB.")


def error_body(
    code: str, message: str, fields: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": code, "message": message, "fields": fields or {}, **extra}


def detail_fields(detail: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail → {"a.b": "message"}."""
    out: dict[str, str] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(detail_fields(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = " ".join(str(item) for item in detail)
        else:
            for index, value in enumerate(detail):
                out.update(detail_fields(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = str(detail)
    return out


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


@csrf_exempt  # an unknown API path is a 404 for every method, not a CSRF refusal
def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return json_error(404, "not_found", "No such resource.")
