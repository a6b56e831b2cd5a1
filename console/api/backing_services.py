"""When a backing service (Redis: cache, channel layer, Celery's broker) cannot be reached.

The API degrades where it can (the rate limit is not checked: console.api.throttling) and
otherwise answers 503 with Retry-After (CONTRACTS §2), never a 500: the client's retry is
safe (event ids, Idempotency-Key) and will be served once the service is back.
"""

from __future__ import annotations

import logging
import time

from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from console.api.errors import ApiError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, BrokerUnavailable)


def backing_service_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE)


def unavailable_error() -> ApiError:
    return ApiError(
        503,
        "unavailable",
        "A service this request needs is unavailable; retry shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class EveryFewSeconds:
    """A log line at most once per `seconds`: while Redis is down, every request notices."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.last = -seconds

    def due(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True
