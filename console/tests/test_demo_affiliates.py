from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from console.affiliates.models import Affiliate, Commission, Referral, ReferralClick
from console.billing.models import Invoice
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401


def test_seed_demo_adds_an_affiliate_with_commissions_once(catalogue: None) -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "affiliate@partners.test" in out.getvalue()
    affiliate = Affiliate.objects.get(user__email="affiliate@partners.test")
    assert Referral.objects.filter(affiliate=affiliate).count() == 1
    assert ReferralClick.objects.filter(affiliate=affiliate).count() == 12
    assert Invoice.objects.count() == 3
    statuses = sorted(Commission.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "pending"]
