"""`/api/v1/waitlist` (scope `admin`), CONTRACTS.md §4: list, create, read, delete. Every
query starts from the key's business; another business's id answers 404."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api.admin import AdminView
from bookings.api.errors import booking_api_error
from bookings.api.representations import service_brief, staff_brief
from bookings.api.tools import (
    AwareDateTimeField,
    CustomerBody,
    FlexibleId,
    service_resolve,
    staff_resolve,
)
from bookings.models import WaitlistEntry
from bookings.services import BookingError, CustomerDetails
from bookings.waitlist.services import waitlist_join, waitlist_position, waitlist_remove
from console.api.errors import ApiError
from console.privacy.phones import phone_mask


def waitlist_json(entry: WaitlistEntry) -> dict[str, Any]:
    tz = entry.business.tz
    return {
        "id": entry.pk,
        "service": service_brief(entry.service),
        "staff": staff_brief(entry.staff) if entry.staff else None,
        "from": entry.start.astimezone(tz).isoformat(),
        "to": entry.end.astimezone(tz).isoformat(),
        "customer": {
            "id": entry.customer_id,
            "name": entry.customer.name,
            "phone": phone_mask(entry.customer.phone),
        },
        "status": entry.status,
        "position": waitlist_position(entry=entry),
        "offered_start": entry.offered_start.astimezone(tz).isoformat()
        if entry.offered_start
        else None,
    }


class WaitlistSerializer(serializers.Serializer):
    service = FlexibleId()
    to = AwareDateTimeField()
    staff = FlexibleId(required=False, allow_null=True)
    customer = CustomerBody()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = AwareDateTimeField()  # `from` is a Python keyword
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "Must be after from."})
        return attrs


STATUSES = [s.value for s in WaitlistEntry.Status]


class WaitlistList(AdminView):
    is_list_view = True
    serializer_class = WaitlistSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=STATUSES)])
    def get(self, request: Request) -> Response:
        entries = WaitlistEntry.objects.filter(business=self.business).select_related(
            "business", "service", "staff", "customer"
        )
        status = request.query_params.get("status")
        if status:
            if status not in STATUSES:
                raise ApiError(400, "invalid", "Unknown status.", fields={"status": STATUSES})
            entries = entries.filter(status=status)
        return self.page(entries.order_by("created_at", "id"), waitlist_json)

    def post(self, request: Request) -> Response:
        data = self.valid(WaitlistSerializer, request.data)
        business = self.business
        service = service_resolve(business=business, value=data["service"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        try:
            entry = waitlist_join(
                business=business,
                service=service,
                staff=staff,
                start=data["from"],
                end=data["to"],
                customer=CustomerDetails.from_body(data["customer"]),
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(waitlist_json(entry), status=201)


class WaitlistDetail(AdminView):
    serializer_class = WaitlistSerializer

    def get_object(self) -> WaitlistEntry:
        return get_object_or_404(
            WaitlistEntry.objects.select_related("business", "service", "staff", "customer"),
            business=self.business,
            pk=self.kwargs["pk"],
        )

    def get(self, request: Request, pk: int) -> Response:
        return Response(waitlist_json(self.get_object()))

    def delete(self, request: Request, pk: int) -> Response:
        waitlist_remove(entry=self.get_object())
        return Response(status=204)
