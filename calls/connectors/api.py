"""POST /api/v1/connectors/<connector id>/retell|vapi (CONTRACTS §8): no API key, the
platform's signature is the authentication. Thin: the work is connector_delivery_receive."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.http import parse_header_parameters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.connectors.services import ConnectorError, connector_delivery_receive
from console.api.endpoint import json_decode
from console.api.errors import ApiError, error_body


class ConnectorWebhookView(APIView):
    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = []
    throttle_classes: ClassVar[list] = []

    def perform_authentication(self, request: Request) -> None:
        pass  # the platform's signature, checked in connector_delivery_receive

    @extend_schema(
        summary="Receive a Retell or Vapi webhook (signed by the platform)",
        request=dict,
        responses={
            202: OpenApiResponse(description='{"accepted": N, "duplicates": M}'),
            401: OpenApiResponse(description="bad_signature"),
            404: OpenApiResponse(description="not_found: no such connector"),
        },
    )
    def post(self, request: Request, connector_id: str, platform: str) -> Response:
        try:
            result = connector_delivery_receive(
                connector_id=connector_id,
                platform=platform,
                body=request.body,
                headers=request.headers,
                decode=lambda: _json_body(request),
                request=request,
            )
        except ConnectorError as exc:
            refusal = error_body(exc.code, exc.message, exc.fields)
            return Response(refusal, status=exc.status, headers=exc.headers)
        except ApiError as exc:
            return Response(exc.body(), status=exc.status_code, headers=exc.headers)
        body: dict[str, object] = {"accepted": result.accepted, "duplicates": result.duplicates}
        if result.ignored:
            body["ignored"] = result.ignored
        return Response(body, status=202)


def _json_body(request: Request) -> Any:
    """The raw body as JSON (the signature covers those bytes): 415 unless sent as JSON."""
    media_type, _params = parse_header_parameters(request.content_type or "")
    if media_type.lower() != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            f'Unsupported media type "{request.content_type}": send application/json.',
        )
    return json_decode(request.body)
