"""Reads of live alerts, always starting from a business."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from calls.alerts.detect import KINDS
from calls.models.alert import CallAlert
from console.tenancy.access import Access
from console.tenancy.models import Business
from console.tenancy.roles import can_acknowledge_alerts

RECENTLY_ACKNOWLEDGED = 5

_URGENCY = Case(
    *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KINDS)],
    output_field=IntegerField(),
)


def alerts_open(*, business: Business) -> QuerySet[CallAlert]:
    """What needs attention, most urgent kind first, then the newest."""
    return (
        CallAlert.objects.filter(business=business, acknowledged_at__isnull=True)
        .select_related("call")
        .order_by(_URGENCY, "-raised_at", "-id")
    )


def alerts_recently_acknowledged(
    *, business: Business, limit: int = RECENTLY_ACKNOWLEDGED
) -> list[CallAlert]:
    return list(
        CallAlert.objects.filter(business=business, acknowledged_at__isnull=False)
        .select_related("call", "acknowledged_by")
        .order_by("-acknowledged_at", "-id")[:limit]
    )


def alert_get(*, business: Business, pk: int) -> CallAlert:
    """The business's alert, or 404 (another business's alert is not found, never refused)."""
    return get_object_or_404(CallAlert.objects.select_related("call"), business=business, pk=pk)


def attention_page_context(*, access: Access) -> dict[str, object]:
    """The list as the live page shows it to this user: with the Acknowledge buttons only
    where their role may (the view that acknowledges checks it again)."""
    return {
        **attention_context(business=access.business),
        "can_acknowledge": access.can(can_acknowledge_alerts),
    }


def attention_context(*, business: Business) -> dict[str, object]:
    """What the "needs attention" partial renders (the page, its refresh and live updates)."""
    return {
        "business": business,
        "open_alerts": list(alerts_open(business=business)),
        "acknowledged_alerts": alerts_recently_acknowledged(business=business),
    }
