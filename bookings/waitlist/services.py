"""The waitlist: clients who want a service in a window of time, offered freed time in turn.

When an appointment is cancelled or moved (bookings.services.on_appointment_changed, after
commit) the business's queue is looked at: for each service, the first waiting entry with a
free slot in its window gets an SMS offer (the outbox) with a signed link that books it in
one tap if it is still free. One live offer per service at a time: when it runs out
(WAITLIST_OFFER_MINUTES) unanswered, the entry expires and the next one is offered, by a
countdown task and, should that be lost, by beat. Every step is idempotent: making offers
twice offers nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bookings.days import moment_within_reach
from bookings.models import (
    Appointment,
    Customer,
    OutboxMessage,
    Service,
    StaffMember,
    WaitlistEntry,
)
from bookings.outbox import outbox_send
from bookings.selectors import availability_list
from bookings.services import (
    BookingError,
    CustomerDetails,
    SlotUnavailable,
    _check_staff,
    appointment_book,
    customer_upsert,
)
from console.tenancy.models import Business

OFFER_SALT = "bookings.waitlist-offer"
QUEUED = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)

# After commit, with (entry id, offer expiry): the countdown task registers here
# (bookings.tasks), so that this module never imports the tasks that call it.
on_offer_made: list[Callable[[int, datetime], None]] = []


def offer_minutes() -> int:
    return int(settings.WAITLIST_OFFER_MINUTES)


def waitlist_position(*, entry: WaitlistEntry) -> int:
    """1 for the first of the queue for its service."""
    return (
        WaitlistEntry.objects.filter(
            business_id=entry.business_id,
            service_id=entry.service_id,
            status__in=QUEUED,
            created_at__lte=entry.created_at,
            pk__lte=entry.pk,
        ).count()
        if entry.status in QUEUED
        else 0
    )


def waitlist_join(
    *,
    business: Business,
    service: Service,
    start: datetime,
    end: datetime,
    customer: Customer | CustomerDetails,
    staff: StaffMember | None = None,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put the client on the list for `service` some time in [start, end) (aware)."""
    now = now or timezone.now()
    for name, moment in (("from", start), ("to", end)):
        if timezone.is_naive(moment):
            raise BookingError("Times need a UTC offset.", field_name=name)
        if not moment_within_reach(moment):
            raise BookingError("That time is years away from now.", field_name=name)
    if end <= start:
        raise BookingError("to must be after from.", field_name="to")
    if end <= now:
        raise BookingError("That window has passed.", field_name="to")
    if service.business_id != business.pk or not service.active:
        raise BookingError("No such service.", field_name="service")
    if staff is not None:
        _check_staff(business=business, staff=staff, service=service)
    with transaction.atomic():
        if isinstance(customer, CustomerDetails):
            customer = customer_upsert(business=business, details=customer)
        elif customer.business_id != business.pk:
            raise BookingError("No such customer.", field_name="customer")
        return WaitlistEntry.objects.create(
            business=business, service=service, staff=staff, customer=customer, start=start, end=end
        )


def waitlist_remove(*, entry: WaitlistEntry) -> None:
    """Take the client off the list (the desk, the API); a live offer goes with it."""
    business_id = entry.business_id
    entry.delete()
    _offers_after_commit(business_id)


def offer_token(entry: WaitlistEntry) -> str:
    assert entry.offered_start is not None
    return signing.dumps(
        {"b": entry.business_id, "w": entry.pk, "s": entry.offered_start.isoformat()},
        salt=OFFER_SALT,
    )


