"""/api/v1/business: read and update the key's business and its booking rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from console.tenancy.models import Business, validate_timezone
from console.tenancy.services import business_update


class BusinessSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField(validators=[validate_timezone])
    prefix = serializers.RegexField(
        r"^[A-Z]{2,4}$", error_messages={"invalid": "2 to 4 capital letters."}
    )
    slot_interval_minutes = serializers.IntegerField(min_value=5, max_value=240)
    min_notice_minutes = serializers.IntegerField(min_value=0, max_value=60 * 24 * 30)
    max_advance_days = serializers.IntegerField(min_value=1, max_value=730)
    cancellation_window_hours = serializers.IntegerField(min_value=0, max_value=24 * 14)

    class Meta:
        model = Business
        fields = [
            "name",
            "slug",
            "kind",
            "timezone",
            "prefix",
            "slot_interval_minutes",
            "min_notice_minutes",
            "max_advance_days",
            "cancellation_window_hours",
        ]
        read_only_fields = ["slug", "kind"]


class BusinessView(APIView):
    required_scope = "admin"

    @extend_schema(responses=BusinessSerializer)
    def get(self, request: Request) -> Response:
        return Response(BusinessSerializer(request.auth.business).data)

    @extend_schema(request=BusinessSerializer, responses=BusinessSerializer)
    def patch(self, request: Request) -> Response:
        return self._update(request, partial=True)

    @extend_schema(request=BusinessSerializer, responses=BusinessSerializer)
    def put(self, request: Request) -> Response:
        return self._update(request, partial=False)

    def _update(self, request: Request, *, partial: bool) -> Response:
        business: Business = request.auth.business
        serializer = BusinessSerializer(business, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes: dict[str, Any] = dict(serializer.validated_data)
        try:
            business_update(
                business=business,
                changes=changes,
                by=None,
                api_key=request.auth,
                request=request._request,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(BusinessSerializer(business).data)
