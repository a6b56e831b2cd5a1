"""How often reviewers agree with the machine: from their corrections on reviewed calls.

A reviewed call's CallReview holds a value only where the reviewer corrected the machine
(empty or null means "the machine was right"), so per field the agreement is the share of
reviewed calls whose review left the field alone or set it to the machine's own answer.
The lead score counts as agreed within LEAD_TOLERANCE points. Read from the current
analyses of calls started in the range, one business at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from calls.models import CallAnalysis, CallReview
from console.tenancy.models import Business

LEAD_TOLERANCE = 10
FIELDS = ("intent", "urgency", "escalate", "lead_score", "caller_name", "callback_number")
LABELS = {
    "intent": "Intent",
    "urgency": "Urgency",
    "escalate": "Escalation",
    "lead_score": f"Lead score (±{LEAD_TOLERANCE})",
    "caller_name": "Caller name",
    "callback_number": "Callback number",
}


@dataclass
class FieldAgreement:
    name: str
    label: str
    reviewed: int = 0
    agreed: int = 0

    @property
    def rate(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


@dataclass
class Agreement:
    reviewed: int = 0
    fields: list[FieldAgreement] = field(default_factory=list)
    missed_escalations: int = 0  # the reviewer escalated a call the machine did not


def _agrees(name: str, analysis: CallAnalysis, review: CallReview) -> bool:
    corrected = getattr(review, name)
    if corrected is None or corrected == "":
        return True
    machine = getattr(analysis, name)
    if name == "lead_score":
        return abs(int(corrected) - int(machine)) <= LEAD_TOLERANCE
    if name == "caller_name":
        return str(corrected).strip().lower() == str(machine).strip().lower()
    return bool(corrected == machine)


def reviewer_agreement_compute(
    *, business: Business, since: date, until: date, agent: str = ""
) -> Agreement:
    start = datetime.combine(since, time.min, tzinfo=business.tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=business.tz)
    analyses = (
        CallAnalysis.objects.filter(
            business=business,
            is_current=True,
            call__review__reviewed=True,
            started_at__gte=start,
            started_at__lt=end,
        )
        .select_related("call__review")
        .order_by("id")
    )
    if agent:
        analyses = analyses.filter(agent=agent)
    result = Agreement(fields=[FieldAgreement(name=n, label=LABELS[n]) for n in FIELDS])
    for analysis in analyses:
        review = getattr(analysis.call, "review", None)
        if review is None or not review.reviewed:
            continue
        result.reviewed += 1
        for row in result.fields:
            row.reviewed += 1
            row.agreed += int(_agrees(row.name, analysis, review))
        if review.escalate is True and not analysis.escalate:
            result.missed_escalations += 1
    return result
