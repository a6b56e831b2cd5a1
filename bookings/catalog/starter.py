"""What a new trial business starts with: a few services for its kind and one staff member
working weekdays, so the agent can book from the first call. Written through the bookings
app's own catalogue functions (one write path); the owner edits or deletes them freely."""

from __future__ import annotations

from datetime import time

from console.tenancy.models import Business, User

STARTER_SERVICES: dict[str, list[dict[str, object]]] = {
    Business.Kind.SALON: [
        {
            "name": "Women's cut and style",
            "duration_minutes": 60,
            "price_cents": 6500,
            "aliases": ["haircut", "cut and blow dry", "ladies cut"],
        },
        {
            "name": "Men's cut",
            "duration_minutes": 30,
            "price_cents": 3500,
            "aliases": ["gents cut", "barber cut"],
        },
        {
            "name": "Colour",
            "duration_minutes": 120,
            "price_cents": 12000,
            "buffer_minutes": 15,
            "aliases": ["color", "hair dye", "tint"],
        },
        {
            "name": "Blow-dry",
            "duration_minutes": 45,
            "price_cents": 4000,
            "aliases": ["blowout", "blow dry"],
        },
        {
            "name": "Gel manicure",
            "duration_minutes": 45,
            "price_cents": 3500,
            "aliases": ["gel mani", "gel nails", "shellac"],
        },
    ],
    Business.Kind.CLINIC: [
        {
            "name": "New patient consultation",
            "duration_minutes": 45,
            "price_cents": 12000,
            "aliases": ["first visit", "new patient"],
        },
        {
            "name": "Follow-up appointment",
            "duration_minutes": 20,
            "price_cents": 6000,
            "aliases": ["follow up", "review"],
        },
        {
            "name": "Annual check-up",
            "duration_minutes": 30,
            "price_cents": 9000,
            "aliases": ["check up", "physical", "annual exam"],
        },
        {
            "name": "Vaccination",
            "duration_minutes": 15,
            "price_cents": 3000,
            "aliases": ["jab", "shot", "flu shot"],
        },
    ],
}
WEEKDAY_HOURS = (time(9, 0), time(17, 0))


def starter_services_create(*, business: Business, owner: User | None = None) -> int:
    """Create the starter services and a weekday staff member; returns how many services."""
    # Imported here: bookings imports console's modules, and console.tenancy imports this
    # app's trial code.
    from bookings.catalog.services import HoursInterval, service_create, staff_create

    services = [
        service_create(business=business, **spec)  # type: ignore[arg-type]
        for spec in STARTER_SERVICES.get(business.kind, [])
    ]
    if services:
        start, end = WEEKDAY_HOURS
        staff_create(
            business=business,
            name=(owner.name or "Team member") if owner else "Team member",
            service_ids=[s.pk for s in services],
            hours=[HoursInterval(weekday=d, start=start, end=end) for d in range(5)],
        )
    return len(services)
