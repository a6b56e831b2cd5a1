"""GET /metrics: the Prometheus exposition, for a scraper holding METRICS_TOKEN."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.registry import REGISTRY

from console.observability.metrics import MULTIPROCESS
from console.observability.queue_depth import CeleryQueueDepth


def _registry() -> CollectorRegistry:
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return registry


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404  # not configured: there is nothing here
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A valid metrics token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = _registry()
    output = generate_latest(registry)
    if settings.REDIS_URL:
        queue = CollectorRegistry()
        queue.register(
            CeleryQueueDepth(
                redis_url=settings.REDIS_URL,
                key=f"{settings.CELERY_BROKER_TRANSPORT_OPTIONS['global_keyprefix']}"
                f"{settings.CELERY_TASK_DEFAULT_QUEUE}",
            )
        )
        output += generate_latest(queue)
    response = HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
