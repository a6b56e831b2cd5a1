"""Reads of client records. Every function starts from a business.

Search reuses the book's: part of a name, or the digits of a number (the last four, or a
number without its country code: bookings.book.pages.customers_by_phone_digits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bookings.book.pages import customers_by_phone_digits
from bookings.models import Appointment, Customer
from calls.models import Call
from console.privacy.phones import phone_mask
from console.tenancy.models import Business

SORTS = {"last_visit": "Last visit", "name": "Name"}

# A visit happened (or is still to come) unless it was cancelled or missed.
VISITED = (
    Appointment.Status.BOOKED,
    Appointment.Status.CONFIRMED,
    Appointment.Status.ARRIVED,
    Appointment.Status.COMPLETED,
)
CARD_VISITS = 50  # past visits shown on a card; the counts and the spend cover them all
CARD_CALLS = 50


def clients_list(
    *, business: Business, query: str = "", sort: str = "last_visit", now: datetime | None = None
) -> QuerySet[Customer]:
    """The business's clients matching `query`, with their last visit (before `now`) and
    visit count, sorted by last visit (newest first, never-visited last) or by name."""
    now = now or timezone.now()
    query = " ".join((query or "").split())[:100]
    clients = Customer.objects.filter(business=business)
    if query:
        by_phone = customers_by_phone_digits(business=business, query=query)
        if by_phone:
            clients = clients.filter(pk__in=[c.pk for c in by_phone])
        else:
            clients = clients.filter(name__icontains=query)
    past = Q(appointments__status__in=VISITED, appointments__start__lte=now)
    clients = clients.annotate(
        last_visit=Max("appointments__start", filter=past),
        visit_count=Count("appointments", filter=past),
    )
    if sort == "name":
        return clients.order_by("name", "id")
    return clients.order_by(F("last_visit").desc(nulls_last=True), "name", "id")


def client_get(*, business: Business, pk: int) -> Customer:
    """The business's client, or 404 (also for another business's id)."""
    return get_object_or_404(Customer.objects.select_related("business"), business=business, pk=pk)


def client_for_call(*, business: Business, call: Call) -> Customer | None:
    """The client who made `call`, by the number's blind index (also a number that was a
    duplicate's, merged into a client)."""
    if not call.from_hash:
        return None
    # The client who has the number now comes before one a duplicate with it was merged into.
    return (
        Customer.objects.filter(business=business, phone_index=call.from_hash).first()
        or Customer.objects.filter(
            business=business, merged_numbers__phone_index=call.from_hash
        ).first()
    )


@dataclass(frozen=True)
class Visit:
    appointment: Appointment
    local_start: datetime


@dataclass
class Card:
    client: Customer
    phone_masked: str
    upcoming: list[Visit]
    past: list[Visit]
    past_total: int
    completed: int
    no_shows: int
    cancellations: int
    spend_cents: int
    calls: list[Call]

    @property
    def dom_id(self) -> str:
        return f"client-{self.client.pk}"


def client_card(*, business: Business, client: Customer, now: datetime | None = None) -> Card:
    """Everything the card shows, in 5 queries whatever the history's length. Spend is the
    price of the service of each completed visit, in integer cents."""
    now = now or timezone.now()
    tz = business.tz
    appointments = Appointment.objects.filter(business=business, customer=client)
    totals = appointments.aggregate(
        completed=Count("pk", filter=Q(status=Appointment.Status.COMPLETED)),
        no_shows=Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
        cancellations=Count("pk", filter=Q(status=Appointment.Status.CANCELLED)),
        past_total=Count("pk", filter=Q(start__lte=now)),
        spend=Sum("service__price_cents", filter=Q(status=Appointment.Status.COMPLETED)),
    )
    with_names = appointments.select_related("service", "staff")
    upcoming = [
        Visit(a, a.start.astimezone(tz))
        for a in with_names.filter(
            start__gt=now, status__in=(Appointment.Status.BOOKED, Appointment.Status.CONFIRMED)
        ).order_by("start", "id")[:CARD_VISITS]
    ]
    past = [
        Visit(a, a.start.astimezone(tz))
        for a in with_names.filter(start__lte=now).order_by("-start", "-id")[:CARD_VISITS]
    ]
    hashes = [client.phone_index, *client.merged_numbers.values_list("phone_index", flat=True)]
    calls = list(
        Call.objects.filter(business=business, from_hash__in=hashes).order_by("-started_at", "-id")[
            :CARD_CALLS
        ]
    )
    return Card(
        client=client,
        phone_masked=phone_mask(client.phone),
        upcoming=upcoming,
        past=past,
        past_total=totals["past_total"],
        completed=totals["completed"],
        no_shows=totals["no_shows"],
        cancellations=totals["cancellations"],
        spend_cents=totals["spend"] or 0,
        calls=calls,
    )


def merge_candidates(
    *, business: Business, client: Customer, query: str = "", limit: int = 10
) -> list[Customer]:
    """Other clients of the business to merge into `client`: those matching `query`, or
    without one, those with the same name."""
    query = " ".join((query or "").split())[:100]
    if query:
        found = clients_list(business=business, query=query, sort="name")
    else:
        found = clients_list(business=business, sort="name").filter(name__iexact=client.name)
    return list(found.exclude(pk=client.pk)[:limit])
