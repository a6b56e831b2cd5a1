"""Every request's latency, labelled by its route's name (never its path)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from console.observability.metrics import HTTP_REQUEST_SECONDS


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "") or "unmatched"
        HTTP_REQUEST_SECONDS.labels(
            route, request.method or "", f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response
