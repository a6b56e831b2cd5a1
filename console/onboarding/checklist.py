"""The first-day checklist, computed from the database each time: a step is ticked because
the thing exists (a service, a working hour, an ingest key, a call, a colleague), never
because someone clicked it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from bookings.models import Service, StaffMember, WorkingHours
from calls.models import Call
from console.tenancy.models import ApiKey, Business, Membership


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    url: str
    action: str  # the link's label


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]
    events_url: str
    docs_url: str

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


def _agent_connected(business: Business) -> bool:
    """A live key the voice gateway can send call events with (scopes are a JSON list)."""
    scopes = ApiKey.objects.filter(business=business, revoked_at__isnull=True).values_list(
        "scopes", flat=True
    )
    return any("ingest" in (s or []) for s in scopes)


def checklist_get(*, business: Business) -> Checklist:
    """Six steps, six small queries."""
    active_staff = StaffMember.objects.filter(business=business, active=True)
    site = settings.SITE_URL.rstrip("/")
    steps = [
        Step(
            "services",
            "Add the services you offer",
            Service.objects.filter(business=business, active=True).exists(),
            reverse("settings_services"),
            "Services",
        ),
        Step(
            "staff",
            "Add your staff",
            active_staff.exists(),
            reverse("settings_staff"),
            "Staff",
        ),
        Step(
            "hours",
            "Set their working hours",
            WorkingHours.objects.filter(staff__in=active_staff).exists(),
            reverse("settings_staff"),
            "Hours",
        ),
        Step(
            "agent",
            "Connect your voice agent",
            _agent_connected(business),
            reverse("settings_api_keys"),
            "Create an API key",
        ),
        Step(
            "test_call",
            "Place a test call",
            Call.objects.filter(business=business).exists(),
            reverse("calls_live"),
            "Live calls",
        ),
        Step(
            "team",
            "Invite your team",
            Membership.objects.filter(business=business).count() > 1,
            reverse("settings_members"),
            "Members",
        ),
    ]
    return Checklist(
        steps=steps, events_url=f"{site}/api/v1/events", docs_url=f"{site}{reverse('api_docs')}"
    )


def checklist_open(*, business: Business) -> None:
    """Show the checklist in the business's navigation (a trial sign-up)."""
    Business.objects.filter(pk=business.pk).update(checklist_open=True)
    business.checklist_open = True


def checklist_close(*, business: Business) -> None:
    """Dismissed, or complete: it leaves the navigation (the page stays reachable by URL)."""
    Business.objects.filter(pk=business.pk).update(checklist_open=False)
    business.checklist_open = False
