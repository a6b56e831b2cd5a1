"""Writes of the appointment book: the one write path for booking, moving and cancelling.

The tools API, the admin API, the console pages and the customer page all call these.
Every function is keyword-only and raises a `BookingError` subclass (never a bare
IntegrityError) for anything a user or client can get wrong, so each edge turns it into a
409 / 400 / form error.

Who acted: pass `by` (a console user) or `api_key` (a machine client); with neither, the
change is recorded as the customer's own (the customer page) or the system's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from bookings import notifications
from bookings.availability import StaffCalendar, slot_within_hours
from bookings.models import (
    CLAIM_CONSTRAINT,
    OVERLAP_CONSTRAINT,
    Appointment,
    AppointmentChange,
    Customer,
    OutboxMessage,
    Service,
    StaffMember,
)
from bookings.references import reference_allocate
from bookings.selectors import Slot, business_rules, slots_nearest, staff_calendars
from console.privacy.encryption import blind_index
from console.privacy.phones import InvalidPhoneNumber, phone_to_e164
from console.tenancy.models import ApiKey, Business, User

NOTES_MAX = 2000  # an appointment's notes (bookings.forms and both APIs cap them the same)

# --- Errors ---------------------------------------------------------------------------


class BookingError(Exception):
    """Something about the request cannot be done. `code` is the API's error code."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_name = field_name


class SlotUnavailable(BookingError):
    """The time is taken (or not bookable); `alternatives` are the nearest free slots."""

    code = "slot_unavailable"
    status = 409

    def __init__(self, message: str, *, alternatives: list[Slot] | None = None) -> None:
        super().__init__(message, field_name="start")
        self.alternatives = alternatives or []


class OutsideRules(BookingError):
    """In the past, too soon, too far ahead, outside working hours or the cancel window."""

    code = "outside_rules"


class InvalidTransition(BookingError):
    code = "invalid_status"
    status = 409


class Conflict(BookingError):
    """The change would clash with what is stored (a phone number another customer has, a
    customer who still has appointments)."""

    code = "conflict"
    status = 409


# --- Actors and customers -----------------------------------------------------------


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    phone: str
    email: str = ""

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> CustomerDetails:
        """From an API body's validated `customer` ({name, phone, email?})."""
        return cls(name=body["name"], phone=body["phone"], email=body.get("email", ""))


def _actor_label(by: User | None, api_key: ApiKey | None, source: str) -> str:
    if by is not None:
        return by.email
    if api_key is not None:
        return f"API key {api_key.name} ({api_key.prefix}…)"
    if source == Appointment.Source.CUSTOMER:
        return "the customer"
    return "system"


def customer_upsert(*, business: Business, details: CustomerDetails) -> Customer:
    """The business's customer with this phone (any format), or a new one.

    A customer on file keeps their name: a booking never renames them (the desk is asked
    first, bookings.views.book); an email is only filled in where none was known.
    Raises BookingError(field "customer.phone") for a number that cannot be one.
    """
    try:
        e164 = phone_to_e164(details.phone, region=business.default_region)
    except InvalidPhoneNumber as exc:
        raise BookingError(str(exc), field_name="customer.phone") from exc
    name = details.name.strip()
    if not name:
        raise BookingError("A name is required.", field_name="customer.name")
    index = blind_index(e164)
    for _attempt in range(2):
        customer = Customer.objects.filter(business=business, phone_index=index).first()
        if customer is not None:
            if details.email and not customer.email:
                customer.email = details.email
                customer.save(update_fields=["email"])
            return customer
        try:
            with transaction.atomic():
                return Customer.objects.create(
                    business=business,
                    name=name[:150],
                    phone=e164,
                    phone_index=index,
                    phone_last4=e164[-4:],
                    email=details.email,
                )
        except IntegrityError:
            continue  # created concurrently: read it
    raise BookingError("Could not save the customer; try again.")


# --- Checks -----------------------------------------------------------------------------


def _aware(start: datetime) -> datetime:
    if timezone.is_naive(start):
        raise BookingError(
            "Times need a UTC offset, e.g. 2026-11-25T09:00:00-05:00.", field_name="start"
        )
    return start


