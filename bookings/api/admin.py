"""Managing the book over the API (scope `admin`), CONTRACTS.md §4.

Services, staff with their weekly hours and exceptions, customers, appointments. Every
query starts from the key's business; another business's id answers 404. Writes go
through bookings.catalog and bookings.services, the same functions the console uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api.errors import booking_api_error
from bookings.api.representations import appointment_json
from bookings.api.tools import AwareDateTimeField, FlexibleId, service_resolve, staff_resolve
from bookings.catalog import services as catalog
from bookings.catalog.services import HoursInterval
from bookings.days import FAR_OFF, day_within_reach
from bookings.models import (
    Appointment,
    Customer,
    Service,
    StaffException,
    StaffMember,
    WorkingHours,
)
from bookings.selectors import appointment_by_reference, appointments_base, customer_by_phone
from bookings.services import (
    BookingError,
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    appointment_status_set,
    customer_upsert,
)
from console.api.errors import ApiError
from console.audit.log import audit_log_write
from console.tenancy.models import Business


class AdminView(GenericAPIView):
    required_scope = "admin"

    @property
    def business(self) -> Business:
        return self.request.auth.business

    def valid(self, serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> Any:
        if not isinstance(data, dict):
            raise ApiError(400, "invalid", "The body must be a JSON object.")
        serializer = serializer_class(data=data, **kw)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def page(self, queryset: QuerySet[Any], render: Any) -> Response:
        page = self.paginate_queryset(queryset)
        items = page if page is not None else list(queryset)
        data = [render(item) for item in items]
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)


# --- Services ----------------------------------------------------------------------------


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=30
    )
    duration_minutes = serializers.IntegerField(min_value=5, max_value=720)
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=240, required=False)
    price_cents = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    active = serializers.BooleanField(required=False)


def service_json(service: Service) -> dict[str, Any]:
    return ServiceSerializer(service).data


class ServiceList(AdminView):
    is_list_view = True
    serializer_class = ServiceSerializer

    def get(self, request: Request) -> Response:
        return self.page(Service.objects.filter(business=self.business), service_json)

    def post(self, request: Request) -> Response:
        data = self.valid(ServiceSerializer, request.data)
        try:
            service = catalog.service_create(business=self.business, **data)
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(service_json(service), status=201)


class ServiceDetail(AdminView):
    serializer_class = ServiceSerializer

    def get_object(self) -> Service:
        return get_object_or_404(Service, business=self.business, pk=self.kwargs["pk"])

    def get(self, request: Request, pk: int) -> Response:
        return Response(service_json(self.get_object()))

    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        service = self.get_object()
        data = self.valid(ServiceSerializer, request.data, partial=partial)
        try:
            catalog.service_update(service=service, changes=dict(data))
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(service_json(service))

    def delete(self, request: Request, pk: int) -> Response:
        catalog.service_delete(service=self.get_object())
        return Response(status=204)


# --- Staff --------------------------------------------------------------------------------


class HoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": "Must be after start."})
        return attrs


class StaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    services = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    hours = HoursSerializer(many=True, required=False)
    active = serializers.BooleanField(required=False)


def staff_json(staff: StaffMember) -> dict[str, Any]:
    return {
        "id": staff.pk,
        "name": staff.name,
        "services": sorted(s.pk for s in staff.services.all()),
        "hours": [
            {"weekday": h.weekday, "start": f"{h.start:%H:%M}", "end": f"{h.end:%H:%M}"}
            for h in staff.hours.all()
        ],
        "active": staff.active,
    }


def _staff_queryset(business: Business) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(business=business).prefetch_related(
        Prefetch("services", queryset=Service.objects.only("id")),
        Prefetch("hours", queryset=WorkingHours.objects.order_by("weekday", "start")),
    )


def _hours(data: list[dict[str, Any]] | None) -> list[HoursInterval] | None:
    if data is None:
        return None
    return [HoursInterval(h["weekday"], h["start"], h["end"]) for h in data]


class StaffList(AdminView):
    is_list_view = True
    serializer_class = StaffSerializer

    def get(self, request: Request) -> Response:
        return self.page(_staff_queryset(self.business), staff_json)

    def post(self, request: Request) -> Response:
        data = self.valid(StaffSerializer, request.data)
        try:
            staff = catalog.staff_create(
                business=self.business,
                name=data["name"],
                service_ids=data.get("services", []),
                hours=_hours(data.get("hours")) or [],
                active=data.get("active", True),
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(staff_json(_staff_queryset(self.business).get(pk=staff.pk)), status=201)


class StaffDetail(AdminView):
    serializer_class = StaffSerializer

    def get_object(self) -> StaffMember:
        return get_object_or_404(_staff_queryset(self.business), pk=self.kwargs["pk"])

    def get(self, request: Request, pk: int) -> Response:
        return Response(staff_json(self.get_object()))

    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        staff = self.get_object()
        data = self.valid(StaffSerializer, request.data, partial=partial)
        try:
            catalog.staff_update(
                staff=staff,
                name=data.get("name"),
                service_ids=data.get("services", None if partial else []),
                hours=_hours(data.get("hours", None if partial else [])),
                active=data.get("active"),
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(staff_json(self.get_object()))

    def delete(self, request: Request, pk: int) -> Response:
        catalog.staff_delete(staff=self.get_object())
        return Response(status=204)


class ExceptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    kind = serializers.ChoiceField(choices=StaffException.Kind.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


def exception_json(exception: StaffException, business: Business) -> dict[str, Any]:
    tz = business.tz
    return {
        "id": exception.pk,
        "start": exception.start.astimezone(tz).isoformat(),
        "end": exception.end.astimezone(tz).isoformat(),
        "kind": exception.kind,
        "note": exception.note,
    }


class StaffExceptionList(AdminView):
    is_list_view = True
    serializer_class = ExceptionSerializer

    def staff(self) -> StaffMember:
        return get_object_or_404(StaffMember, business=self.business, pk=self.kwargs["pk"])

    def get(self, request: Request, pk: int) -> Response:
        return self.page(
            StaffException.objects.filter(staff=self.staff()),
            lambda e: exception_json(e, self.business),
        )

    def post(self, request: Request, pk: int) -> Response:
        staff = self.staff()
        data = self.valid(ExceptionSerializer, request.data)
        try:
            exception = catalog.staff_exception_create(staff=staff, **data)
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(exception_json(exception, self.business), status=201)


class StaffExceptionDetail(AdminView):
    serializer_class = ExceptionSerializer

    def get_object(self) -> StaffException:
        return get_object_or_404(
            StaffException,
            staff__business=self.business,
            staff_id=self.kwargs["pk"],
            pk=self.kwargs["exception_pk"],
        )

    def get(self, request: Request, pk: int, exception_pk: int) -> Response:
        return Response(exception_json(self.get_object(), self.business))

    def delete(self, request: Request, pk: int, exception_pk: int) -> Response:
        catalog.staff_exception_delete(exception=self.get_object())
        return Response(status=204)


# --- Customers ----------------------------------------------------------------------------


class CustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)


def customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
    }


def _count(data: Any) -> int:
    return len(data["results"]) if isinstance(data, dict) else len(data)


def _personal_data_read(
    request: Request, action: str, *, count: int, obj: Customer | Appointment | None = None
) -> None:
    """Full phone numbers went out: who read how many is in the audit log (as for reveals)."""
    audit_log_write(
        action=action,
        business=request.auth.business,
        api_key=request.auth,
        obj=obj,
        request=request._request,
        # The filters' names only: their values can be personal data too (a phone number).
        data={"count": count, "filters": sorted(k for k, v in request.query_params.items() if v)},
    )


class CustomerList(AdminView):
    is_list_view = True
    serializer_class = CustomerSerializer

    @extend_schema(parameters=[OpenApiParameter("phone", str, description="any format")])
    def get(self, request: Request) -> Response:
        customers = Customer.objects.filter(business=self.business)
        phone = request.query_params.get("phone")
        if phone:
            found = customer_by_phone(business=self.business, phone=phone)
            customers = customers.filter(pk=found.pk) if found else customers.none()
        response = self.page(customers, customer_json)
        _personal_data_read(request, "customers.listed", count=_count(response.data))
        return response

    def post(self, request: Request) -> Response:
        data = self.valid(CustomerSerializer, request.data)
        if customer_by_phone(business=self.business, phone=data["phone"]) is not None:
            raise ApiError(
                409, "conflict", "A customer has that phone number.", fields={"phone": "taken"}
            )
        try:
            customer = customer_upsert(
                business=self.business,
                details=CustomerDetails.from_body(data),
            )
        except BookingError as exc:
            raise ApiError(400, "invalid", exc.message, fields={"phone": exc.message}) from exc
        return Response(customer_json(customer), status=201)


class CustomerDetail(AdminView):
    serializer_class = CustomerSerializer

    def get_object(self) -> Customer:
        return get_object_or_404(Customer, business=self.business, pk=self.kwargs["pk"])

    def get(self, request: Request, pk: int) -> Response:
        customer = self.get_object()
        _personal_data_read(request, "customers.read", count=1, obj=customer)
        return Response(customer_json(customer))

    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        customer = self.get_object()
        data = self.valid(CustomerSerializer, request.data, partial=partial)
        try:
            catalog.customer_update(
                customer=customer,
                name=data.get("name"),
                phone=data.get("phone"),
                email=data.get("email"),
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(customer_json(customer))

    def delete(self, request: Request, pk: int) -> Response:
        try:
            catalog.customer_delete(customer=self.get_object())
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(status=204)


# --- Appointments -------------------------------------------------------------------------


class AppointmentCreateSerializer(serializers.Serializer):
    service = FlexibleId()
    start = AwareDateTimeField()
    staff = FlexibleId(required=False, allow_null=True)
    customer = CustomerSerializer()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    enforce_rules = serializers.BooleanField(required=False, default=True)


class AppointmentUpdateSerializer(serializers.Serializer):
    start = AwareDateTimeField(required=False)
    staff = FlexibleId(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Appointment.Status.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    enforce_rules = serializers.BooleanField(required=False, default=True)


def _full(appointment: Appointment) -> dict[str, Any]:
    return {
        **appointment_json(appointment, full_phone=True),
        "source": appointment.source,
        "notes": appointment.notes,
    }


class AppointmentList(AdminView):
    is_list_view = True
    serializer_class = AppointmentCreateSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("date", str, description="YYYY-MM-DD, the business's local day"),
            OpenApiParameter("staff", int),
            OpenApiParameter("status", str),
            OpenApiParameter("phone", str),
        ]
    )
    def get(self, request: Request) -> Response:
        business = self.business
        appointments = appointments_base(business=business).select_related("business")
        params = request.query_params
        if params.get("date"):
            try:
                day = datetime.strptime(params["date"], "%Y-%m-%d").date()  # noqa: DTZ007
            except ValueError:
                raise ApiError(
                    400, "invalid", "date is YYYY-MM-DD.", fields={"date": "bad"}
                ) from None
            if not day_within_reach(day):
                raise ApiError(400, "invalid", FAR_OFF, fields={"date": FAR_OFF})
            start = datetime.combine(day, time(0), tzinfo=business.tz).astimezone(UTC)
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=business.tz)
            appointments = appointments.filter(start__gte=start, start__lt=end)
        if params.get("staff"):
            if not params["staff"].isdigit():
                raise ApiError(400, "invalid", "staff is an id.", fields={"staff": "bad"})
            appointments = appointments.filter(staff_id=int(params["staff"]))
        if params.get("status"):
            if params["status"] not in Appointment.Status.values:
                raise ApiError(400, "invalid", "Unknown status.", fields={"status": "bad"})
            appointments = appointments.filter(status=params["status"])
        if params.get("phone"):
            customer = customer_by_phone(business=business, phone=params["phone"])
            appointments = (
                appointments.filter(customer=customer) if customer else appointments.none()
            )
        response = self.page(appointments.order_by("start", "id"), _full)
        _personal_data_read(request, "appointments.listed", count=_count(response.data))
        return response

    def post(self, request: Request) -> Response:
        business = self.business
        data = self.valid(AppointmentCreateSerializer, request.data)
        service = service_resolve(business=business, value=data["service"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        try:
            appointment = appointment_book(
                business=business,
                service=service,
                staff=staff,
                start=data["start"],
                customer=CustomerDetails.from_body(data["customer"]),
                notes=data.get("notes", ""),
                source=Appointment.Source.API,
                api_key=request.auth,
                enforce_rules=data["enforce_rules"],
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(_full(appointment), status=201)


class AppointmentDetail(AdminView):
    serializer_class = AppointmentUpdateSerializer

    def get_object(self) -> Appointment:
        appointment = appointment_by_reference(
            business=self.business, reference=self.kwargs["reference"]
        )
        if appointment is None:
            raise ApiError(404, "not_found", "No appointment has that reference.")
        return appointment

    def get(self, request: Request, reference: str) -> Response:
        appointment = self.get_object()
        _personal_data_read(request, "appointments.read", count=1, obj=appointment)
        return Response(_full(appointment))

    def patch(self, request: Request, reference: str) -> Response:
        """`start` (and/or `staff`) moves it; `status` changes its status or cancels it."""
        appointment = self.get_object()
        data = self.valid(AppointmentUpdateSerializer, request.data)
        try:
            if "start" in data or data.get("staff") is not None:
                staff = staff_resolve(business=self.business, value=data.get("staff"))
                appointment = appointment_reschedule(
                    appointment=appointment,
                    start=data.get("start") or appointment.start,
                    staff=staff,
                    source=Appointment.Source.API,
                    api_key=request.auth,
                    enforce_rules=data["enforce_rules"],
                )
            if data.get("status") == Appointment.Status.CANCELLED:
                appointment = appointment_cancel(
                    appointment=appointment,
                    reason=data.get("reason", ""),
                    source=Appointment.Source.API,
                    api_key=request.auth,
                )
            elif data.get("status"):
                appointment = appointment_status_set(
                    appointment=appointment,
                    status=data["status"],
                    api_key=request.auth,
                    source=Appointment.Source.API,
                )
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(_full(self.get_object()))

    def delete(self, request: Request, reference: str) -> Response:
        """Cancels it (the record and its reference stay)."""
        try:
            appointment = appointment_cancel(
                appointment=self.get_object(),
                source=Appointment.Source.API,
                api_key=request.auth,
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=self.business.tz) from exc
        return Response(_full(appointment))
