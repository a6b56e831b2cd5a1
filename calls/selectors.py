"""Reads of calls, always starting from a business."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from calls.models import Call, CallAnalysis, TranscriptSegment
from console.tenancy.models import Business

# A call the gateway never ended (it crashed, the network dropped) stops counting as live.
STALE_AFTER = timedelta(hours=1)
RECENTLY_ENDED = 12


def calls_in_progress(*, business: Business) -> QuerySet[Call]:
    return Call.objects.filter(
        business=business,
        status__in=[Call.Status.RINGING, Call.Status.LIVE],
        last_event_at__gte=timezone.now() - STALE_AFTER,
    ).order_by("-started_at", "-id")


def with_current_analysis(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Each call with its current analysis's answers (as corrected by a reviewer), in the
    same query: `analysis_intent`, `analysis_lead_score`, `analysis_escalate` (None until
    the post-call analysis has run)."""
    current = CallAnalysis.objects.filter(call=OuterRef("pk"), is_current=True)
    return calls.annotate(
        analysis_intent=Subquery(current.values("intent_effective")[:1]),
        analysis_lead_score=Subquery(current.values("lead_score_effective")[:1]),
        analysis_escalate=Subquery(current.values("escalate_effective")[:1]),
    )


def calls_recently_ended(*, business: Business, limit: int = RECENTLY_ENDED) -> list[Call]:
    ended = Call.objects.filter(business=business, status=Call.Status.ENDED)
    return list(with_current_analysis(ended).order_by("-ended_at", "-id")[:limit])


def call_get(*, business: Business, pk: int) -> Call:
    """The business's call, or 404 (another business's call is not found, never forbidden)."""
    return get_object_or_404(Call, business=business, pk=pk)


def call_segments(*, call: Call) -> QuerySet[TranscriptSegment]:
    return call.segments.order_by("seq")
