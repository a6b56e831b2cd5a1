from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from console.api.endpoint import NO_KEY, api_key_require
from console.tenancy.models import ApiKey


class HasScope(BasePermission):
    """The key must carry the view's `required_scope` (CONTRACTS §2): none → 401, wrong → 403."""

    def has_permission(self, request: Any, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            raise exceptions.NotAuthenticated(NO_KEY)
        required = getattr(view, "required_scope", None)
        api_key_require(api_key, required, write=request.method not in SAFE_METHODS)
        return True


def request_business(request: Any) -> Any:
    """The business an API request works in: the key's."""
    return request.auth.business
