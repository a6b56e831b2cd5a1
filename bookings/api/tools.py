"""The voice agent's tools, CONTRACTS.md §4: `POST /api/v1/tools/<name>` (scope `tools`).

Each view parses its body, calls one function of bookings, and renders its result. A body
with `call_id` is recorded on that call (calls.ingest.services.tool_invocation_record) with its
latency and outcome, whether it worked or not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.errors import booking_api_error
from bookings.api.representations import appointment_json, service_brief, slot_json, staff_brief
from bookings.days import moment_within_reach
from bookings.holds import HOLD_MINUTES_DEFAULT, HOLD_MINUTES_MAX, hold_book, hold_create
from bookings.matching import service_match
from bookings.models import Appointment, IdempotencyRecord, Service, SlotHold, StaffMember
from bookings.selectors import (
    appointment_by_reference,
    appointments_for_phone,
    availability_list,
    service_with_staff,
    services_active,
)
from bookings.services import (
    BookingError,
    CustomerDetails,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from bookings.waitlist.services import waitlist_join, waitlist_position
from calls.ingest.services import tool_invocation_record
from calls.models import Call
from console.api.errors import ApiError
from console.tenancy.models import Business

logger = logging.getLogger(__name__)

MAX_RANGE_DAYS = 31
SOURCE = Appointment.Source.VOICE


# --- Resolving what the agent said ------------------------------------------------------


def service_resolve(*, business: Business, value: Any) -> Service:
    """An id, a name, an alias or a spoken phrase → one active service; or a 4xx ApiError."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        service = service_with_staff(business=business, service_id=int(value))
        if service is None:
            raise ApiError(404, "not_found", "No such service.", fields={"service": "unknown id"})
        return service
    text = str(value or "").strip()
    services = list(services_active(business=business))
    for service in services:
        names = [service.name, *service.aliases]
        if any(text.lower() == name.lower() for name in names):
            return service
    result = service_match(query=text, services=services)
    if result.match is not None:
        return result.match.service
    raise ApiError(
        400,
        "unknown_service",
        f"No service clearly matches {text!r}.",
        fields={"service": "not a service of this business"},
        extra={"alternatives": [_match_json(m) for m in result.alternatives]},
    )


def staff_resolve(*, business: Business, value: Any) -> StaffMember | None:
    if value in (None, "", "any", "anyone"):
        return None
    people = StaffMember.objects.filter(business=business, active=True)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        staff = people.filter(pk=int(value)).first()
        if staff is None:
            raise ApiError(404, "not_found", "No such staff member.", fields={"staff": "unknown"})
        return staff
    text = str(value).strip()
    matches = list(people.filter(name__iexact=text)) or list(people.filter(name__istartswith=text))
    if len(matches) != 1:
        raise ApiError(
            400,
            "unknown_staff",
            f"No one clearly called {text!r} works here.",
            fields={"staff": "not a staff member of this business"},
        )
    return matches[0]


def _match_json(match: Any) -> dict[str, Any]:
    return {**service_brief(match.service), "score": match.score}


def _aware(value: datetime, name: str) -> datetime:
    if timezone.is_naive(value):
        raise ApiError(
            400, "invalid", "Times need a UTC offset.", fields={name: "add an offset, e.g. -05:00"}
        )
    return value


def _appointment_for(business: Business, reference: str) -> Appointment:
    appointment = appointment_by_reference(business=business, reference=reference)
    if appointment is None:
        raise ApiError(
            404, "not_found", "No appointment has that reference.", fields={"reference": "unknown"}
        )
    return appointment


# --- The views ---------------------------------------------------------------------------


