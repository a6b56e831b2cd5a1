"""The voice gateway's events endpoint (CONTRACTS §3)."""

from __future__ import annotations

import os
import threading
import time
from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from calls.ingest import call_events_ingest
from calls.validation import InvalidEvents, events_parse
from console.api.errors import ApiError


class IngestRateThrottle(BaseThrottle):
    """A per-key, per-process fixed window (INGEST_RATE_LIMIT per minute, default 60,000).

    The gateway streams events, so the ingest endpoint keeps its own, higher limit and
    counts in memory rather than paying two Redis round trips per request; with several
    server processes the effective limit is that many times higher, which is the point of
    a limit meant to stop a runaway client, not to meter one.
    """

    _windows: ClassVar[dict[int, list[float]]] = {}
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.limit = int(os.environ.get("INGEST_RATE_LIMIT", "60000"))
        self.wait_s = 0.0

    def allow_request(self, request: Any, view: Any) -> bool:
        key = getattr(request, "auth", None)
        if key is None:
            return True
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(key.pk, [now, 0])
            if now - window[0] >= 60:
                window[0], window[1] = now, 0
            window[1] += 1
            if window[1] <= self.limit:
                return True
            self.wait_s = 60 - (now - window[0])
            return False

    def wait(self) -> float | None:
        return self.wait_s


class EventsView(APIView):
    required_scope = "ingest"
    throttle_classes = [IngestRateThrottle]

    @extend_schema(
        summary="Send call events (one, or a batch of up to 500)",
        request=dict,
        responses={
            202: OpenApiResponse(description='{"accepted": N, "duplicates": M}'),
            400: OpenApiResponse(description="invalid_events: per-index field errors"),
        },
    )
    def post(self, request: Request) -> Response:
        business = request.auth.business
        try:
            events = events_parse(request.data, region=business.default_region)
        except InvalidEvents as exc:
            raise ApiError(400, "invalid_events", exc.message, fields=exc.fields) from exc
        result = call_events_ingest(business=business, events=events)
        return Response({"accepted": result.accepted, "duplicates": result.duplicates}, status=202)
