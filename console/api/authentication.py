from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from console.apikeys import api_key_authenticate
from console.models import ApiKey


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`. request.user is None; request.auth is the ApiKey."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[None, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not secret.strip():
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <key>'.")
        api_key = api_key_authenticate(secret.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        return (None, api_key)

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the Bearer key in the OpenAPI schema (/api/schema/)."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A console API key."}
