"""DRF's exception handler for the whole API: every refusal in the contract's JSON shape
(CONTRACTS §2), a backing service that is down as a 503 with Retry-After."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from console.api.backing_services import backing_service_unavailable, unavailable_error
from console.api.errors import ERROR_CODES, ApiError, detail_fields, error_body

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Imported here: rest_framework.views loads the API settings, which import our parser,
    # which imports this module.
    from rest_framework.views import set_rollback

    if backing_service_unavailable(exc):
        logger.warning("API request refused with 503: %r", exc)
        exc = unavailable_error()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]

    status_code = exc.status_code
    if isinstance(exc, ApiError):
        body = exc.body()
        headers.update(exc.headers)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", "The request has invalid fields.", detail_fields(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        body = error_body("invalid_json", str(exc.detail))
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        status_code = status.HTTP_401_UNAUTHORIZED
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
        body = error_body("unauthorized", str(exc.detail))
    else:
        body = error_body(ERROR_CODES.get(status_code, "error"), str(exc.detail))
    set_rollback()
    return Response(body, status=status_code, headers=headers)