def _check_rules(*, business: Business, start: datetime, now: datetime, enforce: bool) -> None:
    if start < now:
        raise OutsideRules("That time is in the past.", field_name="start")
    if not enforce:
        return
    rules = business_rules(business=business, now=now)
    if rules.earliest is not None and start < rules.earliest:
        raise OutsideRules(
            f"Bookings need at least {business.min_notice_minutes} minutes' notice.",
            field_name="start",
        )
    if rules.latest_day is not None and start.astimezone(business.tz).date() > rules.latest_day:
        raise OutsideRules(
            f"Bookings open at most {business.max_advance_days} days ahead.", field_name="start"
        )


def _fits_hours(
    *, business: Business, calendar: StaffCalendar, start: datetime, service: Service
) -> bool:
    return slot_within_hours(
        calendar=calendar,
        start=start,
        duration=timedelta(minutes=service.duration_minutes),
        tz=business.tz,
    )


def _clashes(calendar: StaffCalendar, start: datetime, blocks_until: datetime) -> bool:
    return any(b.start < blocks_until and b.end > start for b in calendar.busy)


# Two writers inserting clashing rows at once can each wait on the other's row under an
# exclusion constraint; PostgreSQL then aborts one with a deadlock. That one lost the race.
CLASH_ERRORS = (IntegrityError, OperationalError)


def _is_overlap_violation(exc: IntegrityError | OperationalError) -> bool:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if getattr(diag, "sqlstate", None) == "40P01":
        return "exclusion constraint" in (getattr(diag, "context", None) or "")
    name = getattr(diag, "constraint_name", None) or ""
    # CLAIM_CONSTRAINT: the time is held (bookings.holds), or a hold lost to an appointment.
    return any(c == name or c in str(exc) for c in (OVERLAP_CONSTRAINT, CLAIM_CONSTRAINT))


def _check_staff(*, business: Business, staff: StaffMember, service: Service) -> None:
    if staff.business_id != business.pk:
        raise BookingError("No such staff member.", field_name="staff")
    if not staff.active:
        raise BookingError(f"{staff.name} is not taking bookings.", field_name="staff")
    if not staff.services.filter(pk=service.pk).exists():
        raise BookingError(f"{staff.name} does not do {service.name}.", field_name="staff")


def _snapshot(appointment: Appointment) -> dict[str, Any]:
    return {
        "start": appointment.start.isoformat(),
        "end": appointment.end.isoformat(),
        "staff": appointment.staff.name,
        "staff_id": appointment.staff_id,
        "service": appointment.service.name,
        "status": appointment.status,
    }


def _history(
    *,
    appointment: Appointment,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    by: User | None,
    api_key: ApiKey | None,
    source: str,
) -> AppointmentChange:
    return AppointmentChange.objects.create(
        appointment=appointment,
        action=action,
        actor=by,
        actor_label=_actor_label(by, api_key, source)[:200],
        before=before,
        after=after,
    )


# --- The on-commit hook ------------------------------------------------------------------


# Functions called after a booking, move, cancel or status change commits, with
# (appointment_id, action). The appointment book's pages sit above this module and add their
# live broadcast when the app is ready (BookingsConfig.ready): services never import pages.
on_appointment_changed: list[Callable[[int, str], None]] = []


def appointment_changed_on_commit(*, appointment: Appointment, action: str) -> None:
    """After the transaction commits: every registered listener (live updates)."""
    appointment_id = appointment.pk

    def run() -> None:
        for listener in on_appointment_changed:
            listener(appointment_id, action)

    transaction.on_commit(run, robust=True)


# --- Book, reschedule, cancel, status ------------------------------------------------------


@dataclass(frozen=True)
class TimeClaim:
    """What a booking or a hold asks of the book: the time, and who could take it."""

    start: datetime
    end: datetime
    blocks_until: datetime  # the end plus the service's buffer
    candidates: list[StaffMember]


