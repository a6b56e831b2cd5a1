from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from console.api.errors import ApiError
from console.models import ApiKey
from console.trials import business_is_read_only


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
        if request.method not in SAFE_METHODS and business_is_read_only(api_key.business):
            raise ApiError(
                402,
                "trial_expired",
                "This business's trial has ended without a plan: the API is read-only until "
                "an owner subscribes in the console.",
            )
        return True


def request_business(request: Any) -> Any:
    """The business an API request works in: the key's."""
    return request.auth.business
