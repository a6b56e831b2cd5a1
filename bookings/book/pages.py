"""Reads of the appointment book pages: the day grid (a column per staff member) and the
week grid (a column per day for one staff member), each in a constant number of queries.

A column is one staff member on one local day. Everything in it is placed in *minutes
since local midnight*, so a column renders the same wherever it lands (the day view, the
week view, or a live update): the page decides which minutes it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bookings.holds import holds_live
from bookings.models import (
    Appointment,
    AppointmentChange,
    Customer,
    SlotHold,
    StaffException,
    StaffMember,
    WorkingHours,
)
from bookings.selectors import appointment_by_reference, customer_by_phone
from bookings.services import status_allowed, status_change_undoable
from console.privacy.phones import phone_mask
from console.tenancy.models import Business

DAY_MINUTES = 24 * 60
DEFAULT_OPEN = (9 * 60, 17 * 60)

# Statuses drawn on the grid (a cancelled appointment frees its time and leaves the book).
SHOWN = (
    Appointment.Status.BOOKED,
    Appointment.Status.CONFIRMED,
    Appointment.Status.ARRIVED,
    Appointment.Status.COMPLETED,
    Appointment.Status.NO_SHOW,
)


@dataclass(frozen=True)
class Span:
    """[start, start + length) in minutes since local midnight."""

    start: int
    length: int
    note: str = ""

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class Block:
    appointment: Appointment
    span: Span
    buffer: int  # minutes kept free after it
    local_start: datetime
    local_end: datetime

    @property
    def time_label(self) -> str:
        return f"{self.local_start:%H:%M}–{self.local_end:%H:%M}"


@dataclass(frozen=True)
class HoldBlock:
    """A slot held for a caller: a dashed block that counts down to `expires_at`."""

    hold: SlotHold
    span: Span
    buffer: int
    local_start: datetime
    local_end: datetime
    seconds_left: int

    @property
    def time_label(self) -> str:
        return f"{self.local_start:%H:%M}–{self.local_end:%H:%M}"

    @property
    def countdown_label(self) -> str:
        return f"{self.seconds_left // 60}:{self.seconds_left % 60:02d}"


@dataclass
class Column:
    staff: StaffMember
    day: date
    work: list[Span] = field(default_factory=list)
    off: list[Span] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    holds: list[HoldBlock] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return column_dom_id(staff_id=self.staff.pk, day=self.day)


@dataclass(frozen=True)
class HourMark:
    minute: int
    label: str


@dataclass
class Grid:
    columns: list[Column]
    start_minute: int
    end_minute: int
    interval: int
    tz: ZoneInfo

    @property
    def hours(self) -> list[HourMark]:
        return [
            HourMark(m, f"{m // 60:02d}:00") for m in range(self.start_minute, self.end_minute, 60)
        ]

    @property
    def length(self) -> int:
        return self.end_minute - self.start_minute


def column_dom_id(*, staff_id: int, day: date) -> str:
    return f"col-{staff_id}-{day:%Y%m%d}"


def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def _minute(moment: datetime, day: date, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    minute = (local.date() - day).days * DAY_MINUTES + local.hour * 60 + local.minute
    return max(0, min(DAY_MINUTES, minute))


def _span(start: datetime, end: datetime, day: date, tz: ZoneInfo, note: str = "") -> Span | None:
    first, last = _minute(start, day, tz), _minute(end, day, tz)
    return Span(first, last - first, note) if last > first else None


def book_columns(
    *,
    business: Business,
    staff: Sequence[StaffMember],
    days: Sequence[date],
    cancelled: bool = False,
) -> list[Column]:
    """One column per (staff member, day), staff-major: 4 queries whatever the size (the
    live holds among them). With `cancelled`, cancelled appointments are drawn too (greyed,
    under the others)."""
    tz = business.tz
    if not staff or not days:
        return []
    ids = [s.pk for s in staff]
    range_start = _day_bounds(min(days), tz)[0]
    range_end = _day_bounds(max(days), tz)[1]
    weekly: dict[tuple[int, int], list[tuple[time, time]]] = defaultdict(list)
    for staff_id, weekday, w_start, w_end in WorkingHours.objects.filter(
        staff_id__in=ids
    ).values_list("staff_id", "weekday", "start", "end"):
        weekly[(staff_id, weekday)].append((w_start, w_end))
    exceptions = list(
        StaffException.objects.filter(
            staff_id__in=ids, start__lt=range_end, end__gt=range_start
        ).values_list("staff_id", "kind", "start", "end", "note")
    )
    appointments = list(
        Appointment.objects.filter(
            business=business,
            staff_id__in=ids,
            status__in=(*SHOWN, Appointment.Status.CANCELLED) if cancelled else SHOWN,
            start__lt=range_end,
            end__gt=range_start,
        )
        .select_related("service", "customer", "staff")
        .order_by("start", "id")
    )
    # Cancelled ones first, so the appointments that hold the time are drawn over them.
    appointments.sort(key=lambda a: a.status != Appointment.Status.CANCELLED)
    holds = holds_live(business=business, staff_ids=ids, start=range_start, end=range_end)
    now = timezone.now()
    columns: list[Column] = []
    for person in staff:
        for day in days:
            column = Column(staff=person, day=day)
            day_start, day_end = _day_bounds(day, tz)
            for w_start, w_end in sorted(weekly[(person.pk, day.weekday())]):
                span = _span(
                    datetime.combine(day, w_start, tzinfo=tz),
                    datetime.combine(day, w_end, tzinfo=tz),
                    day,
                    tz,
                )
                if span is not None:
                    column.work.append(span)
            for staff_id, kind, ex_start, ex_end, note in exceptions:
                if staff_id != person.pk or ex_start >= day_end or ex_end <= day_start:
                    continue
                span = _span(ex_start, ex_end, day, tz, note)
                if span is None:
                    continue
                if kind == StaffException.Kind.OFF:
                    column.off.append(span)
                else:
                    column.work.append(span)
            for appointment in appointments:
                if appointment.staff_id != person.pk:
                    continue
                if appointment.start >= day_end or appointment.end <= day_start:
                    continue
                span = _span(appointment.start, appointment.end, day, tz)
                if span is None:
                    continue
                buffer = int((appointment.blocks_until - appointment.end).total_seconds() // 60)
                column.blocks.append(
                    Block(
                        appointment=appointment,
                        span=span,
                        buffer=buffer,
                        local_start=appointment.start.astimezone(tz),
                        local_end=appointment.end.astimezone(tz),
                    )
                )
            column.holds = _hold_blocks(holds, person=person, day=day, tz=tz, now=now)
            column.work.sort(key=lambda s: s.start)
            columns.append(column)
    return columns


def _hold_blocks(
    holds: list[SlotHold], *, person: StaffMember, day: date, tz: ZoneInfo, now: datetime
) -> list[HoldBlock]:
    blocks = []
    for hold in holds:
        if hold.staff_id != person.pk:
            continue
        span = _span(hold.start, hold.end, day, tz)
        if span is None:
            continue
        blocks.append(
            HoldBlock(
                hold=hold,
                span=span,
                buffer=int((hold.blocks_until - hold.end).total_seconds() // 60),
                local_start=hold.start.astimezone(tz),
                local_end=hold.end.astimezone(tz),
                seconds_left=max(0, int((hold.expires_at - now).total_seconds())),
            )
        )
    return blocks


def _grid(business: Business, columns: list[Column]) -> Grid:
    starts = [s.start for c in columns for s in (*c.work, *(b.span for b in c.blocks))]
    ends = [s.end for c in columns for s in (*c.work, *(b.span for b in c.blocks))]
    first = min(starts) if starts else DEFAULT_OPEN[0]
    last = max(ends) if ends else DEFAULT_OPEN[1]
    first = min(first, DEFAULT_OPEN[0]) // 60 * 60
    last = min(DAY_MINUTES, -(-max(last, DEFAULT_OPEN[1]) // 60) * 60)
    return Grid(
        columns=columns,
        start_minute=first,
        end_minute=last,
        interval=business.slot_interval_minutes,
        tz=business.tz,
    )


def staff_on_book(*, business: Business) -> list[StaffMember]:
    return list(StaffMember.objects.filter(business=business, active=True).order_by("name", "id"))


def staff_for_day(*, business: Business, day: date) -> list[StaffMember]:
    """Everyone taking bookings, and anyone no longer active who still has appointments
    that day (their appointments must not vanish from the book): one query."""
    day_start, day_end = _day_bounds(day, business.tz)
    still_booked = Appointment.objects.filter(
        staff=OuterRef("pk"), status__in=SHOWN, start__lt=day_end, end__gt=day_start
    )
    return list(
        StaffMember.objects.filter(business=business)
        .filter(Q(active=True) | Exists(still_booked))
        .order_by("name", "id")
    )


def book_day(*, business: Business, day: date, cancelled: bool = False) -> Grid:
    """The column of each staff member on the book that day: 4 queries."""
    staff = staff_for_day(business=business, day=day)
    return _grid(
        business, book_columns(business=business, staff=staff, days=[day], cancelled=cancelled)
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def book_week(
    *, business: Business, staff: StaffMember, day: date, cancelled: bool = False
) -> Grid:
    """One staff member's columns for the Monday-to-Sunday week containing `day`: 3 queries."""
    monday = week_start(day)
    days = [monday + timedelta(days=n) for n in range(7)]
    return _grid(
        business,
        book_columns(business=business, staff=[staff], days=days, cancelled=cancelled),
    )


