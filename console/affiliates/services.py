"""The affiliate program: links, clicks, referrals, 22% commissions and payouts.

Money is integer cents; a commission is the program's percentage of a paid invoice, in
Decimal, rounded half-up once. A commission is pending for the program's hold, then
approved; platform staff approve a payout of an affiliate's approved balance once it reaches
the threshold, and mark it paid. A refund reverses the commission on that invoice with a
negative ledger line.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DateTimeField, F, Q, Sum, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from console.affiliates.models import (
    Affiliate,
    AffiliateProgram,
    Commission,
    Payout,
    Referral,
    ReferralClick,
)
from console.audit.log import audit_log_write
from console.tenancy.models import Business, Membership, User
from console.tenancy.services import BusinessError, user_create

if TYPE_CHECKING:  # billing calls the affiliates on an invoice, not the other way
    from console.billing.models import Invoice

logger = logging.getLogger(__name__)

REFERRAL_COOKIE = "ref"
REFERRAL_COOKIE_SALT = "affiliate-referral"
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Crawlers, link previews and scripts: they follow links but are not prospects.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|curl|wget|python-|"
    r"httpclient|java/|go-http|okhttp|scrapy|headlesschrome.*lighthouse|monitor|uptime",
    re.IGNORECASE,
)


class AffiliateError(ValueError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def program_get() -> AffiliateProgram:
    """The program's terms (seeded by migration 0004; recreated with the same terms if gone)."""
    program, _ = AffiliateProgram.objects.get_or_create(
        code="default",
        defaults={
            "commission_percent": Decimal("22.00"),
            "hold_days": 30,
            "cookie_days": 60,
            "payout_threshold_cents": 5000,
        },
    )
    return program


def commission_cents(amount_cents: int, percent: Decimal) -> int:
    """`percent` of `amount_cents`, exact, rounded half-up to a whole cent once."""
    exact = Decimal(amount_cents) * percent / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Joining -------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def affiliate_create(*, user: User) -> Affiliate:
    existing = Affiliate.objects.filter(user=user).first()
    if existing is not None:
        return existing
    for _ in range(5):
        try:
            with transaction.atomic():
                affiliate = Affiliate.objects.create(user=user, code=_new_code())
        except IntegrityError:
            continue
        audit_log_write(action="affiliate.joined", business=None, actor=user, obj=affiliate)
        return affiliate
    raise AffiliateError("Could not allocate an affiliate code; try again.")


@transaction.atomic
def affiliate_join(*, name: str, email: str, password: str) -> Affiliate:
    """A new login for an affiliate: not a member of any business."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AffiliateError(
            "An account with this email already exists. Sign in, then join.", field="email"
        )
    try:
        validate_password(password, user=User(email=email, name=name))
    except ValidationError as exc:
        raise AffiliateError(" ".join(exc.messages), field="password") from exc
    try:
        user = user_create(email=email, password=password, name=name.strip())
    except BusinessError as exc:
        raise AffiliateError(str(exc), field="email") from exc
    return affiliate_create(user=user)


# --- Clicks and attribution ------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def visitor_hash(*, ip: str, user_agent: str) -> str:
    """A visitor, without storing their address: a keyed hash of address and browser."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{ip}|{user_agent}".encode(), hashlib.sha256).hexdigest()


def click_record(
    *, code: str, ip: str, user_agent: str, user: User | None = None, today: date | None = None
) -> tuple[Affiliate | None, ReferralClick | None]:
    """Record a click on an affiliate's link: once per visitor per day; bots are ignored.

    Returns the affiliate (None for an unknown code) and the click (None when not counted).
    """
    affiliate = Affiliate.objects.filter(code=code.lower()).select_related("user").first()
    if affiliate is None or is_bot(user_agent):
        return affiliate, None
    if user is not None and user.is_authenticated and user.pk == affiliate.user_id:
        return affiliate, None  # the affiliate testing their own link
    day = today or timezone.now().date()
    digest = visitor_hash(ip=ip, user_agent=user_agent)
    try:
        with transaction.atomic():
            click, _ = ReferralClick.objects.get_or_create(
                affiliate=affiliate, visitor_hash=digest, day=day
            )
    except IntegrityError:  # the same visitor twice at once
        click = ReferralClick.objects.get(affiliate=affiliate, visitor_hash=digest, day=day)
    return affiliate, click


def referral_attribute(*, business: Business, click_id: int | None) -> Referral | None:
    """Tie a new business to the affiliate whose link its owner followed last.

    An affiliate cannot refer their own business: a click by one of the business's members
    attributes nothing.
    """
    if click_id is None:
        return None
    click = ReferralClick.objects.filter(pk=click_id).select_related("affiliate").first()
    if click is None:
        return None
    program = program_get()
    if click.created_at < timezone.now() - timedelta(days=program.cookie_days):
        return None
    if Membership.objects.filter(business=business, user_id=click.affiliate.user_id).exists():
        audit_log_write(
            action="affiliate.self_referral_refused",
            business=business,
            obj=click.affiliate,
            data={"code": click.affiliate.code},
        )
        return None
    referral, _ = Referral.objects.get_or_create(
        business=business, defaults={"affiliate": click.affiliate, "click": click}
    )
    return referral


