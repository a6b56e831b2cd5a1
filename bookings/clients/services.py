"""Writes of client records: the desk's notes, allergies, formulas and marketing consent,
and merging a duplicate into the client kept. Each writes the audit log with ids and kinds
only (never a name, a number or the notes themselves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bookings.models import Appointment, Customer, MergedNumber
from calls.models import Call
from console.audit.log import audit_log_write
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User

TEXT_FIELDS = ("notes", "allergies", "formulas")
TEXT_MAX = 4000


class ClientError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def client_record_update(
    *,
    business: Business,
    client: Customer,
    notes: str,
    allergies: str,
    formulas: str,
    marketing_consent: bool,
    by: User | None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Customer:
    """Save the record's fields; a change of marketing consent stamps when. Audited as
    `client.updated` with the names of the fields that changed."""
    if client.business_id != business.pk:
        raise ClientError("That client belongs to another business.")
    now = now or timezone.now()
    values = {"notes": notes, "allergies": allergies, "formulas": formulas}
    for name, value in values.items():
        if len(value) > TEXT_MAX:
            raise ClientError(f"{name.capitalize()}: at most {TEXT_MAX} characters.")
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(business=business, pk=client.pk)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, values[name])
        if current.marketing_consent != marketing_consent:
            current.marketing_consent = marketing_consent
            current.marketing_consent_at = now
            changed += ["marketing_consent", "marketing_consent_at"]
        if changed:
            current.save(update_fields=changed)
            audit_log_write(
                action="client.updated",
                business=business,
                actor=by,
                request=request,
                obj=None,
                data={
                    "customer_id": current.pk,
                    "fields": changed,
                    "marketing_consent": current.marketing_consent,
                },
            )
    return current


@dataclass(frozen=True)
class MergeReceipt:
    kept_id: int
    removed_id: int
    appointments_moved: int
    calls_linked: int
    audit: AuditEntry


def _joined(kept: str, other: str) -> str:
    kept, other = kept.strip(), other.strip()
    if not other or other in kept:
        return kept
    return f"{kept}\n{other}" if kept else other


def clients_merge(
    *,
    business: Business,
    keep: Customer,
    remove: Customer,
    by: User | None,
    request: HttpRequest | None = None,
) -> MergeReceipt:
    """Merge the duplicate `remove` into `keep`, in one transaction: its appointments are
    reassigned to `keep`, its notes, allergies and formulas appended, the more recent
    marketing-consent decision kept, its email used if `keep` has none, and its number
    recorded (blind index only) so the calls made from it show on `keep`'s card. Then
    `remove` is deleted. Audited as `client.merged` (ids and counts): the receipt."""
    if keep.pk == remove.pk:
        raise ClientError("Pick two different clients.")
    if keep.business_id != business.pk or remove.business_id != business.pk:
        raise ClientError("Both clients must belong to this business.")
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Customer.objects.select_for_update()
            .filter(business=business, pk__in=[keep.pk, remove.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ClientError("One of the clients no longer exists.")
        kept, gone = locked[keep.pk], locked[remove.pk]
        moved = Appointment.objects.filter(business=business, customer=gone).update(
            customer=kept, updated_at=timezone.now()
        )
        numbers = [gone.phone_index, *gone.merged_numbers.values_list("phone_index", flat=True)]
        calls = Call.objects.filter(
            business=business, from_hash__in=[n for n in numbers if n != kept.phone_index]
        ).count()
        # The numbers merged into the duplicate before follow it; so does its own.
        MergedNumber.objects.filter(business=business, customer=gone).update(customer=kept)
        if gone.phone_index != kept.phone_index:
            MergedNumber.objects.update_or_create(
                business=business,
                phone_index=gone.phone_index,
                defaults={"customer": kept, "phone_last4": gone.phone_last4},
            )
        for name in TEXT_FIELDS:
            setattr(kept, name, _joined(getattr(kept, name), getattr(gone, name)))
        kept_at, gone_at = kept.marketing_consent_at, gone.marketing_consent_at
        if gone_at is not None and (kept_at is None or gone_at > kept_at):
            kept.marketing_consent = gone.marketing_consent
            kept.marketing_consent_at = gone.marketing_consent_at
        if not kept.email and gone.email:
            kept.email = gone.email
        kept.save(
            update_fields=[*TEXT_FIELDS, "marketing_consent", "marketing_consent_at", "email"]
        )
        gone_pk = gone.pk
        gone.delete()
        entry = audit_log_write(
            action="client.merged",
            business=business,
            actor=by,
            request=request,
            data={
                "kept_id": kept.pk,
                "removed_id": gone_pk,
                "appointments_moved": moved,
                "calls_linked": calls,
            },
        )
    return MergeReceipt(
        kept_id=kept.pk,
        removed_id=gone_pk,
        appointments_moved=moved,
        calls_linked=calls,
        audit=entry,
    )
