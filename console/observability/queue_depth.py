"""Celery's queue depth, read from the broker when /metrics is scraped (not counted in
process): a Redis list per queue, under the broker's key prefix."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)


class CeleryQueueDepth(Collector):
    def __init__(self, *, redis_url: str, key: str) -> None:
        self.redis_url = redis_url
        self.key = key

    def collect(self) -> Iterator[GaugeMetricFamily]:
        import redis

        family = GaugeMetricFamily(
            "console_celery_queue_depth", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        try:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=1)
            depth = client.llen(self.key)
        except redis.RedisError as exc:
            logger.warning("celery queue depth unavailable: %s", exc)
            return
        family.add_metric([self.key.rsplit(":", 1)[-1]], float(depth))  # type: ignore[arg-type]
        yield family
