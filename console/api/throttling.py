from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Per-key request rate; a burst past it answers 429 with Retry-After."""

    scope = "api_key"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        key = getattr(request, "auth", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