# --- Commissions ------------------------------------------------------------------------


def commission_earn(*, invoice: Invoice) -> Commission | None:
    """The referring affiliate's commission on a paid invoice (once per invoice)."""
    referral = Referral.objects.filter(business_id=invoice.business_id).first()
    if referral is None or invoice.amount_paid_cents <= 0:
        return None
    if referral.converted_at is None:
        referral.converted_at = invoice.paid_at
        referral.save(update_fields=["converted_at"])
    program = program_get()
    commission, _ = Commission.objects.get_or_create(
        invoice=invoice,
        kind=Commission.Kind.EARNING,
        defaults={
            "affiliate_id": referral.affiliate_id,
            "amount_cents": commission_cents(invoice.amount_paid_cents, program.commission_percent),
            "rate_percent": program.commission_percent,
            "status": Commission.Status.PENDING,
            "available_at": invoice.paid_at + timedelta(days=program.hold_days),
        },
    )
    return commission


def commission_reverse(*, invoice: Invoice) -> Commission | None:
    """After a refund: a negative line taking back the commission on the refunded amount.

    A full refund takes back exactly what was earned. While the earning is pending the
    reversal is pending with it (they approve together and net to zero); once the earning
    is approved or paid, the reversal is approved at once and lowers the next payout.
    """
    earning = (
        Commission.objects.select_for_update()
        .filter(invoice=invoice, kind=Commission.Kind.EARNING)
        .first()
    )
    if earning is None:
        return None
    if invoice.amount_refunded_cents >= invoice.amount_paid_cents:
        amount = -earning.amount_cents
    else:
        amount = -commission_cents(invoice.amount_refunded_cents, earning.rate_percent)
    pending = earning.status == Commission.Status.PENDING
    reversal = (
        Commission.objects.select_for_update()
        .filter(invoice=invoice, kind=Commission.Kind.REVERSAL)
        .first()
    )
    if reversal is None:
        return Commission.objects.create(
            affiliate_id=earning.affiliate_id,
            invoice=invoice,
            kind=Commission.Kind.REVERSAL,
            amount_cents=amount,
            rate_percent=earning.rate_percent,
            status=Commission.Status.PENDING if pending else Commission.Status.APPROVED,
            available_at=earning.available_at if pending else timezone.now(),
        )
    if reversal.payout_id is None and reversal.amount_cents != amount:
        reversal.amount_cents = amount
        reversal.save(update_fields=["amount_cents"])
    elif reversal.payout_id is not None and reversal.amount_cents != amount:
        logger.warning("invoice %s refunded further after its reversal was paid out", invoice.pk)
    return reversal


def commissions_approve(*, now: datetime | None = None) -> int:
    """Pending commissions past their hold become approved (Celery beat)."""
    now = now or timezone.now()
    return Commission.objects.filter(
        status=Commission.Status.PENDING, available_at__lte=now
    ).update(status=Commission.Status.APPROVED)


# --- Balances, payouts, statements --------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    affiliate: Affiliate
    pending_cents: int
    approved_cents: int  # approved and not yet in a payout
    in_payout_cents: int  # in an approved payout, not yet paid
    paid_cents: int


def _sum(status: str, **extra: object) -> Sum:
    return Sum("commissions__amount_cents", filter=Q(commissions__status=status, **extra))


def balances() -> list[Balance]:
    affiliates = (
        Affiliate.objects.select_related("user")
        .annotate(
            pending=_sum(Commission.Status.PENDING),
            approved=_sum(Commission.Status.APPROVED, commissions__payout__isnull=True),
            in_payout=_sum(Commission.Status.APPROVED, commissions__payout__isnull=False),
            paid=_sum(Commission.Status.PAID),
        )
        .order_by("user__email")
    )
    return [
        Balance(
            affiliate=a,
            pending_cents=a.pending or 0,
            approved_cents=a.approved or 0,
            in_payout_cents=a.in_payout or 0,
            paid_cents=a.paid or 0,
        )
        for a in affiliates
    ]


@transaction.atomic
def payout_approve(*, affiliate: Affiliate, by: User) -> Payout:
    """Staff approve a payout of the affiliate's approved balance, if it reaches the threshold."""
    program = program_get()
    lines = list(
        Commission.objects.select_for_update().filter(
            affiliate=affiliate, status=Commission.Status.APPROVED, payout__isnull=True
        )
    )
    total = sum(line.amount_cents for line in lines)
    if total < program.payout_threshold_cents:
        raise AffiliateError(
            f"The approved balance ({total / 100:.2f}) is below the payout threshold "
            f"({program.payout_threshold_cents / 100:.2f})."
        )
    payout = Payout.objects.create(affiliate=affiliate, amount_cents=total, approved_by=by)
    Commission.objects.filter(pk__in=[line.pk for line in lines]).update(payout=payout)
    audit_log_write(
        action="affiliate.payout_approved",
        business=None,
        actor=by,
        obj=payout,
        data={"affiliate": affiliate.code, "amount_cents": total},
    )
    return payout


