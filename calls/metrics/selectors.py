"""The metrics page's numbers, per day (in the business's zone) and per agent.

Counts are aggregated in the database. Turn-latency percentiles use percentile_cont on
PostgreSQL; SQLite has no percentile aggregate, so there the latencies are fetched and
ranked in Python (fine for the embedded laptop setup's volumes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate

from calls.models import Call, CallAnalysis, ToolInvocation, TurnMetric
from calls.review.selectors import percentile
from console.tenancy.models import Business

LEAD_BUCKETS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


@dataclass
class Row:
    key: Any
    calls: int = 0
    answered: int = 0
    booked: int = 0
    escalated: int = 0
    lead_avg: float | None = None
    turns: int = 0
    barge_ins: int = 0
    latency_median: int | None = None
    latency_p95: int | None = None

    @property
    def booked_rate(self) -> float | None:
        return self.booked / self.calls if self.calls else None

    @property
    def barge_in_rate(self) -> float | None:
        return self.barge_ins / self.turns if self.turns else None


@dataclass
class ToolRow:
    name: str
    calls: int
    ok: int

    @property
    def success_rate(self) -> float:
        return self.ok / self.calls if self.calls else 0.0


@dataclass
class Metrics:
    since: date
    until: date
    total: Row
    days: list[Row]
    agents: list[Row]
    tools: list[ToolRow]
    lead_buckets: list[tuple[str, int]] = field(default_factory=list)


def _calls(business: Business, since: date, until: date, agent: str) -> QuerySet[Call]:
    start = datetime.combine(since, time.min, tzinfo=business.tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=business.tz)
    qs = Call.objects.filter(business=business, started_at__gte=start, started_at__lt=end)
    return qs.filter(agent=agent) if agent else qs


def _booked() -> Exists:
    return Exists(
        ToolInvocation.objects.filter(call=OuterRef("pk"), ok=True, name="book_appointment")
    )


def metrics_compute(*, business: Business, since: date, until: date, agent: str = "") -> Metrics:
    calls = _calls(business, since, until, agent).annotate(
        day=TruncDate("started_at", tzinfo=business.tz), booked_flag=_booked()
    )
    # Call-level counts from the calls; analysis-level ones from the current analyses,
    # which carry the call's start and agent (no join, no DISTINCT over a fan-out).
    call_aggregates = {
        "calls": Count("id"),
        "answered": Count("id", filter=Q(segment_count__gt=0)),
        "booked": Count("id", filter=Q(booked_flag=True)),
    }
    start = datetime.combine(since, time.min, tzinfo=business.tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=business.tz)
    analyses = CallAnalysis.objects.filter(
        business=business, is_current=True, started_at__gte=start, started_at__lt=end
    ).annotate(day=TruncDate("started_at", tzinfo=business.tz))
    if agent:
        analyses = analyses.filter(agent=agent)
    analysis_aggregates = {
        "escalated": Count("id", filter=Q(escalate_effective=True)),
        "lead_avg": Avg("lead_score_effective"),
    }

    def rows(group: str | None) -> dict[Any, Row]:
        if group is None:
            values = calls.aggregate(**call_aggregates)
            values.update(analyses.aggregate(**analysis_aggregates))
            return {None: Row(key=None, **values)}
        out: dict[Any, Row] = {}
        for values in calls.values(group).annotate(**call_aggregates).order_by(group):
            key = values.pop(group)
            out[key] = Row(key=key, **values)
        for values in analyses.values(group).annotate(**analysis_aggregates).order_by(group):
            row = out.get(values.pop(group))
            if row is not None:
                row.escalated, row.lead_avg = values["escalated"], values["lead_avg"]
        return out

    total, days, agents = rows(None)[None], rows("day"), rows("agent")

    turns = TurnMetric.objects.filter(call__in=_calls(business, since, until, agent))
    _turn_stats(turns, business, total=total, days=days, agents=agents)

    tool_rows = [
        ToolRow(name=v["name"], calls=v["calls"], ok=v["ok"])
        for v in ToolInvocation.objects.filter(call__in=_calls(business, since, until, agent))
        .values("name")
        .annotate(calls=Count("id"), ok=Count("id", filter=Q(ok=True)))
        .order_by("name")
    ]
    buckets = []
    counts = analyses.aggregate(
        **{
            f"b{low}": Count(
                "id", filter=Q(lead_score_effective__gte=low, lead_score_effective__lte=high)
            )
            for low, high in LEAD_BUCKETS
        }
    )
    for low, high in LEAD_BUCKETS:
        buckets.append((f"{low}–{high}", counts[f"b{low}"]))
    # Every day of the range, also the quiet ones, so the chart's x axis is honest.
    all_days = []
    day = since
    while day <= until:
        all_days.append(days.get(day) or Row(key=day))
        day += timedelta(days=1)
    return Metrics(
        since=since,
        until=until,
        total=total,
        days=all_days,
        agents=sorted(agents.values(), key=lambda r: -r.calls),
        tools=tool_rows,
        lead_buckets=buckets,
    )


def _turn_stats(
    turns: QuerySet[TurnMetric],
    business: Business,
    *,
    total: Row,
    days: dict[Any, Row],
    agents: dict[Any, Row],
) -> None:
    turns = turns.annotate(day=TruncDate("call__started_at", tzinfo=business.tz))
    groups: list[tuple[str | None, dict[Any, Row] | None]] = [
        (None, None),
        ("day", days),
        ("call__agent", agents),
    ]
    if settings.USING_POSTGRES:
        stats = {
            "n": Count("id"),
            "barge": Count("id", filter=Q(barge_in=True)),
            "median": PercentileCont("latency_ms", 0.5),
            "p95": PercentileCont("latency_ms", 0.95),
        }
        for group, target in groups:
            if group is None:
                results = [dict(turns.aggregate(**stats), key=None)]
            else:
                results = [
                    {**v, "key": v[group]}
                    for v in turns.values(group).annotate(**stats).order_by(group)
                ]
            for values in results:
                row = total if target is None else target.get(values["key"])
                if row is None:
                    continue
                row.turns, row.barge_ins = values["n"], values["barge"]
                row.latency_median = _int(values["median"])
                row.latency_p95 = _int(values["p95"])
        return
    collected: dict[tuple[str | None, Any], list[tuple[int, bool]]] = defaultdict(list)
    for day, agent, latency, barge in turns.values_list(
        "day", "call__agent", "latency_ms", "barge_in"
    ):
        for key in ((None, None), ("day", day), ("call__agent", agent)):
            collected[key].append((latency, barge))
    for group, target in groups:
        for (kind, key), items in collected.items():
            if kind != group:
                continue
            row = total if target is None else target.get(key)
            if row is None:
                continue
            latencies = [latency for latency, _ in items]
            row.turns, row.barge_ins = len(items), sum(1 for _, barge in items if barge)
            row.latency_median = percentile(latencies, 0.5)
            row.latency_p95 = percentile(latencies, 0.95)


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)
