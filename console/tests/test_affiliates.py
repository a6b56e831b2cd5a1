"""The affiliate program: joining, clicks, attribution, commissions, payouts, dashboard."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_user
from console.affiliates.models import Affiliate, Commission, Payout, Referral, ReferralClick
from console.affiliates.services import (
    AffiliateError,
    commission_cents,
    payout_approve,
    referral_attribute,
)
from console.billing.models import Invoice
from console.tasks import commissions_approve
from console.tenancy.models import Business, Membership, User
from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
TRIAL = {
    "business_name": "Referred Salon",
    "kind": "salon",
    "timezone": "UTC",
    "owner_name": "Rita",
    "email": "rita@referred.test",
    "password": "a-long-unusual-passphrase-42",
}


def _affiliate(email: str = "aff@partners.test", code: str = "ann22") -> Affiliate:
    return Affiliate.objects.create(user=make_user(email), code=code)


def _paid_invoice(business: Business, cents: int, n: int = 1, days_ago: int = 0) -> Invoice:
    return Invoice.objects.create(
        business=business,
        stripe_invoice_id=f"in_{business.pk}_{n}",
        amount_paid_cents=cents,
        paid_at=timezone.now() - timedelta(days=days_ago),
    )


def _earn(affiliate: Affiliate, business: Business, cents: int, n: int = 1, days_ago: int = 0):
    from console.affiliates.services import commission_earn

    Referral.objects.get_or_create(business=business, defaults={"affiliate": affiliate})
    return commission_earn(invoice=_paid_invoice(business, cents, n, days_ago))


def test_joining_creates_an_own_login_with_a_code_and_no_business(catalogue: None) -> None:
    client = Client()
    response = client.post(
        reverse("affiliate_join"),
        {"name": "Ann", "email": "ann@partners.test", "password": "a-long-unusual-passphrase-42"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("affiliate_dashboard")
    affiliate = Affiliate.objects.get(user__email="ann@partners.test")
    assert len(affiliate.code) == 8
    assert not Membership.objects.filter(user=affiliate.user).exists()
    page = client.get(reverse("affiliate_dashboard"))
    assert f"/r/{affiliate.code}/".encode() in page.content
    assert client.get("/")["Location"] == reverse("affiliate_dashboard")


def test_joining_with_a_taken_email_or_weak_password_is_refused(catalogue: None, owner) -> None:
    taken = Client().post(
        reverse("affiliate_join"),
        {"name": "X", "email": owner.email, "password": "a-long-unusual-passphrase-42"},
    )
    assert taken.status_code == 400 and b"already exists" in taken.content
    weak = Client().post(
        reverse("affiliate_join"), {"name": "X", "email": "x@y.test", "password": "password"}
    )
    assert weak.status_code == 400 and b"too common" in weak.content
    assert not Affiliate.objects.exists()


def test_a_click_is_counted_once_per_visitor_per_day_and_bots_are_ignored(
    catalogue: None,
) -> None:
    affiliate = _affiliate()
    url = reverse("referral_link", args=[affiliate.code])
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    assert visitor.get(url).status_code == 302
    assert visitor.get(url).status_code == 302
    assert ReferralClick.objects.filter(affiliate=affiliate).count() == 1
    Client(HTTP_USER_AGENT=BROWSER + " Other").get(url)
    assert ReferralClick.objects.count() == 2
    for bot in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        response = Client(HTTP_USER_AGENT=bot).get(url)
        assert response.status_code == 302
        assert "ref" not in response.cookies
    assert ReferralClick.objects.count() == 2


def test_an_unknown_code_still_lands_on_pricing_without_a_cookie(catalogue: None) -> None:
    response = Client(HTTP_USER_AGENT=BROWSER).get(reverse("referral_link", args=["nobody"]))
    assert response.status_code == 302 and response["Location"] == reverse("pricing")
    assert "ref" not in response.cookies


def test_the_cookie_lasts_60_days_and_the_last_click_wins(catalogue: None) -> None:
    first, second = _affiliate("a@p.test", "first"), _affiliate("b@p.test", "second")
    prospect = Client(HTTP_USER_AGENT=BROWSER)
    response = prospect.get(reverse("referral_link", args=["first"]))
    assert response.cookies["ref"]["max-age"] == 60 * 86400
    prospect.get(reverse("referral_link", args=["second"]))
    prospect.post(reverse("trial"), TRIAL)
    referral = Referral.objects.get(business__name="Referred Salon")
    assert referral.affiliate == second != first


def test_a_trial_without_a_click_is_nobodys_referral(catalogue: None) -> None:
    Client().post(reverse("trial"), TRIAL)
    assert Business.objects.filter(name="Referred Salon").exists()
    assert not Referral.objects.exists()


def test_an_affiliate_cannot_refer_their_own_business(catalogue: None) -> None:
    affiliate = _affiliate("self@partners.test", "selfie")
    browser = Client(HTTP_USER_AGENT=BROWSER)
    browser.get(reverse("referral_link", args=["selfie"]))  # signed out: counted
    assert ReferralClick.objects.count() == 1
    browser.force_login(affiliate.user)
    browser.get(reverse("referral_link", args=["selfie"]))  # their own click: not counted
    assert ReferralClick.objects.count() == 1
    response = browser.post(
        reverse("trial"), {"business_name": "My Own Salon", "kind": "salon", "timezone": "UTC"}
    )
    assert response.status_code == 302
    own = Business.objects.get(name="My Own Salon")
    assert Membership.objects.filter(business=own, user=affiliate.user, role="owner").exists()
    assert not Referral.objects.filter(business=own).exists()


def test_attribution_refuses_a_business_the_affiliate_belongs_to(
    business: Business, owner: User
) -> None:
    affiliate = Affiliate.objects.create(user=owner, code="owner1")
    click = ReferralClick.objects.create(affiliate=affiliate, visitor_hash="x", day="2026-11-25")
    assert referral_attribute(business=business, click_id=click.pk) is None
    assert not Referral.objects.exists()


@given(st.integers(min_value=0, max_value=10**9))
def test_a_commission_is_22_percent_rounded_half_up_exactly(amount: int) -> None:
    exact = Decimal(amount) * Decimal("0.22")
    cents = commission_cents(amount, Decimal("22.00"))
    assert abs(Decimal(cents) - exact) <= Decimal("0.5")
    if exact - int(exact) == Decimal("0.5"):
        assert cents == int(exact) + 1


def test_commissions_are_approved_after_30_days_by_the_beat_task(
    catalogue: None, business: Business
) -> None:
    affiliate = _affiliate()
    old = _earn(affiliate, business, 49900, n=1, days_ago=31)
    new = _earn(affiliate, business, 49900, n=2, days_ago=29)
    assert commissions_approve.delay().get() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "approved" and new.status == "pending"


def test_payouts_need_the_threshold_and_platform_staff(
    catalogue: None, business: Business, platform_staff: User, owner: User, client_for
) -> None:
    affiliate = _affiliate()
    _earn(affiliate, business, 10000, n=1, days_ago=40)  # $22.00
    commissions_approve()
    staff = client_for(platform_staff)
    approve = reverse("affiliate_payout_approve", args=[affiliate.pk])
    response = staff.post(approve, follow=True)
    assert b"below the payout threshold" in response.content
    assert not Payout.objects.exists()

    _earn(affiliate, business, 20000, n=2, days_ago=40)  # + $44.00 = $66.00
    commissions_approve()
    assert client_for(owner).post(approve).status_code == 403  # not staff
    assert client_for(owner).get(reverse("affiliate_staff_payouts")).status_code == 403
    page = staff.get(reverse("affiliate_staff_payouts"))
    assert b"Approve payout of $66.00" in page.content
    staff.post(approve)
    payout = Payout.objects.get()
    assert payout.amount_cents == 6600 and payout.status == "approved"

    rows = list(
        csv.reader(io.StringIO(staff.get(reverse("affiliate_payouts_csv")).content.decode()))
    )
    assert rows[0][:5] == ["payout_id", "affiliate_code", "name", "email", "amount"]
    assert rows[1][1] == "ann22" and rows[1][4] == "66.00"

    staff.post(reverse("affiliate_payout_paid", args=[payout.pk]))
    staff.post(reverse("affiliate_payout_paid", args=[payout.pk]))  # twice: no change
    payout.refresh_from_db()
    assert payout.status == "paid"
    assert set(Commission.objects.values_list("status", flat=True)) == {"paid"}
    assert len(staff.get(reverse("affiliate_payouts_csv")).content.decode().splitlines()) == 1


def test_a_refund_after_payout_lowers_the_next_payout(catalogue: None, business: Business) -> None:
    from console.affiliates.services import commission_reverse

    affiliate = _affiliate()
    earning = _earn(affiliate, business, 49900, days_ago=40)
    commissions_approve()
    payout = payout_approve(affiliate=affiliate, by=make_user("s@p.test", staff=True))
    assert payout.amount_cents == earning.amount_cents == 10978
    invoice = earning.invoice
    invoice.amount_refunded_cents = invoice.amount_paid_cents
    invoice.save()
    reversal = commission_reverse(invoice=invoice)
    assert reversal.amount_cents == -10978 and reversal.status == "approved"
    with pytest.raises(AffiliateError):
        payout_approve(affiliate=affiliate, by=payout.approved_by)


def test_the_dashboard_shows_clicks_trials_paying_and_money(
    catalogue: None, business: Business, other_business: Business
) -> None:
    affiliate = _affiliate()
    for n in range(4):
        ReferralClick.objects.create(affiliate=affiliate, visitor_hash=f"v{n}", day="2026-11-25")
    _earn(affiliate, business, 149900, n=1, days_ago=40)
    Referral.objects.filter(business=business).update(converted_at=timezone.now())
    Referral.objects.create(affiliate=affiliate, business=other_business)
    commissions_approve()
    _earn(affiliate, business, 149900, n=2)
    client = Client()
    client.force_login(affiliate.user)
    page = client.get(reverse("affiliate_dashboard")).content.decode()
    assert 'id="stat-clicks">4<' in page
    assert 'id="stat-trials">2<' in page
    assert 'id="stat-paying">1<' in page
    assert "50.0% of clicks" in page and "50.0% of trials" in page
    assert 'id="stat-pending">$329.78<' in page
    assert 'id="stat-approved">$329.78<' in page
    assert 'id="stat-paid">$0.00<' in page
    assert "Commission by month" in page


def test_the_statement_lists_only_the_affiliates_own_lines(
    catalogue: None, business: Business, other_business: Business
) -> None:
    mine, theirs = _affiliate(), _affiliate("b@p.test", "bob")
    _earn(mine, business, 49900, n=1)
    _earn(theirs, other_business, 149900, n=1)
    client = Client()
    client.force_login(mine.user)
    response = client.get(reverse("affiliate_statement"))
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[1][6] == "109.78" and rows[1][3] == "earning"
    assert "Other Clinic" not in response.content.decode()
    assert "Salon One" not in response.content.decode()  # customers are numbered, not named


def test_a_user_who_is_not_an_affiliate_has_no_dashboard_or_statement(
    catalogue: None, owner: User, business: Business, client_for
) -> None:
    client = client_for(owner)
    assert client.get(reverse("affiliate_dashboard"))["Location"] == reverse("affiliate_join")
    assert client.get(reverse("affiliate_statement")).status_code == 403
    assert Client().get(reverse("affiliate_dashboard")).status_code == 302


def test_the_program_page_states_the_terms_from_the_database(catalogue: None) -> None:
    page = Client().get(reverse("affiliates")).content.decode()
    assert "22%" in page and "60 days" in page and "30 days" in page and "$50.00" in page


def _many_affiliates(n: int, business: Business, staff: User) -> None:
    for i in range(n):
        affiliate = _affiliate(f"a{i}@many.test", f"many{i}")
        biz = Business.objects.create(name=f"B{i}", slug=f"b-{i}")
        _earn(affiliate, biz, 49900, n=1, days_ago=40)
        ReferralClick.objects.create(affiliate=affiliate, visitor_hash="v", day="2026-11-25")
    commissions_approve()
    first = Affiliate.objects.order_by("pk").first()
    _earn(first, business, 49900, n=9, days_ago=40)
    commissions_approve()
    payout_approve(affiliate=first, by=staff)


@pytest.mark.parametrize("n", [1, 4])
def test_the_payouts_page_runs_a_fixed_number_of_queries(
    n: int,
    catalogue: None,
    business: Business,
    platform_staff: User,
    client_for,
    django_assert_num_queries,
) -> None:
    _many_affiliates(n, business, platform_staff)
    client = client_for(platform_staff)
    client.get(reverse("affiliate_staff_payouts"))  # warm the session
    with django_assert_num_queries(9):
        page = client.get(reverse("affiliate_staff_payouts"))
    assert page.content.count(b"many") >= n


@pytest.mark.parametrize("n", [1, 4])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    n: int, catalogue: None, business: Business, platform_staff: User, django_assert_num_queries
) -> None:
    _many_affiliates(n, business, platform_staff)
    affiliate = Affiliate.objects.order_by("pk").first()
    for i in range(n):
        _earn(affiliate, Business.objects.create(name=f"X{i}", slug=f"x-{i}"), 1000, n=20 + i)
    client = Client()
    client.force_login(affiliate.user)
    with django_assert_num_queries(10):
        client.get(reverse("affiliate_dashboard"))


def test_the_chart_dates_an_earning_by_its_invoice_payment(
    catalogue: None, business: Business
) -> None:
    from console.affiliates.services import dashboard_get

    affiliate = _affiliate()
    _earn(affiliate, business, 100000, n=1, days_ago=0)
    old = _earn(affiliate, business, 50000, n=2, days_ago=0)
    Invoice.objects.filter(pk=old.invoice_id).update(paid_at=timezone.now() - timedelta(days=62))
    months = dashboard_get(affiliate=affiliate).months
    assert months[-1][1] == 22000
    assert sum(amount for _, amount in months) == 33000
    assert 11000 in [amount for _, amount in months[-4:-1]]
