from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from console.models import ApiKey


class HasScope(BasePermission):
    """The key must carry the view's `required_scope` (CONTRACTS §2): none → 401, wrong → 403."""

    def has_permission(self, request: Any, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            raise exceptions.NotAuthenticated(
                "An API key is required: 'Authorization: Bearer <key>'."
            )
        required = getattr(view, "required_scope", None)
        if required is None:
            raise exceptions.PermissionDenied("This endpoint declares no scope.")
        if required not in api_key.scopes:
            raise exceptions.PermissionDenied(f"This key lacks the '{required}' scope.")
        return True


def request_business(request: Any) -> Any:
    """The business an API request works in: the key's."""
    return request.auth.business
