"""Raising and acknowledging live alerts.

call_alerts_detect runs inside the ingest's transaction (the calls are locked there), on
what that batch added: so an alert is stored exactly when the line or tool failure that
raised it is, a retried event raises nothing twice, and the dashboards hear of it on commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from calls.alerts import live
from calls.alerts.detect import Detected, alerts_detect
from calls.analysis.redact import text_redact
from calls.live_transcript import calls_names_said
from calls.models import Call, ToolInvocation, TranscriptSegment
from calls.models.alert import CallAlert
from calls.selectors import with_current_analysis
from console.audit.log import audit_log_write
from console.tenancy.models import Business, User

# Caller lines read around the new ones: enough for "agent … agent" and a red flag said
# over two turns, few enough that a long call costs the same as a short one.
WINDOW = 8


class CallChanged(Protocol):
    """What the ingest knows of one call after a batch (calls.ingest.CallChange)."""

    @property
    def call(self) -> Call: ...

    @property
    def segments(self) -> Mapping[int, TranscriptSegment]:  # the lines this batch wrote
        ...

    @property
    def tools_added(self) -> int: ...


def call_alerts_detect(*, business: Business, changes: Iterable[CallChanged]) -> list[CallAlert]:
    """Stores the alerts the batch's new caller lines and tool invocations raise (once per
    call and kind); on commit, every dashboard of the business hears of them. Costs no query
    for a batch of agent lines, turn metrics or starts."""
    changes = list(changes)
    heard = {
        c.call.pk: [s.seq for s in c.segments.values() if s.speaker == "caller" and s.text]
        for c in changes
    }
    heard = {pk: seqs for pk, seqs in heard.items() if seqs}
    # A single new invocation that worked adds no failure: only count when one may have.
    tooled = [
        c.call.pk
        for c in changes
        if c.tools_added > 1 or (c.tools_added == 1 and c.call.last_tool_ok is False)
    ]
    if not heard and not tooled:
        return []
    failed = (
        dict(
            ToolInvocation.objects.filter(call_id__in=tooled, ok=False)
            .values("call_id")
            .annotate(n=Count("id"))
            .values_list("call_id", "n")
        )
        if tooled
        else {}
    )
    lines = _caller_lines(heard) if heard else {}
    found: list[tuple[Call, Detected]] = []
    for change in changes:
        pk = change.call.pk
        if pk not in heard and not failed.get(pk):
            continue
        texts = lines.get(pk, [])
        for detected in alerts_detect(caller_texts=texts, failed_tools=failed.get(pk, 0)):
            found.append((change.call, detected))
    if not found:
        return []
    known = set(
        CallAlert.objects.filter(call_id__in={call.pk for call, _ in found}).values_list(
            "call_id", "kind"
        )
    )
    now = timezone.now()
    fresh = [(call, detected) for call, detected in found if (call.pk, detected.kind) not in known]
    # The caller's words are shown to every dashboard: masked with every name said in the
    # call so far (a surname said once, then alone), as the live lines are.
    names = calls_names_said(call for call, _ in fresh) if fresh else {}
    new = [
        CallAlert(
            business=business,
            call=call,
            kind=detected.kind,
            detail=detected.detail[:40],
            evidence=text_redact(detected.evidence, names=names.get(call.pk, [])),
            raised_at=now,
        )
        for call, detected in fresh
    ]
    if not new:
        return []
    # The calls are locked by the ingest, so nobody else adds these; call_alert_once makes
    # sure of it (an IntegrityError here makes the ingest retry, and the retry finds them).
    CallAlert.objects.bulk_create(new)
    calls = list({alert.call.pk: alert.call for alert in new}.values())

    # A named function, not a partial: a robust on_commit logs a failure by __qualname__.
    def alerts_raised_broadcast() -> None:
        live.alerts_broadcast(business=business, calls=calls)

    transaction.on_commit(alerts_raised_broadcast, robust=True)
    return new


def _caller_lines(heard: dict[int, list[int]]) -> dict[int, list[str]]:
    """Per call, its caller lines around the new ones (by seq), in one query for the batch.

    Lines alternate between caller and agent: twice the window of seqs holds about WINDOW
    caller lines before the first new one, and every new one."""
    around = Q()
    for pk, seqs in heard.items():
        around |= Q(call_id=pk, seq__gte=max(0, min(seqs) - 2 * WINDOW), seq__lte=max(seqs))
    lines: dict[int, list[str]] = {}
    rows = (
        TranscriptSegment.objects.filter(around, speaker=TranscriptSegment.Speaker.CALLER)
        .order_by("call_id", "seq")
        .values_list("call_id", "text")
    )
    for call_pk, text in rows:
        lines.setdefault(call_pk, []).append(text)
    return lines


def call_alert_acknowledge(
    *, business: Business, alert: CallAlert, user: User, request: HttpRequest | None = None
) -> CallAlert:
    """Takes the alert off the "needs attention" list of every dashboard, saying who and
    when, audited. Acknowledging it again changes nothing (the first who and when stay)."""
    when: datetime = timezone.now()
    with transaction.atomic():
        updated = CallAlert.objects.filter(
            business=business, pk=alert.pk, acknowledged_at__isnull=True
        ).update(acknowledged_at=when, acknowledged_by=user)
        alert.refresh_from_db()
        if updated:
            audit_log_write(
                action="call_alert.acknowledge",
                business=business,
                actor=user,
                obj=alert,
                request=request,
                data={"call_id": alert.call.call_id, "kind": alert.kind},
            )
            call_pk = alert.call_id

            def alert_acknowledged_broadcast() -> None:
                _acknowledged_broadcast(business=business, call_pk=call_pk)

            transaction.on_commit(alert_acknowledged_broadcast, robust=True)
    return alert


def _acknowledged_broadcast(*, business: Business, call_pk: int) -> None:
    call = with_current_analysis(Call.objects.filter(business=business, pk=call_pk)).first()
    if call is not None:
        live.alerts_broadcast(business=business, calls=[call])
