"""Demo data of the affiliate program for `seed_demo`: an affiliate who referred the demo
salon, with clicks, two approved commissions and a pending one. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from console.affiliates.models import Affiliate, Referral, ReferralClick
from console.affiliates.services import commission_earn, commissions_approve
from console.billing.models import Invoice
from console.demo.businesses import DEMO_PASSWORD, DemoLogin
from console.tenancy.models import Business, User

AFFILIATE_EMAIL = "affiliate@partners.test"


@transaction.atomic
def affiliates_demo_seed(*, referred: Business) -> DemoLogin:
    user = User.objects.filter(email=AFFILIATE_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=AFFILIATE_EMAIL, password=DEMO_PASSWORD, name="Alex Partner"
        )
    affiliate, _ = Affiliate.objects.get_or_create(user=user, defaults={"code": "demo22"})
    today = timezone.now().date()
    for n in range(12):
        ReferralClick.objects.get_or_create(
            affiliate=affiliate, visitor_hash=f"demo-{n}", day=today - timedelta(days=n * 5)
        )
    Referral.objects.get_or_create(business=referred, defaults={"affiliate": affiliate})
    now = timezone.now()
    for n, days_ago in enumerate((75, 45, 15)):
        invoice, _ = Invoice.objects.get_or_create(
            stripe_invoice_id=f"in_demo_{referred.slug}_{n}",
            defaults={
                "business": referred,
                "number": f"DEMO-{n + 1:04d}",
                "amount_paid_cents": referred.plan.price_cents if referred.plan else 49900,
                "paid_at": now - timedelta(days=days_ago),
            },
        )
        commission_earn(invoice=invoice)
    commissions_approve()
    return DemoLogin(AFFILIATE_EMAIL, "affiliate", f"code {affiliate.code}")
