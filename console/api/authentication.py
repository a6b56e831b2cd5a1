from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from console.api.endpoint import WWW_AUTHENTICATE, api_key_from_header
from console.api.errors import ApiError
from console.tenancy.models import ApiKey


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`. request.user is None; request.auth is the ApiKey."""

    def authenticate(self, request: Any) -> tuple[None, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        try:
            api_key = api_key_from_header(header)
        except ApiError as exc:
            raise exceptions.AuthenticationFailed(exc.message) from exc
        return None if api_key is None else (None, api_key)

    def authenticate_header(self, request: Any) -> str:
        return WWW_AUTHENTICATE


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the Bearer key in the OpenAPI schema (/api/schema/)."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A console API key."}
