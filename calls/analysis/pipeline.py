"""Runs the steps on one finished call and stores the result.

`analysis_run` is pure (CallInput → AnalysisResult): the evaluation command and the tests
use it directly. `call_analyze` loads a call, runs it and writes one CallAnalysis row per
call and analyzer version (a re-run updates that row; a new version adds a row and becomes
the current one), so running it twice, or a retried task, never duplicates anything.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction

from calls.analysis.engines import engine_answer, engine_values, engine_version
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall
from calls.live.broadcast import call_analysed_broadcast
from calls.models import Call, CallAnalysis, CallReview
from calls.models.analysis import effective_fields


def call_input_build(call: Call) -> CallInput:
    """The call as the steps see it: final transcript lines in order, tools in order."""
    segments = call.segments.filter(final=True).order_by("seq")
    tools = call.tool_invocations.order_by("occurred_at", "id")
    services = call.business.services.filter(active=True).order_by("id")  # bookings' Service
    return CallInput(
        lines=tuple(
            Line(speaker=s.speaker, text=s.text or "", start_ms=s.start_ms, end_ms=s.end_ms)
            for s in segments
        ),
        tools=tuple(
            ToolCall(
                name=t.name,
                arguments=t.arguments if isinstance(t.arguments, dict) else {},
                result=t.result if isinstance(t.result, dict) else {},
                ok=t.ok,
                latency_ms=t.latency_ms,
            )
            for t in tools
        ),
        services=tuple(
            ServiceOption(id=s.pk, name=s.name, aliases=tuple(str(a) for a in s.aliases or ()))
            for s in services
        ),
        business_kind=call.business.kind,
        region=call.business.default_region or "US",
        from_number=call.from_number or "",
        duration_s=call.duration_s,
        end_reason=call.end_reason,
    )


def call_analyze(*, call_pk: int, version: str | None = None) -> CallAnalysis | None:
    """Analyse the call with the configured engine (engines.py) and store the result; None
    if the call is gone or not ended."""
    call = Call.objects.select_related("business").filter(pk=call_pk).first()
    if call is None or call.status != Call.Status.ENDED:
        return None
    version = version or engine_version()
    answer = engine_answer(call_input_build(call), baa_covered=call.business.llm_baa_covered)
    values = engine_values(answer)
    with transaction.atomic():
        # Lock the call so two workers analysing it at once write one row, one current.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        CallAnalysis.objects.filter(call=call, is_current=True).exclude(
            analyzer_version=version
        ).update(is_current=False)
        analysis, _ = CallAnalysis.objects.update_or_create(
            call=call,
            analyzer_version=version,
            defaults={**values, **call_columns(call), "is_current": True},
        )
        review = CallReview.objects.filter(call=call).first()
        for name, value in effective_fields(analysis, review).items():
            setattr(analysis, name, value)
        analysis.save(update_fields=[*EFFECTIVE_FIELDS, "updated_at"])
        # Dashboards show the ended call's intent, lead score and escalation once known.
        transaction.on_commit(partial(call_analysed_broadcast, call_pk=call.pk))
    return analysis


EFFECTIVE_FIELDS = ("intent_effective", "lead_score_effective", "escalate_effective", "reviewed")


def call_columns(call: Call) -> dict[str, object]:
    """The call's facts the reviewers' list shows and filters on (see CallAnalysis)."""
    return {
        "business_id": call.business_id,
        "started_at": call.started_at,
        "agent": call.agent,
        "channel": call.channel,
        "duration_s": call.duration_s,
    }


def calls_unanalysed(
    *,
    business_id: int | None = None,
    version: str | None = None,
    ended_before: datetime | None = None,
    ended_after: datetime | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ended calls (pks, oldest first) with no analysis by `version` (the configured
    engine's by default)."""
    calls = Call.objects.filter(status=Call.Status.ENDED).exclude(
        analyses__analyzer_version=version or engine_version()
    )
    if ended_before is not None:
        calls = calls.filter(ended_at__lt=ended_before)
    if ended_after is not None:
        calls = calls.filter(ended_at__gte=ended_after)
    if business_id is not None:
        calls = calls.filter(business_id=business_id)
    pks = calls.order_by("ended_at", "pk").values_list("pk", flat=True)
    return list(pks[:limit] if limit else pks)
