"""Scores the analyzer against labelled calls: the written set in eval/transcripts.yaml, or
reviewers' corrections in the database (a reviewed call's effective answer is the label).

Per field: accuracy; for labelled categories, precision and recall per label and their
macro average; for flags, precision and recall of the positive answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from calls.analysis.pipeline import AnalysisResult, analysis_run
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall

EVAL_FILE = Path(__file__).resolve().parent / "eval" / "transcripts.yaml"


@dataclass
class Example:
    id: str
    call: CallInput
    labels: dict[str, Any]
    phi: list[str] = field(default_factory=list)


@dataclass
class FieldScore:
    name: str
    total: int = 0
    correct: int = 0
    pairs: list[tuple[Any, Any]] = field(default_factory=list)  # (expected, predicted)

    def add(self, expected: Any, predicted: Any) -> None:
        self.total += 1
        self.correct += int(expected == predicted)
        self.pairs.append((expected, predicted))

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def precision_recall(self, label: Any) -> tuple[float | None, float | None]:
        predicted = [e for e, p in self.pairs if p == label]
        expected = [p for e, p in self.pairs if e == label]
        precision = sum(1 for e in predicted if e == label) / len(predicted) if predicted else None
        recall = sum(1 for p in expected if p == label) / len(expected) if expected else None
        return precision, recall

    def labels(self) -> list[Any]:
        return sorted({e for e, _ in self.pairs} | {p for _, p in self.pairs}, key=str)


@dataclass
class Report:
    examples: int
    fields: dict[str, FieldScore]
    phi_total: int = 0
    phi_removed: int = 0
    leaks: list[str] = field(default_factory=list)
    lead_abs_errors: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.examples} labelled calls"]
        for score in self.fields.values():
            if not score.total:
                continue
            out.append(
                f"{score.name:<16} accuracy {score.accuracy:6.1%}  ({score.correct}/{score.total})"
            )
            if score.name in CATEGORICAL:
                precisions, recalls = [], []
                for label in score.labels():
                    p, r = score.precision_recall(label)
                    precisions += [p] if p is not None else []
                    recalls += [r] if r is not None else []
                    out.append(f"  {label!s:<14} precision {_pct(p)}  recall {_pct(r)}")
                out.append(
                    f"  {'macro':<14} precision {_pct(_mean(precisions))}  recall {_pct(_mean(recalls))}"  # noqa: E501
                )
            elif score.name in FLAGS:
                p, r = score.precision_recall(True)
                out.append(f"  {'yes':<14} precision {_pct(p)}  recall {_pct(r)}")
            elif score.name == "reason_service":
                p, r = _service_pr(score.pairs)
                out.append(f"  {'service':<14} precision {_pct(p)}  recall {_pct(r)}")
        if self.phi_total:
            out.append(
                f"{'redaction':<16} recall {self.phi_removed / self.phi_total:6.1%}  "
                f"({self.phi_removed}/{self.phi_total} personal details removed)"
            )
            out += [f"  leaked: {leak}" for leak in self.leaks]
        if self.lead_abs_errors:
            mae = sum(self.lead_abs_errors) / len(self.lead_abs_errors)
            out.append(f"{'lead_score':<16} mean absolute error {mae:.1f} points")
        return out


CATEGORICAL = ("intent", "sentiment", "urgency")
FLAGS = ("escalate", "booked")


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.1%}"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _service_pr(pairs: list[tuple[Any, Any]]) -> tuple[float | None, float | None]:
    predicted = [(e, p) for e, p in pairs if p]
    expected = [(e, p) for e, p in pairs if e]
    precision = sum(1 for e, p in predicted if e == p) / len(predicted) if predicted else None
    recall = sum(1 for e, p in expected if e == p) / len(expected) if expected else None
    return precision, recall


def examples_load(path: Path = EVAL_FILE) -> list[Example]:
    data = yaml.safe_load(path.read_text())
    services = {
        kind: tuple(
            ServiceOption(id=s["id"], name=s["name"], aliases=tuple(s.get("aliases", ())))
            for s in items
        )
        for kind, items in data["services"].items()
    }
    examples = []
    for item in data["calls"]:
        lines = []
        for raw in item["lines"]:
            who, _, text = raw.partition(":")
            lines.append(
                Line(speaker="caller" if who.strip() == "C" else "agent", text=text.strip())
            )
        tools = tuple(
            ToolCall(
                name=t["name"],
                arguments=t.get("arguments") or {},
                result=t.get("result") or {},
                ok=bool(t.get("ok", True)),
            )
            for t in item.get("tools") or ()
        )
        call = CallInput(
            lines=tuple(lines),
            tools=tools,
            services=services[item["kind"]],
            business_kind=item["kind"],
            region=item.get("region", "US"),
            from_number=item.get("from", ""),
            duration_s=item.get("duration_s"),
        )
        examples.append(
            Example(id=item["id"], call=call, labels=item["labels"], phi=item.get("phi") or [])
        )
    return examples


def _service_names(call: CallInput) -> set[str]:
    return {s.name for s in call.services}


def evaluate(examples: Iterable[Example]) -> Report:
    fields = {
        name: FieldScore(name)
        for name in (
            "intent",
            "sentiment",
            "urgency",
            "escalate",
            "booked",
            "caller_name",
            "callback_number",
            "reason_service",
        )
    }
    report = Report(examples=0, fields=fields)
    for example in examples:
        report.examples += 1
        result = analysis_run(example.call)
        _score(report, example, result)
    return report


def _score(report: Report, example: Example, result: AnalysisResult) -> None:
    labels, f = example.labels, report.fields
    predicted = {
        "intent": result.intent.label,
        "sentiment": result.sentiment.label,
        "urgency": result.slots.urgency,
        "escalate": result.escalation.escalate,
        "booked": result.booked,
        "caller_name": result.slots.caller_name.lower(),
        "callback_number": result.slots.callback_number,
    }
    for name, value in predicted.items():
        if name in labels and labels[name] is not None:
            expected = labels[name].lower() if name == "caller_name" else labels[name]
            f[name].add(expected, value)
    if "reason" in labels:
        services = _service_names(example.call)
        guess = result.slots.reason if result.slots.reason in services else ""
        f["reason_service"].add(labels["reason"] or "", guess)
    if "lead_score" in labels and labels["lead_score"] is not None:
        report.lead_abs_errors.append(abs(int(labels["lead_score"]) - result.lead.score))
    redacted = result.redaction.text
    for secret in example.phi:
        report.phi_total += 1
        if secret in redacted:
            report.leaks.append(f"{example.id}: {secret!r}")
        else:
            report.phi_removed += 1


def examples_from_reviews(*, business_id: int | None = None) -> list[Example]:
    """Reviewed calls: the reviewer's correction where given, else the machine's answer
    they accepted, is the label."""
    from calls.analysis.pipeline import call_input_build
    from calls.models import CallAnalysis

    analyses = (
        CallAnalysis.objects.filter(is_current=True, call__review__reviewed=True)
        .select_related("call__review", "call__business")
        .order_by("call_id")
    )
    if business_id is not None:
        analyses = analyses.filter(call__business_id=business_id)
    examples = []
    for analysis in analyses:
        review = analysis.call.review
        labels = {
            "intent": review.intent or analysis.intent,
            "urgency": review.urgency or analysis.urgency,
            "escalate": review.escalate if review.escalate is not None else analysis.escalate,
            "caller_name": review.caller_name or analysis.caller_name,
            "callback_number": review.callback_number or analysis.callback_number,
            "lead_score": review.lead_score
            if review.lead_score is not None
            else analysis.lead_score,
        }
        examples.append(
            Example(id=analysis.call.call_id, call=call_input_build(analysis.call), labels=labels)
        )
    return examples
