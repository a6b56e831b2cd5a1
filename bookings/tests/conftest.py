"""Fixtures of the appointment book, made through the catalogue's services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings import sms
from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.models import Service, StaffMember
from console.tenancy.models import Business

WEEKDAYS_9_TO_5_WITH_LUNCH = [
    HoursInterval(day, start, end)
    for day in range(6)  # Monday to Saturday
    for start, end in ((time(9), time(12, 30)), (time(13, 30), time(17)))
]


def next_weekday(weekday: int, *, after: date | None = None, weeks: int = 1) -> date:
    """A date that falls on `weekday` at least `weeks` weeks ahead (clear of notice rules)."""
    start = (after or datetime.now(ZoneInfo("America/New_York")).date()) + timedelta(days=7 * weeks)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0, tz: str = "America/New_York") -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))


@pytest.fixture(autouse=True)
def _sms_locmem(settings: pytest.FixtureRequest) -> None:
    settings.SMS_BACKEND = "bookings.sms.LocmemBackend"  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    sms.outbox.clear()


@pytest.fixture
def haircut(business: Business) -> Service:
    return service_create(
        business=business,
        name="Women's Haircut",
        aliases=["ladies cut", "haircut"],
        duration_minutes=45,
        buffer_minutes=15,
        price_cents=5500,
    )


@pytest.fixture
def manicure(business: Business) -> Service:
    return service_create(
        business=business,
        name="Gel Manicure",
        aliases=["gel mani", "shellac"],
        duration_minutes=30,
        price_cents=3500,
    )


@pytest.fixture
def ana(business: Business, haircut: Service, manicure: Service) -> StaffMember:
    return staff_create(
        business=business,
        name="Ana",
        service_ids=[haircut.pk, manicure.pk],
        hours=WEEKDAYS_9_TO_5_WITH_LUNCH,
    )


@pytest.fixture
def ben(business: Business, haircut: Service) -> StaffMember:
    return staff_create(
        business=business, name="Ben", service_ids=[haircut.pk], hours=WEEKDAYS_9_TO_5_WITH_LUNCH
    )


@pytest.fixture
def monday() -> date:
    return next_weekday(0)
