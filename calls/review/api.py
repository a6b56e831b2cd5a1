"""Reading calls back (CONTRACTS §3), scope `admin`: GET /api/v1/calls and
GET /api/v1/calls/<call_id> (the gateway's id). Transcripts and tool payloads are the
redacted copies; phone numbers are masked. Filters apply to the machine's analysis, which is
what the `analysis` object shows; a reviewer's corrections are under `review`.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.days import FAR_OFF, day_within_reach
from calls.models import Call, CallAnalysis, CallReview, PlatformAnalysis
from calls.review.selectors import call_review_data
from calls.review.services import transcript_reveal
from console.api.errors import ApiError
from console.api.pagination import Pagination


class CallsQuery(serializers.Serializer):
    since = serializers.CharField(required=False)
    until = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=Call.Status.values, required=False)
    intent = serializers.ChoiceField(choices=CallAnalysis.Intent.values, required=False)
    escalated = serializers.BooleanField(required=False, allow_null=True, default=None)
    min_lead_score = serializers.IntegerField(required=False, min_value=0, max_value=100)

    def _moment(self, value: str, *, end: bool) -> datetime:
        parsed: datetime | None = None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None:
            raise serializers.ValidationError("An ISO 8601 date or date-time.")
        if not day_within_reach(parsed.date()):
            raise serializers.ValidationError(FAR_OFF)
        if len(value) == 10:  # a date: the whole day, in the business's zone
            tz = self.context["business"].tz
            day = parsed.date()
            parsed = datetime.combine(day, time.max if end else time.min, tzinfo=tz)
        elif parsed.tzinfo is None:
            raise serializers.ValidationError("Give a time zone offset, e.g. Z or +01:00.")
        return parsed

    def validate_since(self, value: str) -> datetime:
        return self._moment(value, end=False)

    def validate_until(self, value: str) -> datetime:
        return self._moment(value, end=True)


def analysis_json(analysis: CallAnalysis | None) -> dict[str, Any] | None:
    if analysis is None:
        return None
    return {
        "sentiment": {"score": analysis.sentiment_score, "label": analysis.sentiment_label},
        "intent": {"label": analysis.intent, "confidence": analysis.intent_confidence},
        "lead_score": analysis.lead_score,
        "lead_reasons": analysis.lead_reasons,
        "escalate": analysis.escalate,
        "escalation_reason": analysis.escalation_reason,
        "slots": {
            "caller_name": "[NAME]" if analysis.caller_name else None,
            "callback_number": analysis.callback_masked or None,
            "reason": analysis.reason or None,
            "urgency": analysis.urgency,
        },
        "language": (analysis.details or {}).get("language") or "en",
        "analyzer_version": analysis.analyzer_version,
    }


def review_json(review: CallReview | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "reviewed": review.reviewed,
        "corrections": {
            "intent": review.intent or None,
            "lead_score": review.lead_score,
            "escalate": review.escalate,
            "escalation_reason": review.escalation_reason or None,
            "reason": review.reason or None,
            "urgency": review.urgency or None,
        },
    }


def call_json(
    call: Call, analysis: CallAnalysis | None, review: CallReview | None
) -> dict[str, Any]:
    return {
        "call_id": call.call_id,
        "status": call.status,
        "agent": call.agent,
        "channel": call.channel or None,
        "from": call.from_masked or None,
        "to": call.to_masked or None,
        "started_at": call.started_at.isoformat(),
        "ended_at": call.ended_at.isoformat() if call.ended_at else None,
        "duration_s": call.duration_s,
        "end_reason": call.end_reason or None,
        "analysis": analysis_json(analysis),
        "review": review_json(review),
    }


class CallsView(APIView):
    required_scope = "admin"
    is_list_view = True

    @extend_schema(
        summary="Calls, newest first",
        parameters=[
            OpenApiParameter("since", str, description="ISO date or date-time"),
            OpenApiParameter("until", str, description="ISO date or date-time"),
            OpenApiParameter("status", str, enum=Call.Status.values),
            OpenApiParameter("intent", str, enum=CallAnalysis.Intent.values),
            OpenApiParameter("escalated", bool),
            OpenApiParameter("min_lead_score", int),
        ],
        responses=dict,
    )
    def get(self, request: Request) -> Response:
        business = request.auth.business
        query = CallsQuery(data=request.query_params, context={"business": business})
        query.is_valid(raise_exception=True)
        f = query.validated_data
        calls = Call.objects.filter(business=business)
        if f.get("since"):
            calls = calls.filter(started_at__gte=f["since"])
        if f.get("until"):
            calls = calls.filter(started_at__lte=f["until"])
        if f.get("status"):
            calls = calls.filter(status=f["status"])
        current = "analyses__is_current"
        if f.get("intent"):
            calls = calls.filter(**{current: True, "analyses__intent": f["intent"]})
        if f.get("escalated") is not None:
            calls = calls.filter(**{current: True, "analyses__escalate": f["escalated"]})
        if f.get("min_lead_score") is not None:
            calls = calls.filter(
                **{current: True, "analyses__lead_score__gte": f["min_lead_score"]}
            )
        calls = (
            calls.select_related("review")
            .prefetch_related(
                Prefetch(
                    "analyses",
                    queryset=CallAnalysis.objects.filter(is_current=True),
                    to_attr="current_analyses",
                )
            )
            .order_by("-started_at", "-id")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(calls, request, view=self)
        rows = [
            call_json(
                call,
                call.current_analyses[0] if call.current_analyses else None,  # type: ignore[attr-defined]
                getattr(call, "review", None),
            )
            for call in page or []
        ]
        return paginator.get_paginated_response(rows)


class CallDetailView(APIView):
    required_scope = "admin"

    @extend_schema(
        summary="One call with its redacted transcript and analysis",
        parameters=[
            OpenApiParameter(
                "reveal",
                bool,
                description="true: also the original transcript, numbers and the caller's "
                "name under `original` (written to the audit log)",
            )
        ],
        responses=dict,
    )
    def get(self, request: Request, call_id: str) -> Response:
        reveal = request.query_params.get("reveal", "false").lower()
        if reveal not in ("true", "false", "1", "0"):
            raise ApiError(400, "invalid", "Invalid query.", fields={"reveal": "true or false."})
        call = Call.objects.filter(business=request.auth.business, call_id=call_id).first()
        if call is None:
            raise ApiError(404, "not_found", "No such call.")
        data = call_review_data(call=call)
        body = call_json(call, data.analysis, data.review)
        if reveal in ("true", "1"):
            revealed = transcript_reveal(
                call=call, by=None, api_key=request.auth, request=request._request
            )
            body["original"] = {
                "from": call.from_number or None,
                "to": call.to_number or None,
                "caller_name": revealed.caller_name or None,
                "callback_number": revealed.callback_number or None,
                "transcript": [
                    {"speaker": line.speaker, "text": line.text, "start_ms": line.start_ms}
                    for line in revealed.lines
                ],
                "tool_invocations": revealed.tools,
            }
        # A Retell or Vapi connector's own analysis, kept beside ours (calls.connectors).
        # Its summary may quote the caller unredacted, so its content comes with reveal only.
        theirs = PlatformAnalysis.objects.filter(call=call).first()
        body["platform_analysis"] = (
            {"platform": theirs.platform, "received_at": theirs.received_at.isoformat()}
            if theirs
            else None
        )
        if theirs and "original" in body:
            body["original"]["platform_analysis"] = theirs.data
        body["transcript"] = [
            {
                "speaker": line.speaker,
                "text": line.text,
                "start_ms": line.start_ms,
                "end_ms": line.end_ms,
            }
            for line in data.lines
        ]
        body["tool_invocations"] = [
            {
                "name": t.name,
                "arguments": t.arguments,
                "result": t.result,
                "ok": t.ok,
                "latency_ms": t.latency_ms,
                "at_ms": t.at_ms,
            }
            for t in data.tools
        ]
        body["turn_metrics"] = [
            {
                "turn": t.turn,
                "latency_ms": t.latency_ms,
                "barge_in": t.barge_in,
                "asr_ms": t.asr_ms,
                "llm_ms": t.llm_ms,
                "tts_ms": t.tts_ms,
            }
            for t in data.turns
        ]
        body["appointments"] = [
            {"reference": a.reference, "status": a.status, "start": a.start.isoformat()}
            for a in data.appointments
        ]
        return Response(body)