def time_claim_check(
    *,
    business: Business,
    service: Service,
    start: datetime,
    staff: StaffMember | None,
    now: datetime,
    enforce_rules: bool = True,
) -> TimeClaim:
    """The checks every claim on the book's time makes before its transaction (a booking, a
    hold): the service bookable, the rules (unless `enforce_rules=False`), the staff member
    doing the service, or anyone who does. Raises BookingError or OutsideRules."""
    if service.business_id != business.pk:
        raise BookingError("No such service.", field_name="service")
    if not service.active:
        raise BookingError(f"{service.name} is not bookable.", field_name="service")
    _check_rules(business=business, start=start, now=now, enforce=enforce_rules)
    if staff is not None:
        _check_staff(business=business, staff=staff, service=service)
        candidates = [staff]
    else:
        candidates = list(
            StaffMember.objects.filter(business=business, active=True, services=service)
        )
        if not candidates:
            raise BookingError(f"Nobody does {service.name} yet.", field_name="service")
    end = start + timedelta(minutes=service.duration_minutes)
    return TimeClaim(
        start=start,
        end=end,
        blocks_until=end + timedelta(minutes=service.buffer_minutes),
        candidates=candidates,
    )


def staff_free_for(
    *, business: Business, service: Service, claim: TimeClaim, enforce_rules: bool = True
) -> list[StaffMember]:
    """Inside the claim's transaction: the candidates free for it (in their working hours,
    unless `enforce_rules=False`), fewest bookings that day first, as availability offers
    them. Raises OutsideRules when the time is outside everyone's hours."""
    calendars = staff_calendars(
        business=business,
        staff=claim.candidates,
        start=claim.start - timedelta(days=1),
        end=claim.blocks_until + timedelta(days=1),
    )
    in_hours = [
        c
        for c in claim.candidates
        if not enforce_rules
        or _fits_hours(
            business=business, calendar=calendars[c.pk], start=claim.start, service=service
        )
    ]
    if not in_hours:
        raise OutsideRules("That time is outside working hours.", field_name="start")
    free = [c for c in in_hours if not _clashes(calendars[c.pk], claim.start, claim.blocks_until)]
    return sorted(free, key=lambda c: (len(calendars[c.pk].busy), c.name, c.pk))


def appointment_book(
    *,
    business: Business,
    service: Service,
    start: datetime,
    customer: Customer | CustomerDetails,
    staff: StaffMember | None = None,
    source: str = Appointment.Source.CONSOLE,
    notes: str = "",
    call: Any = None,
    by: User | None = None,
    api_key: ApiKey | None = None,
    enforce_rules: bool = True,
    now: datetime | None = None,
) -> Appointment:
    """Book `service` at `start` (aware) with `staff`, or with anyone free who does it.

    In one transaction: checks the rules (past always; notice, horizon and working hours
    unless `enforce_rules=False`, for staff booking by hand), picks the staff member,
    allocates the reference, writes the appointment, its history and its outbox messages.
    After commit: confirmations are sent and `on_appointment_changed` listeners run.

    Raises SlotUnavailable (with the nearest alternatives) if the time is taken,
    OutsideRules, or BookingError for bad input.
    """
    now = now or timezone.now()
    start = _aware(start).replace(microsecond=0)
    if len(notes) > NOTES_MAX:
        raise BookingError(f"Notes can be at most {NOTES_MAX} characters.", field_name="notes")
    claim = time_claim_check(
        business=business,
        service=service,
        start=start,
        staff=staff,
        now=now,
        enforce_rules=enforce_rules,
    )
    end, blocks_until = claim.end, claim.blocks_until

    def unavailable(message: str) -> SlotUnavailable:
        return SlotUnavailable(
            message,
            alternatives=slots_nearest(
                business=business, service=service, staff=staff, around=start, now=now
            ),
        )

    try:
        with transaction.atomic():
            if isinstance(customer, CustomerDetails):
                customer = customer_upsert(business=business, details=customer)
            elif customer.business_id != business.pk:
                raise BookingError("No such customer.", field_name="customer")
            free = staff_free_for(
                business=business, service=service, claim=claim, enforce_rules=enforce_rules
            )
            if not free:
                raise _Taken()
            appointment = _insert_first_free(
                business=business,
                service=service,
                customer=customer,
                people=free,
                start=start,
                end=end,
                blocks_until=blocks_until,
                source=source,
                notes=notes,
                call=call,
            )
            change = _history(
                appointment=appointment,
                action="booked",
                before={},
                after=_snapshot(appointment),
                by=by,
                api_key=api_key,
                source=source,
            )
            notifications.appointment_messages_queue(
                appointment=appointment, kind="confirmation", change=change
            )
            appointment_changed_on_commit(appointment=appointment, action="booked")
    except _Taken:
        raise unavailable("That time was just taken.") from None
    return appointment


