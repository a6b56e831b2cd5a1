"""Writes for businesses, users and memberships."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from console.audit.log import audit_log_write
from console.tenancy.currency import currency_for_place
from console.tenancy.events import broadcast_access_changed
from console.tenancy.models import ApiKey, Business, Membership, Role, User

TRIAL_DAYS = 14


class BusinessError(ValueError):
    pass


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "business"
    slug, n = base, 1
    while Business.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def business_create(
    *,
    name: str,
    kind: str,
    timezone_name: str,
    prefix: str = "GB",
    owner: User,
    trial_days: int | None = TRIAL_DAYS,
    request: HttpRequest | None = None,
) -> Business:
    business = Business(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        timezone=timezone_name,
        currency=currency_for_place(timezone_name=timezone_name),
        prefix=prefix,
        trial_ends_at=timezone.now() + timedelta(days=trial_days) if trial_days else None,
        subscription_status=(
            Business.Subscription.TRIALING if trial_days else Business.Subscription.ACTIVE
        ),
    )
    business.full_clean()
    business.save()
    Membership.objects.create(user=owner, business=business, role=Role.OWNER)
    audit_log_write(
        action="business.created", business=business, actor=owner, obj=business, request=request
    )
    return business


def user_create(*, email: str, password: str | None, name: str = "") -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name)
    except IntegrityError as exc:
        raise BusinessError(f"A user with the email {email} already exists.") from exc


@transaction.atomic
def membership_add(
    *,
    business: Business,
    user: User,
    role: str,
    by: User | None,
    request: HttpRequest | None = None,
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        business=business, user=user, defaults={"role": role}
    )
    if not created:
        raise BusinessError(f"{user.email} is already a member.")
    audit_log_write(
        action="membership.added",
        business=business,
        actor=by,
        obj=membership,
        request=request,
        data={"role": role, "email": user.email},
    )
    return membership


def _close_live_sockets_on_commit(membership: Membership) -> None:
    # Open sockets were checked when they connected: close them so they are checked again.
    user_id, business_id = membership.user_id, membership.business_id
    transaction.on_commit(
        lambda: broadcast_access_changed(user_id=user_id, business_id=business_id)
    )


def _owners_left(membership: Membership) -> int:
    return (
        Membership.objects.filter(business_id=membership.business_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def membership_role_set(
    *, membership: Membership, role: str, by: User | None, request: HttpRequest | None = None
) -> Membership:
    if membership.role == Role.OWNER and role != Role.OWNER and _owners_left(membership) == 0:
        raise BusinessError("A business needs at least one owner.")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _close_live_sockets_on_commit(membership)
    audit_log_write(
        action="membership.role_changed",
        business=membership.business,
        actor=by,
        obj=membership,
        request=request,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(
    *, membership: Membership, by: User | None, request: HttpRequest | None = None
) -> None:
    if membership.role == Role.OWNER and _owners_left(membership) == 0:
        raise BusinessError("A business needs at least one owner.")
    audit_log_write(
        action="membership.removed",
        business=membership.business,
        actor=by,
        obj=membership,
        request=request,
        data={"email": membership.user.email},
    )
    _close_live_sockets_on_commit(membership)
    membership.delete()


@transaction.atomic
def business_update(
    *,
    business: Business,
    changes: dict[str, object],
    by: User | None,
    api_key: ApiKey | None = None,
    request: HttpRequest | None = None,
) -> Business:
    # From the database: a bound ModelForm has already written its values onto `business`.
    before = Business.objects.filter(pk=business.pk).values(*changes).get()
    for field, value in changes.items():
        setattr(business, field, value)
    business.full_clean()
    business.save(update_fields=list(changes))
    changed = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    if changed:
        audit_log_write(
            action="business.updated",
            business=business,
            actor=by,
            api_key=api_key,
            obj=business,
            request=request,
            data=changed,
        )
    return business
