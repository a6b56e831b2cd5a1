from __future__ import annotations

import logging
from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from console.api.backing_services import UNAVAILABLE, EveryFewSeconds

logger = logging.getLogger(__name__)
_warn = EveryFewSeconds(10)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Per-key request rate; a burst past it answers 429 with Retry-After.

    The counts live in the cache (Redis in production). While it cannot be reached the
    rate is not checked (fails open, with a log line every few seconds): a limit we cannot
    count is no reason to refuse the voice agent's booking tools."""

    scope = "api_key"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        key = getattr(request, "auth", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except UNAVAILABLE as exc:
            if _warn.due():
                logger.warning("API rate limit not checked: the cache is unreachable (%s)", exc)
            return True