class _Taken(Exception):
    pass


def _insert_first_free(
    *,
    business: Business,
    service: Service,
    customer: Customer,
    people: list[StaffMember],
    start: datetime,
    end: datetime,
    blocks_until: datetime,
    source: str,
    notes: str,
    call: Any,
) -> Appointment:
    reference = reference_allocate(business=business, day=start.astimezone(business.tz).date())
    for person in people:
        try:
            with transaction.atomic():  # a savepoint: a clash on one person tries the next
                return Appointment.objects.create(
                    business=business,
                    reference=reference,
                    customer=customer,
                    staff=person,
                    service=service,
                    start=start,
                    end=end,
                    blocks_until=blocks_until,
                    source=source,
                    notes=notes[:2000],
                    call=call,
                )
        except CLASH_ERRORS as exc:
            if not _is_overlap_violation(exc):
                raise
    raise _Taken()


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "staff", "customer", "business")
        .get(pk=appointment.pk)
    )


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: datetime,
    staff: StaffMember | None = None,
    source: str = Appointment.Source.CONSOLE,
    by: User | None = None,
    api_key: ApiKey | None = None,
    enforce_rules: bool = True,
    now: datetime | None = None,
    notify: bool = True,
) -> Appointment:
    """Move a booked/confirmed appointment to `start` (and `staff`, default: the same one).

    `notify=False` (the desk chose not to tell the client) queues no SMS or email; the
    history records which. The reference never changes. Customers (`source="customer"` or
    `"voice"`) cannot move an appointment inside the business's cancellation window.
    Raises like appointment_book.
    """
    now = now or timezone.now()
    start = _aware(start).replace(microsecond=0)
    business = appointment.business
    try:
        with transaction.atomic():
            current = _locked(appointment)
            if current.status not in (Appointment.Status.BOOKED, Appointment.Status.CONFIRMED):
                raise InvalidTransition(
                    f"A {current.get_status_display().lower()} appointment cannot be moved."
                )
            _check_window(business=business, appointment=current, source=source, now=now)
            _check_rules(business=business, start=start, now=now, enforce=enforce_rules)
            service = current.service
            person = staff or current.staff
            if staff is not None:
                _check_staff(business=business, staff=staff, service=service)
            end = start + timedelta(minutes=service.duration_minutes)
            blocks_until = end + timedelta(minutes=service.buffer_minutes)
            calendar = staff_calendars(
                business=business,
                staff=[person],
                start=start - timedelta(days=1),
                end=blocks_until + timedelta(days=1),
                exclude_appointment_id=current.pk,
            )[person.pk]
            if enforce_rules and not _fits_hours(
                business=business, calendar=calendar, start=start, service=service
            ):
                raise OutsideRules("That time is outside working hours.", field_name="start")
            if _clashes(calendar, start, blocks_until):
                raise _Taken()
            before = _snapshot(current)
            current.start, current.end, current.blocks_until = start, end, blocks_until
            current.staff = person
            try:
                with transaction.atomic():
                    current.save(
                        update_fields=["start", "end", "blocks_until", "staff", "updated_at"]
                    )
            except CLASH_ERRORS as exc:
                if _is_overlap_violation(exc):
                    raise _Taken() from None
                raise
            change = _history(
                appointment=current,
                action="rescheduled",
                before=before,
                after={**_snapshot(current), "notified": notify},
                by=by,
                api_key=api_key,
                source=source,
            )
            notifications.appointment_messages_queue(
                appointment=current, kind="reschedule", change=change, notify=notify
            )
            appointment_changed_on_commit(appointment=current, action="rescheduled")
    except _Taken:
        raise SlotUnavailable(
            "That time is taken.",
            alternatives=slots_nearest(
                business=business,
                service=appointment.service,
                staff=staff or appointment.staff,
                around=start,
                now=now,
            ),
        ) from None
    return current