@transaction.atomic
def payout_mark_paid(*, payout: Payout, by: User) -> Payout:
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status == Payout.Status.PAID:
        return payout  # a second click changes nothing
    payout.status = Payout.Status.PAID
    payout.paid_at = timezone.now()
    payout.save(update_fields=["status", "paid_at"])
    payout.commissions.update(status=Commission.Status.PAID)
    audit_log_write(
        action="affiliate.payout_paid",
        business=None,
        actor=by,
        obj=payout,
        data={"affiliate": payout.affiliate.code, "amount_cents": payout.amount_cents},
    )
    return payout


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def payouts_csv(payouts: list[Payout]) -> str:
    """The payout run: one line per approved payout."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["payout_id", "affiliate_code", "name", "email", "amount", "currency", "approved_at"]
    )
    for p in payouts:
        writer.writerow(
            [
                p.pk,
                p.affiliate.code,
                p.affiliate.user.name,
                p.affiliate.user.email,
                _money(p.amount_cents),
                "USD",
                p.created_at.isoformat(),
            ]
        )
    return out.getvalue()


# A line's date: an earning is dated by its invoice's payment, a reversal by the refund.
_LINE_DATE = Case(
    When(kind=Commission.Kind.EARNING, then=F("invoice__paid_at")),
    default=F("created_at"),
    output_field=DateTimeField(),
)


def line_date(line: Commission) -> datetime:
    if line.kind == Commission.Kind.EARNING:
        return line.invoice.paid_at
    return line.created_at


@dataclass(frozen=True)
class Dashboard:
    clicks: int
    trials: int
    paying: int
    trial_rate: Decimal | None  # trials per click, percent
    paying_rate: Decimal | None  # paying per trial, percent
    pending_cents: int
    approved_cents: int
    paid_cents: int
    months: list[tuple[date, int]]  # net commission by month, oldest first
    max_month_cents: int


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def dashboard_get(*, affiliate: Affiliate, months: int = 12) -> Dashboard:
    clicks = affiliate.clicks.count()
    referrals = affiliate.referrals.aggregate(
        trials=Count("pk"), paying=Count("pk", filter=Q(converted_at__isnull=False))
    )
    sums = affiliate.commissions.aggregate(
        pending=Sum("amount_cents", filter=Q(status=Commission.Status.PENDING)),
        approved=Sum("amount_cents", filter=Q(status=Commission.Status.APPROVED)),
        paid=Sum("amount_cents", filter=Q(status=Commission.Status.PAID)),
    )
    today = timezone.now().date()
    first = date(today.year, today.month, 1)
    starts = []
    y, m = first.year, first.month
    for _ in range(months):
        starts.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    starts.reverse()
    by_month = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["net"]
        for row in affiliate.commissions.annotate(on=_LINE_DATE)
        .filter(on__date__gte=starts[0])
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(net=Sum("amount_cents"))
    }
    series = [(start, by_month.get(start) or 0) for start in starts]
    trials, paying = referrals["trials"], referrals["paying"]
    return Dashboard(
        clicks=clicks,
        trials=trials,
        paying=paying,
        trial_rate=_percent(trials, clicks),
        paying_rate=_percent(paying, trials),
        pending_cents=sums["pending"] or 0,
        approved_cents=sums["approved"] or 0,
        paid_cents=sums["paid"] or 0,
        months=series,
        max_month_cents=max([c for _, c in series] + [1]),
    )


def statement_csv(*, affiliate: Affiliate) -> str:
    """Every ledger line of one affiliate: what they earned, what was taken back, what was paid."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "date",
            "customer",
            "invoice",
            "kind",
            "invoice_amount",
            "rate_percent",
            "commission",
            "status",
            "available_at",
            "payout_id",
        ]
    )
    lines = affiliate.commissions.select_related("invoice").order_by("created_at", "id")
    referral_ids = dict(
        Referral.objects.filter(affiliate=affiliate).values_list("business_id", "pk")
    )
    for c in lines:
        writer.writerow(
            [
                line_date(c).date().isoformat(),
                f"customer #{referral_ids.get(c.invoice.business_id, '?')}",
                c.invoice.number or c.invoice.stripe_invoice_id,
                c.kind,
                _money(c.invoice.amount_paid_cents),
                str(c.rate_percent),
                _money(c.amount_cents),
                c.status,
                c.available_at.date().isoformat(),
                c.payout_id or "",
            ]
        )
    return out.getvalue()