def staff_get(*, business: Business, pk: int) -> StaffMember:
    return get_object_or_404(StaffMember, business=business, pk=pk)


def appointment_get(*, business: Business, pk: int) -> Appointment:
    """The business's appointment with what the panel shows, or 404 (also for another
    business's id)."""
    return get_object_or_404(
        Appointment.objects.select_related("service", "staff", "customer", "call", "business"),
        business=business,
        pk=pk,
    )


def appointment_changes(*, appointment: Appointment) -> list[AppointmentChange]:
    return list(appointment.changes.order_by("-created_at", "-id"))


def columns_touched(*, appointment: Appointment) -> set[tuple[int, date]]:
    """The (staff id, local day) columns an appointment's latest change affected: where it
    is now and, after a move, where it was."""
    tz = appointment.business.tz
    touched = {(appointment.staff_id, appointment.start.astimezone(tz).date())}
    latest = appointment.changes.order_by("-created_at", "-id").first()
    before = latest.before if latest is not None else {}
    if before.get("staff_id") and before.get("start"):
        try:
            was = datetime.fromisoformat(before["start"]).astimezone(tz).date()
        except (TypeError, ValueError):
            was = None
        if was is not None:
            touched.add((int(before["staff_id"]), was))
    return touched


# --- Search ---------------------------------------------------------------------------


