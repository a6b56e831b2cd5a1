"""Demo businesses and people for `seed_demo`. Idempotent: finds before it makes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from console.tenancy.models import Business, Membership, Role, User
from console.tenancy.services import business_create

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed by seed_demo: demo data only)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    business: str


@dataclass(frozen=True)
class DemoBusiness:
    slug: str
    name: str
    kind: str
    timezone: str
    prefix: str
    people: tuple[tuple[str, str], ...]  # (email, role), the owner first


DEMO_BUSINESSES = [
    DemoBusiness(
        slug="glow-bar",
        name="Glow Bar",
        kind=Business.Kind.SALON,
        timezone="America/New_York",
        prefix="GB",
        people=(("owner@glowbar.test", Role.OWNER), ("desk@glowbar.test", Role.FRONT_DESK)),
    ),
    DemoBusiness(
        slug="harbor-clinic",
        name="Harbor Clinic",
        kind=Business.Kind.CLINIC,
        timezone="Europe/London",
        prefix="HC",
        people=(
            ("owner@harborclinic.test", Role.OWNER),
            ("desk@harborclinic.test", Role.FRONT_DESK),
        ),
    ),
]
PLATFORM_STAFF_EMAIL = "staff@console.test"


def _user(email: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, is_staff=staff)
    return user


@transaction.atomic
def demo_businesses_seed() -> tuple[list[Business], list[DemoLogin]]:
    businesses: list[Business] = []
    logins: list[DemoLogin] = []
    for spec in DEMO_BUSINESSES:
        (owner_email, _), *others = spec.people
        owner = _user(owner_email)
        business = Business.objects.filter(slug=spec.slug).first()
        if business is None:
            business = business_create(
                name=spec.name,
                kind=spec.kind,
                timezone_name=spec.timezone,
                prefix=spec.prefix,
                owner=owner,
                trial_days=None,
            )
            if business.slug != spec.slug:
                business.slug = spec.slug
                business.save(update_fields=["slug"])
        logins.append(DemoLogin(owner_email, "owner", business.name))
        for email, role in others:
            Membership.objects.get_or_create(
                business=business, user=_user(email), defaults={"role": role}
            )
            logins.append(DemoLogin(email, str(Role(role).label).lower(), business.name))
        businesses.append(business)
    _user(PLATFORM_STAFF_EMAIL, staff=True)
    logins.append(DemoLogin(PLATFORM_STAFF_EMAIL, "platform staff", "all businesses"))
    return businesses, logins
