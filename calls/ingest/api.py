"""The voice gateway's events endpoint (CONTRACTS §3): a thin DRF view over
calls.ingest.services.call_events_ingest."""

from __future__ import annotations

import math
import os
import threading
import time
from typing import ClassVar

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.ingest.services import call_events_ingest
from calls.ingest.validation import InvalidEvents, events_parse
from console.api.errors import ApiError


class IngestRate:
    """A per-key, per-process fixed window (INGEST_RATE_LIMIT per minute, default 60,000).

    The gateway streams events, so the ingest endpoint keeps its own, higher limit and
    counts in memory rather than paying two Redis round trips per request; with several
    server processes the effective limit is that many times higher, which is the point of
    a limit meant to stop a runaway client, not to meter one.
    """

    _windows: ClassVar[dict[int, list[float]]] = {}
    _lock = threading.Lock()

    @classmethod
    def check(cls, key_pk: int) -> None:
        """429 with Retry-After once the key is over its limit for this minute."""
        limit = int(os.environ.get("INGEST_RATE_LIMIT", "60000"))
        now = time.monotonic()
        with cls._lock:
            window = cls._windows.setdefault(key_pk, [now, 0])
            if now - window[0] >= 60:
                window[0], window[1] = now, 0
            window[1] += 1
            if window[1] <= limit:
                return
            wait = max(1, math.ceil(60 - (now - window[0])))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests for this key: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


class EventsView(APIView):
    """POST /api/v1/events: one event or a batch; 202 with accepted and duplicate counts.
    The key (401/403/402) and the body (415/413/400) are checked as for every endpoint."""

    required_scope = "ingest"
    throttle_classes: ClassVar[list] = []  # IngestRate below: the gateway streams

    @extend_schema(
        summary="Send call events (one, or a batch of up to 500)",
        request=dict,
        responses={
            202: OpenApiResponse(description='{"accepted": N, "duplicates": M}'),
            400: OpenApiResponse(description="invalid_events: per-index field errors"),
        },
    )
    def post(self, request: Request) -> Response:
        IngestRate.check(request.auth.pk)
        business = request.auth.business
        try:
            events = events_parse(request.data, region=business.default_region)
        except InvalidEvents as exc:
            raise ApiError(400, "invalid_events", exc.message, fields=exc.fields) from exc
        result = call_events_ingest(business=business, events=events)
        return Response({"accepted": result.accepted, "duplicates": result.duplicates}, status=202)
