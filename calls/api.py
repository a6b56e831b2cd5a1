"""The voice gateway's events endpoint (CONTRACTS §3): `events_receive`, one plain function
served two ways. In the ASGI server it runs straight from console.api.hot_routes (the
gateway's stream is the one hot path: bench/ingest.py); anywhere else (Django's test client,
a WSGI server, any request the hot route hands on) EventsView calls the same function.
"""

from __future__ import annotations

import math
import os
import threading
import time
from typing import ClassVar

from django.http import HttpRequest
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.ingest import call_events_ingest
from calls.validation import InvalidEvents, events_parse
from console.api.endpoint import ApiReply, api_key_from_header, api_key_require, json_body
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


def events_receive(request: HttpRequest) -> ApiReply:
    """POST /api/v1/events: one event or a batch; 202 with accepted and duplicate counts."""
    try:
        header = request.headers.get("Authorization", "")
        api_key = api_key_require(api_key_from_header(header), "ingest", write=True)
        IngestRate.check(api_key.pk)
        body = json_body(request)
        business = api_key.business
        try:
            events = events_parse(body, region=business.default_region)
        except InvalidEvents as exc:
            raise ApiError(400, "invalid_events", exc.message, fields=exc.fields) from exc
        result = call_events_ingest(business=business, events=events)
    except ApiError as exc:
        return ApiReply.error(exc)
    return ApiReply(202, {"accepted": result.accepted, "duplicates": result.duplicates})


# events_receive for Django's handler. DRF's own checks are off here: the function runs them
# (the same ones, see console.api.endpoint), whichever way the request came. The
# authentication and parser classes stay to describe the key and the body in the schema.
class EventsView(APIView):
    permission_classes: ClassVar[list] = []
    throttle_classes: ClassVar[list] = []

    def perform_authentication(self, request: Request) -> None:
        pass  # events_receive authenticates

    @extend_schema(
        summary="Send call events (one, or a batch of up to 500)",
        request=dict,
        responses={
            202: OpenApiResponse(description='{"accepted": N, "duplicates": M}'),
            400: OpenApiResponse(description="invalid_events: per-index field errors"),
        },
    )
    def post(self, request: Request) -> Response:
        reply = events_receive(request._request)
        return Response(reply.body, status=reply.status, headers=reply.headers)