@dataclass
class SearchResult:
    query: str
    kind: str  # reference, phone, name, none
    appointments: list[Appointment]
    customers: list[Customer]


def _appointments(business: Business) -> QuerySet[Appointment]:
    return Appointment.objects.filter(business=business).select_related(
        "service", "staff", "customer"
    )


def customers_by_phone_digits(*, business: Business, query: str) -> list[Customer]:
    """Customers whose number ends with the digits typed: the last four, or a number without
    its country code (07700 900121 for +44 7700 900121; the trunk 0 dropped). Numbers are
    encrypted: the clear last four narrow it down, the few candidates are compared whole."""
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) < 4 or sum(ch.isalpha() for ch in query):
        return []
    exact = customer_by_phone(business=business, phone=query) if len(digits) >= 6 else None
    if exact is not None:
        return [exact]
    tails = {digits, digits.lstrip("0")} - {""}
    candidates = Customer.objects.filter(business=business, phone_last4=digits[-4:])
    return [c for c in candidates.order_by("name")[:200] if any(c.phone.endswith(t) for t in tails)]


def book_search(*, business: Business, query: str, limit: int = 50) -> SearchResult:
    """A reference (as forgiving as the tools API), a phone number, or part of a name."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return SearchResult(query, "none", [], [])
    found = appointment_by_reference(business=business, reference=query)
    if found is not None:
        return SearchResult(query, "reference", [found], [found.customer])
    by_phone = customers_by_phone_digits(business=business, query=query)
    if by_phone:
        rows = list(
            _appointments(business).filter(customer__in=by_phone).order_by("-start")[:limit]
        )
        return SearchResult(query, "phone", rows, by_phone[:limit])
    customers = list(
        Customer.objects.filter(business=business, name__icontains=query).order_by("name")[:limit]
    )
    rows = list(
        _appointments(business)
        .filter(Q(customer__in=customers) | Q(reference__icontains=query))
        .order_by("-start")[:limit]
    )
    return SearchResult(query, "name", rows, customers)


def customers_find(*, business: Business, query: str, limit: int = 8) -> list[Customer]:
    """For the booking form: by phone (any format) or by part of the name."""
    query = " ".join((query or "").split())[:100]
    if len(query) < 2:
        return []
    by_phone = customers_by_phone_digits(business=business, query=query)
    if by_phone:
        return by_phone[:limit]
    return list(
        Customer.objects.filter(business=business, name__icontains=query).order_by("name")[:limit]
    )


# --- The appointment panel ------------------------------------------------------------


@dataclass
class Panel:
    appointment: Appointment
    local_start: datetime
    local_end: datetime
    phone_masked: str
    history: list[HistoryRow]
    next_statuses: list[tuple[str, str]]  # (status, label) it may move to now
    call_url: str | None
    undo_label: str = ""  # the status change the desk may still take back, e.g. "No-show"

    @property
    def dom_id(self) -> str:
        return f"panel-appt-{self.appointment.pk}"

    @property
    def when_label(self) -> str:
        return f"{self.local_start:%a %-d %b %Y, %H:%M}–{self.local_end:%H:%M}"

    @property
    def day(self) -> date:
        return self.local_start.date()

    @property
    def time_value(self) -> str:
        return f"{self.local_start:%H:%M}"


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    what: str


def _local_label(raw: str | None, tz: ZoneInfo) -> str:
    try:
        return f"{datetime.fromisoformat(raw or '').astimezone(tz):%a %-d %b %H:%M}"
    except ValueError:
        return "?"


def _history_row(change: AppointmentChange, tz: ZoneInfo) -> HistoryRow:
    before, after = change.before or {}, change.after or {}
    statuses = dict(Appointment.Status.choices)
    if change.action == "booked":
        what = f"Booked for {_local_label(after.get('start'), tz)} with {after.get('staff', '?')}"
    elif change.action == "rescheduled":
        what = (
            f"Moved from {_local_label(before.get('start'), tz)} ({before.get('staff', '?')}) "
            f"to {_local_label(after.get('start'), tz)} ({after.get('staff', '?')})"
        )
    elif change.action == "cancelled":
        reason = after.get("reason") or ""
        what = f"Cancelled{': ' + reason if reason else ''}"
    elif change.action == "status":
        was, now = str(before.get("status", "?")), str(after.get("status", "?"))
        what = f"{statuses.get(was, was)} → {statuses.get(now, now)}"
    elif change.action == "status_undone":
        was, now = str(before.get("status", "?")), str(after.get("status", "?"))
        what = f"Undone: {statuses.get(was, was)} → {statuses.get(now, now)}"
    elif change.action == "resent":
        what = "Confirmation sent again"
    else:
        what = change.action
    if "notified" in after:  # moves and cancellations made since the desk could choose
        what += " · client told" if after["notified"] else " · client not told"
    return HistoryRow(
        when=f"{change.created_at.astimezone(tz):%-d %b %H:%M}", who=change.actor_label, what=what
    )


STATUS_ACTIONS = {
    Appointment.Status.CONFIRMED: "Confirmed",
    Appointment.Status.ARRIVED: "Arrived",
    Appointment.Status.COMPLETED: "Completed",
    Appointment.Status.NO_SHOW: "No-show",
}


def _call_url(appointment: Appointment) -> str | None:
    """The call that booked it: its review page once the calls app has one, else its live
    transcript page."""
    if appointment.call_id is None:
        return None
    for name in ("call_review", "calls_live_call"):
        try:
            return reverse(name, args=[appointment.call_id])
        except NoReverseMatch:
            continue
    return None


def appointment_panel(*, appointment: Appointment, now: datetime | None = None) -> Panel:
    now = now or timezone.now()
    tz = appointment.business.tz
    undoable = status_change_undoable(appointment=appointment, now=now)
    statuses = dict(Appointment.Status.choices)
    return Panel(
        appointment=appointment,
        local_start=appointment.start.astimezone(tz),
        local_end=appointment.end.astimezone(tz),
        phone_masked=phone_mask(appointment.customer.phone),
        history=[_history_row(c, tz) for c in appointment_changes(appointment=appointment)],
        next_statuses=[
            (s, label)
            for s, label in STATUS_ACTIONS.items()
            if status_allowed(appointment=appointment, status=s, now=now)
        ],
        call_url=_call_url(appointment),
        undo_label=str(statuses.get(appointment.status, "")) if undoable else "",
    )