def offer_token_read(token: str) -> tuple[int, int, str] | None:
    """(business id, entry id, offered start) from a link's token, or None if tampered with."""
    try:
        data = signing.loads(token, salt=OFFER_SALT)
        return int(data["b"]), int(data["w"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def offer_link(entry: WaitlistEntry) -> str:
    return f"{settings.SITE_URL}{reverse('waitlist_offer', args=[offer_token(entry)])}"


def _expire_stale(*, business: Business, now: datetime) -> None:
    WaitlistEntry.objects.filter(
        business=business, status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now
    ).update(status=WaitlistEntry.Status.EXPIRED)
    WaitlistEntry.objects.filter(business=business, status__in=QUEUED, end__lte=now).update(
        status=WaitlistEntry.Status.EXPIRED
    )


def waitlist_offers_make(*, business: Business, now: datetime | None = None) -> list[WaitlistEntry]:
    """Expire offers that ran out, then offer each service's freed time to the first waiting
    entry it suits, unless that service has a live offer already. Returns the new offers."""
    now = now or timezone.now()
    made: list[WaitlistEntry] = []
    with transaction.atomic():
        # One offer-maker per business at a time (on SQLite the write transaction is).
        Business.objects.select_for_update().filter(pk=business.pk).first()
        _expire_stale(business=business, now=now)
        entries = list(
            WaitlistEntry.objects.filter(business=business, status__in=QUEUED)
            .select_related("service", "staff", "customer")
            .order_by("created_at", "id")
        )
        busy_services = {e.service_id for e in entries if e.status == WaitlistEntry.Status.OFFERED}
        for entry in entries:
            if entry.status != WaitlistEntry.Status.WAITING or entry.service_id in busy_services:
                continue
            slot = _first_free(entry=entry, now=now)
            if slot is None:
                continue
            entry.status = WaitlistEntry.Status.OFFERED
            entry.offered_start, entry.offered_staff = slot.start, slot.staff
            entry.offer_expires_at = now + timedelta(minutes=offer_minutes())
            entry.save(
                update_fields=["status", "offered_start", "offered_staff", "offer_expires_at"]
            )
            _offer_message_queue(entry=entry)
            busy_services.add(entry.service_id)
            made.append(entry)
    return made


def _first_free(*, entry: WaitlistEntry, now: datetime):  # type: ignore[no-untyped-def]
    tz = entry.business.tz
    begin = max(entry.start, now)
    if begin >= entry.end:
        return None
    duration = timedelta(minutes=entry.service.duration_minutes)
    for slot in availability_list(
        business=entry.business,
        service=entry.service,
        staff=entry.staff,
        day_from=begin.astimezone(tz).date(),
        day_to=entry.end.astimezone(tz).date(),
        now=now,
    ):
        if slot.start >= entry.start and slot.start + duration <= entry.end:
            return slot
    return None


def _offer_message_queue(*, entry: WaitlistEntry) -> None:
    assert entry.offered_start is not None and entry.offer_expires_at is not None
    business = entry.business
    local = entry.offered_start.astimezone(business.tz)
    body = render_to_string(
        "bookings/messages/waitlist_offer.txt",
        {
            "business": business,
            "entry": entry,
            "when": f"{local:%a %d %b} at {local:%H:%M}",
            "minutes": offer_minutes(),
            "link": offer_link(entry),
        },
    ).strip()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                business=business,
                channel=OutboxMessage.Channel.SMS,
                kind=OutboxMessage.Kind.OFFER,
                dedupe_key=f"offer:{entry.pk}:{entry.offered_start.isoformat()}"[:120],
                recipient=entry.customer.phone,
                body=body,
            )
    except IntegrityError:
        return  # this very offer was sent already
    message_id, entry_id, expires = message.pk, entry.pk, entry.offer_expires_at

    def after_commit() -> None:
        outbox_send.delay(message_id)
        for listener in on_offer_made:
            listener(entry_id, expires)

    transaction.on_commit(after_commit, robust=True)


def _offers_after_commit(business_id: int) -> None:
    def run() -> None:
        business = Business.objects.filter(pk=business_id).first()
        if business is not None:
            waitlist_offers_make(business=business)

    transaction.on_commit(run, robust=True)


class OfferGone(BookingError):
    """The offer ran out, was taken, or the entry is no longer on the list."""

    code = "offer_expired"
    status = 409


def waitlist_offer_accept(*, token: str, now: datetime | None = None) -> Appointment:
    """Book the offered time for the entry's client (the one tap), if it is still free.

    Raises OfferGone, or SlotUnavailable when someone else took the time first (the entry
    then waits again, keeping its place)."""
    now = now or timezone.now()
    read = offer_token_read(token)
    if read is None:
        raise OfferGone("This link is not valid.")
    business_id, entry_id, offered = read
    try:
        with transaction.atomic():
            entry = (
                WaitlistEntry.objects.select_for_update(of=("self",))
                .select_related("business", "service", "offered_staff", "customer")
                .filter(pk=entry_id, business_id=business_id)
                .first()
            )
            if (
                entry is None
                or entry.status != WaitlistEntry.Status.OFFERED
                or entry.offered_start is None
                or entry.offered_start.isoformat() != offered
                or entry.offer_expires_at is None
                or entry.offer_expires_at <= now
            ):
                raise OfferGone("This offer has ended; the business can put you on the list again.")
            appointment = appointment_book(
                business=entry.business,
                service=entry.service,
                staff=entry.offered_staff,
                start=entry.offered_start,
                customer=entry.customer,
                source=Appointment.Source.CUSTOMER,
                now=now,
            )
            entry.status = WaitlistEntry.Status.BOOKED
            entry.appointment = appointment
            entry.save(update_fields=["status", "appointment"])
    except SlotUnavailable:
        WaitlistEntry.objects.filter(
            pk=entry_id, business_id=business_id, status=WaitlistEntry.Status.OFFERED
        ).update(status=WaitlistEntry.Status.WAITING, offered_start=None, offer_expires_at=None)
        raise
    return appointment


def waitlist_business_for_change(*, appointment_id: int, action: str) -> int | None:
    """The business whose waitlist a cancel or a move may serve, if it has anyone waiting."""
    if action not in ("cancelled", "rescheduled"):
        return None
    business_id = (
        Appointment.objects.filter(pk=appointment_id).values_list("business_id", flat=True).first()
    )
    if business_id is None:
        return None
    waiting = WaitlistEntry.objects.filter(
        business_id=business_id, status=WaitlistEntry.Status.WAITING
    ).exists()
    return business_id if waiting else None


def waitlist_businesses_due(*, now: datetime | None = None) -> list[int]:
    """Businesses with an offer that ran out (beat's safety net for a lost countdown)."""
    now = now or timezone.now()
    return list(
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("business_id", flat=True)
        .distinct()
    )