def _check_window(
    *, business: Business, appointment: Appointment, source: str, now: datetime
) -> None:
    if source not in (Appointment.Source.CUSTOMER, Appointment.Source.VOICE):
        return
    window = timedelta(hours=business.cancellation_window_hours)
    if appointment.start - now < window:
        raise OutsideRules(
            f"Changes need at least {business.cancellation_window_hours} hours' notice; "
            "please call the business.",
            field_name="reference",
        )


def appointment_cancel(
    *,
    appointment: Appointment,
    reason: str = "",
    source: str = Appointment.Source.CONSOLE,
    by: User | None = None,
    api_key: ApiKey | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Appointment:
    """Cancel it; its reference is never reused. Cancelling a cancelled one changes nothing
    (a retry is safe). Customers and the voice agent must respect the cancellation window.
    `notify=False` queues no SMS or email to the client; the history records which."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        if current.status == Appointment.Status.CANCELLED:
            return current
        if current.status not in (Appointment.Status.BOOKED, Appointment.Status.CONFIRMED):
            raise InvalidTransition(
                f"A {current.get_status_display().lower()} appointment cannot be cancelled."
            )
        _check_window(business=current.business, appointment=current, source=source, now=now)
        before = _snapshot(current)
        current.status = Appointment.Status.CANCELLED
        current.cancel_reason = reason[:300]
        current.save(update_fields=["status", "cancel_reason", "updated_at"])
        change = _history(
            appointment=current,
            action="cancelled",
            before=before,
            after={**_snapshot(current), "reason": current.cancel_reason, "notified": notify},
            by=by,
            api_key=api_key,
            source=source,
        )
        notifications.appointment_messages_queue(
            appointment=current, kind="cancellation", change=change, notify=notify
        )
        appointment_changed_on_commit(appointment=current, action="cancelled")
    return current


# Which status may follow which (cancel has its own function above).
TRANSITIONS: dict[str, set[str]] = {
    Appointment.Status.BOOKED: {
        Appointment.Status.CONFIRMED,
        Appointment.Status.ARRIVED,
        Appointment.Status.NO_SHOW,
    },
    Appointment.Status.CONFIRMED: {Appointment.Status.ARRIVED, Appointment.Status.NO_SHOW},
    Appointment.Status.ARRIVED: {Appointment.Status.COMPLETED},
}

# A client may walk in a little early; nobody is a no-show, or done, before the start.
ARRIVAL_EARLIEST = timedelta(minutes=30)


def status_allowed(*, appointment: Appointment, status: str, now: datetime) -> bool:
    """May `appointment` go to `status` at `now`: in the order of life, and in time."""
    if status not in TRANSITIONS.get(appointment.status, set()):
        return False
    if status == Appointment.Status.ARRIVED:
        return now >= appointment.start - ARRIVAL_EARLIEST
    if status in (Appointment.Status.NO_SHOW, Appointment.Status.COMPLETED):
        return now >= appointment.start
    return True


def _status_label(status: str) -> str:
    return str(dict(Appointment.Status.choices).get(status, status)).lower()


def appointment_status_set(
    *,
    appointment: Appointment,
    status: str,
    by: User | None = None,
    api_key: ApiKey | None = None,
    source: str = Appointment.Source.CONSOLE,
    now: datetime | None = None,
) -> Appointment:
    """confirmed / arrived / completed / no_show, in that order of life, and not before it
    can be true (arrived from ARRIVAL_EARLIEST before the start, no-show and completed from
    the start). Setting the status it already has changes nothing; anything else raises
    InvalidTransition."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        if current.status == status:
            return current
        if status not in TRANSITIONS.get(current.status, set()):
            raise InvalidTransition(
                f"Cannot go from {current.get_status_display().lower()} to {_status_label(status)}."
            )
        if not status_allowed(appointment=current, status=status, now=now):
            raise InvalidTransition(
                f"It cannot be marked {_status_label(status)} before it has started."
            )
        before = _snapshot(current)
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        _history(
            appointment=current,
            action="status",
            before=before,
            after=_snapshot(current),
            by=by,
            api_key=api_key,
            source=source,
        )
        appointment_changed_on_commit(appointment=current, action="status")
    return current


def status_undo_window() -> timedelta:
    return timedelta(minutes=settings.STATUS_UNDO_MINUTES)


def status_change_undoable(
    *, appointment: Appointment, now: datetime | None = None
) -> AppointmentChange | None:
    """The status change the desk may still take back: the appointment's last change, a
    status change made less than STATUS_UNDO_MINUTES ago, whose result still stands."""
    now = now or timezone.now()
    last = appointment.changes.order_by("-created_at", "-id").first()
    if last is None or last.action != "status":
        return None
    if now - last.created_at > status_undo_window():
        return None
    if (last.after or {}).get("status") != appointment.status:
        return None
    return last


def appointment_status_undo(
    *,
    appointment: Appointment,
    by: User | None = None,
    source: str = Appointment.Source.CONSOLE,
    now: datetime | None = None,
) -> Appointment:
    """Take back the last status change (a wrong tap on no-show), within the undo window.
    The undo is itself a line of the history. Raises InvalidTransition when there is none to
    take back, or SlotUnavailable when the time freed by a no-show has been booked since."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = _locked(appointment)
            change = status_change_undoable(appointment=current, now=now)
            if change is None:
                raise InvalidTransition("There is no status change to undo any more.")
            previous = str((change.before or {}).get("status", ""))
            if previous not in Appointment.Status.values:
                raise InvalidTransition("There is no status change to undo any more.")
            if previous in Appointment.HOLDING and current.status not in Appointment.HOLDING:
                clash = (
                    Appointment.objects.filter(
                        business_id=current.business_id,
                        staff_id=current.staff_id,
                        status__in=Appointment.HOLDING,
                        start__lt=current.blocks_until,
                        blocks_until__gt=current.start,
                    )
                    .exclude(pk=current.pk)
                    .exists()
                )
                if clash:
                    raise SlotUnavailable(
                        "That time has been booked since; it cannot be undone.", alternatives=[]
                    )
            before = _snapshot(current)
            current.status = previous
            current.save(update_fields=["status", "updated_at"])
            _history(
                appointment=current,
                action="status_undone",
                before=before,
                after=_snapshot(current),
                by=by,
                api_key=None,
                source=source,
            )
            appointment_changed_on_commit(appointment=current, action="status")
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise SlotUnavailable(
                "That time has been booked since; it cannot be undone.", alternatives=[]
            ) from exc
        raise
    return current


def appointment_confirmation_resend(
    *, appointment: Appointment, by: User | None
) -> list[OutboxMessage]:
    """Queue the confirmation SMS (and email) again, from the console (the customer lost it),
    once per press: each resend is its own history entry, and the outbox dedupes on that
    entry, so a retried request of the same press cannot send twice. Raises InvalidTransition
    unless booked or confirmed."""
    with transaction.atomic():
        current = _locked(appointment)
        if not current.is_active:
            raise InvalidTransition(
                f"A {current.get_status_display().lower()} appointment gets no confirmation."
            )
        change = _history(
            appointment=current,
            action="resent",
            before={},
            after={"sent": "confirmation"},
            by=by,
            api_key=None,
            source=Appointment.Source.CONSOLE,
        )
        messages = notifications.appointment_messages_queue(
            appointment=current, kind="confirmation", change=change
        )
        appointment_changed_on_commit(appointment=current, action="resent")
    return messages
