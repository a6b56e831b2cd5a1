"""The two plans of /pricing/ and the affiliate program's terms, on every fresh database."""

from decimal import Decimal

from django.db import migrations

PLANS = [
    {
        "code": "starter",
        "name": "Starter",
        "price_cents": 49900,
        "position": 1,
        "features": [
            "One location",
            "AI voice agent on your phone line",
            "Up to 1,000 calls a month",
            "Appointment book with online booking tools",
            "Live call dashboard and transcripts",
            "SMS and email confirmations",
            "Email support",
        ],
    },
    {
        "code": "growth",
        "name": "Growth",
        "price_cents": 149900,
        "position": 2,
        "features": [
            "Up to 5 locations",
            "AI voice agent on phone, web and mobile app",
            "Up to 5,000 calls a month",
            "Appointment book with online booking tools",
            "Live call dashboard and transcripts",
            "SMS and email confirmations and reminders",
            "Call review: sentiment, intent, lead scores",
            "API access for your own systems",
            "Priority support",
        ],
    },
]


def seed(apps, schema_editor):
    Plan = apps.get_model("console", "Plan")
    AffiliateProgram = apps.get_model("console", "AffiliateProgram")
    for plan in PLANS:
        Plan.objects.update_or_create(
            code=plan["code"],
            defaults={**plan, "currency": "usd", "interval": "month", "active": True},
        )
    AffiliateProgram.objects.get_or_create(
        code="default",
        defaults={
            "commission_percent": Decimal("22.00"),
            "hold_days": 30,
            "cookie_days": 60,
            "payout_threshold_cents": 5000,
        },
    )


def unseed(apps, schema_editor):
    # Plans may be referenced by businesses by now; leave the data in place.
    pass


class Migration(migrations.Migration):
    dependencies = [("console", "0003_billing_affiliates")]

    operations = [migrations.RunPython(seed, unseed)]