class ToolView(APIView):
    """Times each call and records it on the call named by `call_id`, if any."""

    required_scope = "tools"
    tool_name: ClassVar[str] = ""
    body: ClassVar[type[serializers.Serializer]]
    summary: ClassVar[str] = ""
    schema_parameters: ClassVar[list[OpenApiParameter]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every tool's OpenAPI entry from its declared body and summary, in one place.
        super().__init_subclass__(**kwargs)
        extend_schema_view(
            post=extend_schema(
                request=cls.body,
                responses=OpenApiTypes.OBJECT,
                summary=cls.summary,
                parameters=cls.schema_parameters,
            )
        )(cls)

    def post(self, request: Request) -> Response:
        started = time.perf_counter()
        business: Business = request.auth.business
        try:
            response = self.handle(request, business)
        except ApiError as exc:
            self._record(request, business, exc.status_code, _error_json(exc), started)
            raise
        self._record(request, business, response.status_code, response.data, started)
        self.recorded(request, business, response)
        return response

    def recorded(self, request: Request, business: Business, response: Response) -> None:
        """After the invocation is recorded on its call (which may have been created then)."""

    def parsed(self, request: Request) -> dict[str, Any]:
        if not isinstance(request.data, dict):
            raise ApiError(400, "invalid", "The body must be a JSON object.")
        serializer = self.body(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def handle(self, request: Request, business: Business) -> Response:
        raise NotImplementedError

    def _record(
        self, request: Request, business: Business, status: int, result: Any, started: float
    ) -> None:
        data = request.data if isinstance(request.data, dict) else {}
        call_id = data.get("call_id")
        if not isinstance(call_id, str) or not call_id.strip():
            return
        arguments = {k: v for k, v in data.items() if k != "call_id"}
        try:
            tool_invocation_record(
                business=business,
                call_id=call_id.strip()[:128],
                name=self.tool_name,
                arguments=arguments,
                result=result if isinstance(result, dict) else {"result": result},
                ok=status < 400,
                latency_ms=round((time.perf_counter() - started) * 1000),
            )
        except Exception:  # the agent's answer matters more than our record of it
            logger.exception("could not record tool %s on call %s", self.tool_name, call_id)


def _error_json(exc: ApiError) -> dict[str, Any]:
    return {"error": exc.code, "message": exc.message, "fields": exc.fields, **exc.extra}


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a UTC offset; a time without one is refused, not guessed."""

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            raise serializers.ValidationError("Times need a UTC offset, e.g. -05:00.")
        if not moment_within_reach(value):
            raise serializers.ValidationError("That time is years away from now.")
        return value


class CallIdField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_blank=True, max_length=128, **kwargs)


class MatchServiceBody(serializers.Serializer):
    query = serializers.CharField(max_length=200)
    call_id = CallIdField()


class MatchServiceView(ToolView):
    tool_name = "match_service"
    body = MatchServiceBody

    summary = "Match a spoken phrase to a service"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        result = service_match(query=data["query"], services=services_active(business=business))
        return Response(
            {
                "match": _match_json(result.match) if result.match else None,
                "alternatives": [_match_json(m) for m in result.alternatives],
            }
        )


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class FlexibleId(serializers.Field):
    """An id (number) or a name / phrase (string)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError("Give an id or a name.")
        if isinstance(data, str) and not data.strip():
            raise serializers.ValidationError("This field may not be blank.")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(OpenApiTypes.STR)
class DayOrTime(serializers.Field):
    """`2026-11-25` (that whole local day) or an ISO 8601 time with an offset."""

    def to_internal_value(self, data: Any) -> date | datetime:
        if not isinstance(data, str):
            raise serializers.ValidationError("A date (YYYY-MM-DD) or a time with an offset.")
        text = data.strip()
        if len(text) == 10:
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise serializers.ValidationError("Not a date (YYYY-MM-DD).") from None
        try:
            value = parse_datetime(text)
        except ValueError:
            value = None
        if value is None:
            raise serializers.ValidationError("Not a time (ISO 8601 with an offset).")
        if timezone.is_naive(value):
            raise serializers.ValidationError("Times need a UTC offset, e.g. -05:00.")
        if not moment_within_reach(value):
            raise serializers.ValidationError("That time is years away from now.")
        return value

    def to_representation(self, value: Any) -> Any:
        return value.isoformat()


class CheckAvailabilityBody(serializers.Serializer):
    service = FlexibleId()
    date = serializers.DateField(required=False)
    to = DayOrTime(required=False)
    staff = FlexibleId(required=False, allow_null=True)
    call_id = CallIdField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = DayOrTime(required=False)  # `from` is a Python keyword
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("date") is None and attrs.get("from") is None:
            raise serializers.ValidationError({"date": "Give a date, or from and to."})
        return attrs


class CheckAvailabilityView(ToolView):
    tool_name = "check_availability"
    body = CheckAvailabilityBody

    summary = "Free slots for a service"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        tz = business.tz
        service = service_resolve(business=business, value=data["service"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        if staff is not None and not staff.services.filter(pk=service.pk).exists():
            raise ApiError(
                400,
                "invalid",
                f"{staff.name} does not do {service.name}.",
                fields={"staff": "does not do this service"},
            )
        start_at = end_at = None
        if data.get("date") is not None:
            day_from = day_to = data["date"]
        else:
            begin, finish = data["from"], data.get("to") or data["from"]
            if isinstance(begin, datetime):
                start_at, day_from = begin, begin.astimezone(tz).date()
            else:
                day_from = begin
            if isinstance(finish, datetime):
                end_at, day_to = finish, finish.astimezone(tz).date()
            else:
                day_to = finish
        today = timezone.now().astimezone(tz).date()
        if day_to < day_from:
            raise ApiError(400, "invalid", "to is before from.", fields={"to": "before from"})
        if day_to < today:
            raise ApiError(400, "invalid", "That day has passed.", fields={"date": "in the past"})
        horizon = today + timedelta(days=business.max_advance_days)
        if day_from > horizon:
            raise ApiError(
                400,
                "outside_rules",
                f"{business.name} books at most {business.max_advance_days} days ahead.",
                fields={"date": "beyond the booking horizon"},
            )
        day_to = min(day_to, horizon)
        if (day_to - day_from).days >= MAX_RANGE_DAYS:
            raise ApiError(
                400,
                "invalid",
                f"Ask for at most {MAX_RANGE_DAYS} days at once.",
                fields={"to": "range too long"},
            )
        slots = availability_list(
            business=business,
            service=service,
            staff=staff,
            day_from=max(day_from, today),
            day_to=day_to,
        )
        if start_at is not None:
            slots = [s for s in slots if s.start >= start_at]
        if end_at is not None:
            slots = [s for s in slots if s.start < end_at]
        return Response(
            {
                "service": {**service_brief(service), "duration_minutes": service.duration_minutes},
                "timezone": business.timezone,
                "slots": [slot_json(s, tz=tz) for s in slots],
            }
        )


class CustomerBody(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)


class BookAppointmentBody(serializers.Serializer):
    service = FlexibleId(required=False)
    start = AwareDateTimeField(required=False)
    staff = FlexibleId(required=False, allow_null=True)
    customer = CustomerBody()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    hold_id = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    call_id = CallIdField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("hold_id") is None:
            missing = {
                name: "This field is required (or give a hold_id)."
                for name in ("service", "start")
                if attrs.get(name) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class BookAppointmentView(ToolView):
    tool_name = "book_appointment"
    body = BookAppointmentBody

    summary = "Book an appointment"
    schema_parameters = [
        OpenApiParameter(
            "Idempotency-Key",
            str,
            OpenApiParameter.HEADER,
            description="A retry with the same key returns the first result.",
        )
    ]

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key:
            return self._book(request, business, data)
        if len(key) > 200:
            raise ApiError(400, "invalid", "Idempotency-Key is at most 200 characters.")
        body = {k: v for k, v in request.data.items() if k != "call_id"}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # On PostgreSQL a concurrent retry waits here for the first to finish.
                    record = IdempotencyRecord.objects.create(
                        business=business, key=key, endpoint=self.tool_name, request_hash=digest
                    )
            except IntegrityError:
                first = IdempotencyRecord.objects.get(business=business, key=key)
                if first.request_hash != digest or first.endpoint != self.tool_name:
                    raise ApiError(
                        409,
                        "idempotency_key_reused",
                        "This Idempotency-Key was used with a different request.",
                    ) from None
                return Response(
                    first.response,
                    status=first.status_code,
                    headers={"Idempotent-Replayed": "true"},
                )
            # A failure raises out of this block: the key is released with it, so a retry
            # tries again; only a booking is remembered.
            response = self._book(request, business, data)
            record.status_code = response.status_code
            record.response = response.data
            record.save(update_fields=["status_code", "response"])
        return response

    def recorded(self, request: Request, business: Business, response: Response) -> None:
        # The agent may book before the gateway's call.started arrives: the call exists
        # now (recording the invocation created it), so tie the appointment to it.
        call_id = request.data.get("call_id") if isinstance(request.data, dict) else None
        if response.status_code != 201 or not isinstance(call_id, str) or not call_id.strip():
            return
        call = _call_for(business, call_id.strip()[:128])
        if call is not None:
            Appointment.objects.filter(
                business=business, reference=response.data["reference"], call__isnull=True
            ).update(call=call)

    def _book(self, request: Request, business: Business, data: dict[str, Any]) -> Response:
        if data.get("hold_id") is not None:
            return self._book_held(request, business, data)
        service = service_resolve(business=business, value=data["service"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        try:
            appointment = appointment_book(
                business=business,
                service=service,
                staff=staff,
                start=_aware(data["start"], "start"),
                customer=CustomerDetails.from_body(data["customer"]),
                notes=data.get("notes", ""),
                source=SOURCE,
                call=_call_for(business, data.get("call_id")),
                api_key=request.auth,
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(appointment_json(appointment), status=201)

    def _book_held(self, request: Request, business: Business, data: dict[str, Any]) -> Response:
        details = CustomerDetails.from_body(data["customer"])
        hold = (
            SlotHold.objects.filter(business=business, pk=data["hold_id"])
            .select_related("service", "staff")
            .first()
        )
        if hold is not None:
            _check_matches_hold(business=business, hold=hold, data=data)
        try:
            booked = hold_book(
                business=business,
                hold_id=data["hold_id"],
                customer=details,
                notes=data.get("notes", ""),
                source=SOURCE,
                call=_call_for(business, data.get("call_id")),
                api_key=request.auth,
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(appointment_json(booked.appointment), status=201)


def _check_matches_hold(*, business: Business, hold: SlotHold, data: dict[str, Any]) -> None:
    """With a hold_id, `service`, `start` and `staff` are optional; given, they must agree."""
    start = data.get("start")
    if start is not None and _aware(start, "start").replace(microsecond=0) != hold.start:
        raise ApiError(
            400, "invalid", "start is not the held time.", fields={"start": "not the held time"}
        )
    service = data.get("service")
    if (
        service is not None
        and service_resolve(business=business, value=service).pk != hold.service_id
    ):
        raise ApiError(
            400,
            "invalid",
            "service is not the held service.",
            fields={"service": "not the held service"},
        )
    staff = staff_resolve(business=business, value=data.get("staff"))
    if staff is not None and staff.pk != hold.staff_id:
        raise ApiError(
            400, "invalid", "staff is not who the hold is with.", fields={"staff": "not held"}
        )


class HoldSlotBody(serializers.Serializer):
    service = FlexibleId()
    start = AwareDateTimeField()
    staff = FlexibleId(required=False, allow_null=True)
    minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=HOLD_MINUTES_MAX, default=HOLD_MINUTES_DEFAULT
    )
    call_id = CallIdField()


def hold_json(hold: SlotHold, *, tz: Any) -> dict[str, Any]:
    return {
        "hold_id": hold.pk,
        "expires_at": hold.expires_at.astimezone(tz).isoformat(),
        "start": hold.start.astimezone(tz).isoformat(),
        "end": hold.end.astimezone(tz).isoformat(),
        "staff": staff_brief(hold.staff),
    }


class HoldSlotView(ToolView):
    tool_name = "hold_slot"
    body = HoldSlotBody

    summary = "Hold a slot for a few minutes while the caller confirms"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        service = service_resolve(business=business, value=data["service"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        try:
            hold = hold_create(
                business=business,
                service=service,
                staff=staff,
                start=_aware(data["start"], "start"),
                minutes=data["minutes"],
                call=_call_for(business, data.get("call_id")),
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(hold_json(hold, tz=business.tz), status=201)


class JoinWaitlistBody(serializers.Serializer):
    service = FlexibleId()
    to = AwareDateTimeField()
    staff = FlexibleId(required=False, allow_null=True)
    customer = CustomerBody()
    call_id = CallIdField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = AwareDateTimeField()  # `from` is a Python keyword
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "Must be after from."})
        return attrs


class JoinWaitlistView(ToolView):
    tool_name = "join_waitlist"
    body = JoinWaitlistBody

    summary = "Put the caller on the waitlist for a service and a window"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
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
        return Response(
            {"waitlist_id": entry.pk, "position": waitlist_position(entry=entry)}, status=201
        )


def _call_for(business: Business, call_id: str | None) -> Any:
    if not call_id:
        return None
    return Call.objects.filter(business=business, call_id=call_id.strip()[:128]).first()


class RescheduleBody(serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    start = AwareDateTimeField()
    staff = FlexibleId(required=False, allow_null=True)
    call_id = CallIdField()


class RescheduleAppointmentView(ToolView):
    tool_name = "reschedule_appointment"
    body = RescheduleBody

    summary = "Move an appointment (same reference)"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        appointment = _appointment_for(business, data["reference"])
        staff = staff_resolve(business=business, value=data.get("staff"))
        try:
            moved = appointment_reschedule(
                appointment=appointment,
                start=_aware(data["start"], "start"),
                staff=staff,
                source=SOURCE,
                api_key=request.auth,
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(appointment_json(moved))


class CancelBody(serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    call_id = CallIdField()


class CancelAppointmentView(ToolView):
    tool_name = "cancel_appointment"
    body = CancelBody

    summary = "Cancel an appointment"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        appointment = _appointment_for(business, data["reference"])
        try:
            cancelled = appointment_cancel(
                appointment=appointment,
                reason=data.get("reason", ""),
                source=SOURCE,
                api_key=request.auth,
            )
        except BookingError as exc:
            raise booking_api_error(exc, tz=business.tz) from exc
        return Response(appointment_json(cancelled))


class FindBody(serializers.Serializer):
    reference = serializers.CharField(required=False, max_length=40)
    phone = serializers.CharField(required=False, max_length=40)
    call_id = CallIdField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("reference") and not attrs.get("phone"):
            raise serializers.ValidationError({"reference": "Give a reference or a phone."})
        return attrs


class FindAppointmentView(ToolView):
    tool_name = "find_appointment"
    body = FindBody

    summary = "Find appointments by reference or phone"

    def handle(self, request: Request, business: Business) -> Response:
        data = self.parsed(request)
        if data.get("reference"):
            found = [_appointment_for(business, data["reference"])]
        else:
            since = datetime.now(UTC) - timedelta(hours=12)
            found = [
                a
                for a in appointments_for_phone(business=business, phone=data["phone"])
                if a.end >= since
            ]
        return Response({"appointments": [appointment_json(a) for a in found]})
