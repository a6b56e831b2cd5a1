"""The voice gateway's events endpoint (CONTRACTS §3)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from calls.ingest import call_events_ingest
from calls.validation import InvalidEvents, events_parse
from console.api.errors import ApiError


class IngestRateThrottle(SimpleRateThrottle):
    """The gateway streams events: its own, higher per-key rate (INGEST_RATE_LIMIT)."""

    scope = "ingest"

    def get_rate(self) -> str | None:
        from django.conf import settings

        return getattr(settings, "INGEST_RATE_LIMIT", "60000/min")

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        key = getattr(request, "auth", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}


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
