"""Demo services, staff with hours, customers and appointments for `seed_demo`.

Idempotent: a business that already has services is left as it is. Appointments are
made through the one write path, so they carry real references and history.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from bookings.catalog.services import HoursInterval, service_create, staff_create
from bookings.models import Appointment, OutboxMessage, Service
from bookings.selectors import availability_list
from bookings.services import BookingError, CustomerDetails, appointment_book
from console.tenancy.models import Business

# (name, aliases, minutes, buffer, price in cents)
SALON_SERVICES = [
    ("Women's Haircut", ["ladies cut", "ladies haircut", "women's cut"], 45, 15, 6500),
    ("Men's Haircut", ["gents cut", "barber cut", "men's cut"], 30, 0, 3500),
    (
        "Cut and Blow Dry",
        ["cut & blow-dry", "cut and blowout", "wash cut and blow dry"],
        60,
        15,
        8000,
    ),
    ("Blow Dry", ["blowout", "blow-dry", "wash and blow dry"], 30, 0, 4000),
    ("Full Colour", ["all over colour", "hair colour", "full color", "dye"], 90, 15, 12000),
    ("Root Touch-Up", ["roots", "root colour", "regrowth"], 60, 15, 7000),
    ("Highlights", ["foils", "balayage", "half head highlights"], 120, 15, 15000),
    ("Gel Manicure", ["gel mani", "shellac", "gel nails"], 45, 10, 4500),
    ("Classic Manicure", ["mani", "manicure", "nails"], 30, 10, 3000),
    ("Pedicure", ["pedi", "spa pedicure"], 45, 10, 5000),
    ("Eyebrow Wax", ["brow wax", "brows"], 15, 5, 1800),
    ("Beard Trim", ["beard", "beard tidy"], 20, 0, 2000),
]
CLINIC_SERVICES = [
    ("General Consultation", ["gp appointment", "see a doctor", "consultation"], 20, 10, 9000),
    ("Follow-up Appointment", ["follow up", "review appointment", "check back"], 15, 5, 6000),
    ("Physiotherapy Session", ["physio", "physical therapy"], 45, 15, 8500),
    ("Blood Test", ["bloods", "blood work", "blood draw"], 15, 5, 4000),
    ("Vaccination", ["jab", "flu shot", "vaccine"], 15, 5, 3500),
    ("Dental Check-up", ["dentist", "check up", "dental exam"], 30, 10, 7500),
    ("Teeth Cleaning", ["hygienist", "scale and polish", "cleaning"], 45, 15, 9500),
]
SALON_STAFF = [
    (
        "Maya",
        [
            "Women's Haircut",
            "Cut and Blow Dry",
            "Blow Dry",
            "Full Colour",
            "Root Touch-Up",
            "Highlights",
        ],
    ),
    ("Leo", ["Men's Haircut", "Beard Trim", "Women's Haircut", "Cut and Blow Dry", "Blow Dry"]),
    ("Priya", ["Gel Manicure", "Classic Manicure", "Pedicure", "Eyebrow Wax"]),
]
CLINIC_STAFF = [
    (
        "Dr Amara Okafor",
        ["General Consultation", "Follow-up Appointment", "Blood Test", "Vaccination"],
    ),
    ("Sam Reid (physio)", ["Physiotherapy Session"]),
    ("Dr Tom Hughes", ["Dental Check-up", "Teeth Cleaning", "Follow-up Appointment"]),
]
CUSTOMERS = [
    ("Olivia Bennett", "+12025550111", "olivia@example.test"),
    ("James Carter", "+12025550112", ""),
    ("Sofia Alvarez", "+12025550113", "sofia@example.test"),
    ("Noah Kim", "+12025550114", ""),
    ("Emma Walsh", "+447700900121", "emma@example.test"),
    ("Harry Patel", "+447700900122", ""),
]


def week_hours(*, saturday: bool) -> list[HoursInterval]:
    days = range(6) if saturday else range(5)
    return [
        HoursInterval(d, start, end)
        for d in days
        for start, end in ((time(9), time(12, 30)), (time(13, 30), time(18)))
    ]


@transaction.atomic
def bookings_demo_seed(business: Business, *, appointments: int = 12) -> int:
    """Services, staff and a few appointments over the coming days; returns how many were
    booked (0 when the business already had services)."""
    if Service.objects.filter(business=business).exists():
        return 0
    clinic = business.kind == Business.Kind.CLINIC
    services = {}
    for name, aliases, minutes, buffer, price in CLINIC_SERVICES if clinic else SALON_SERVICES:
        services[name] = service_create(
            business=business,
            name=name,
            aliases=aliases,
            duration_minutes=minutes,
            buffer_minutes=buffer,
            price_cents=price,
        )
    for name, does in CLINIC_STAFF if clinic else SALON_STAFF:
        staff_create(
            business=business,
            name=name,
            service_ids=[services[s].pk for s in does],
            hours=week_hours(saturday=not clinic),
        )
    rng = random.Random(business.slug)  # the same demo book every time
    today = timezone.now().astimezone(business.tz).date()
    booked = 0
    for i in range(appointments * 3):
        if booked >= appointments:
            break
        service = rng.choice(list(services.values()))
        day = today + timedelta(days=1 + i % 7)
        slots = availability_list(business=business, service=service, day_from=day, day_to=day)
        if not slots:
            continue
        slot = rng.choice(slots)
        name, phone, email = CUSTOMERS[i % len(CUSTOMERS)]
        try:
            appointment_book(
                business=business,
                service=service,
                staff=slot.staff,
                start=slot.start,
                customer=CustomerDetails(name=name, phone=phone, email=email),
                source=rng.choice([Appointment.Source.VOICE, Appointment.Source.CONSOLE]),
                notes="Demo booking",
            )
        except BookingError:
            continue
        booked += 1
    # Demo customers are made up: withdraw their confirmations before they are sent (the
    # tasks queued on commit then find nothing to send).
    OutboxMessage.objects.filter(business=business).delete()
    return booked
