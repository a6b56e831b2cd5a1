"""Scores the analyzer against labelled calls: the written set in eval/*.yaml, or
reviewers' corrections in the database (a reviewed call's effective answer is the label).

Emergency recall comes first (a missed emergency is the one error a clinic cannot take),
with the false emergencies on calls labelled otherwise. Then per field: accuracy; for
labelled categories, precision and recall per label and their macro average; for flags,
precision and recall of the positive answer. Then the same fields' accuracy per kind of
call (salon/clinic) and per language (en/es/mixed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from calls.analysis.offline import AnalysisResult, analysis_run
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall

EVAL_DIR = Path(__file__).resolve().parent / "eval"
EVAL_FILE = EVAL_DIR / "transcripts.yaml"
"""The file that lists the businesses' services; the other eval/*.yaml files share them."""


@dataclass
class Example:
    id: str
    call: CallInput
    labels: dict[str, Any]
    phi: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return str(self.labels.get("language") or "en")


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
    emergencies: int = 0
    emergencies_found: int = 0
    emergencies_escalated: int = 0
    missed: list[str] = field(default_factory=list)
    non_emergencies: int = 0
    false_emergencies: list[str] = field(default_factory=list)
    kind_found: int = 0
    kind_labelled: int = 0
    groups: dict[str, dict[str, FieldScore]] = field(default_factory=dict)

    @property
    def emergency_recall(self) -> float:
        return self.emergencies_found / self.emergencies if self.emergencies else 1.0

    @property
    def false_emergency_rate(self) -> float:
        return len(self.false_emergencies) / self.non_emergencies if self.non_emergencies else 0.0

    def emergency_lines(self) -> list[str]:
        out = [
            f"emergency recall {self.emergency_recall:6.1%}  "
            f"({self.emergencies_found}/{self.emergencies} labelled emergencies came out "
            f"urgency emergency; {self.emergencies_escalated} escalated)"
        ]
        out += [f"  missed: {miss}" for miss in self.missed]
        out.append(
            f"false emergencies {self.false_emergency_rate:6.1%}  "
            f"({len(self.false_emergencies)}/{self.non_emergencies} calls labelled otherwise)"
        )
        out += [f"  false: {false}" for false in self.false_emergencies]
        if self.kind_labelled:
            out.append(
                f"red-flag kind    {self.kind_found / self.kind_labelled:6.1%}  "
                f"({self.kind_found}/{self.kind_labelled} emergencies named with their kind)"
            )
        return out

    def group_lines(self) -> list[str]:
        out: list[str] = []
        order = ("salon", "clinic", "en", "es", "mixed")
        groups = sorted(self.groups, key=lambda g: (order.index(g) if g in order else 99, g))
        for group in groups:
            scores = self.groups[group]
            cells = [
                f"{name} {score.accuracy:4.0%}" for name, score in scores.items() if score.total
            ]
            count = max((score.total for score in scores.values()), default=0)
            out.append(f"  {group:<14} ({count:>3} calls)  " + "  ".join(cells))
        return out

    def lines(self) -> list[str]:
        out = self.emergency_lines()
        out.append(f"{self.examples} labelled calls")
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
        if self.groups:
            out.append("accuracy per kind of call and per language")
            out += self.group_lines()
        return out


CATEGORICAL = ("intent", "sentiment", "urgency", "language")
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


def eval_files(directory: Path = EVAL_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def _services_read(data: dict[str, Any]) -> dict[str, tuple[ServiceOption, ...]]:
    return {
        kind: tuple(
            ServiceOption(id=s["id"], name=s["name"], aliases=tuple(s.get("aliases", ())))
            for s in items
        )
        for kind, items in (data.get("services") or {}).items()
    }


def examples_load(path: Path | None = None) -> list[Example]:
    """Every eval/*.yaml (or one file): the services come from the file itself, else from
    eval/transcripts.yaml, which lists them for the whole set."""
    paths = [path] if path is not None else eval_files()
    shared = _services_read(yaml.safe_load(EVAL_FILE.read_text())) if EVAL_FILE.exists() else {}
    examples: list[Example] = []
    for one in paths:
        data = yaml.safe_load(one.read_text()) or {}
        services = {**shared, **_services_read(data)}
        examples += [_example_read(item, services) for item in data.get("calls") or ()]
    return examples


def _example_read(item: dict[str, Any], services: dict[str, tuple[ServiceOption, ...]]) -> Example:
    lines = []
    for raw in item["lines"]:
        who, _, text = raw.partition(":")
        lines.append(Line(speaker="caller" if who.strip() == "C" else "agent", text=text.strip()))
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
        services=services.get(item["kind"], ()),
        business_kind=item["kind"],
        region=item.get("region", "US"),
        from_number=item.get("from", ""),
        duration_s=item.get("duration_s"),
        end_reason=item.get("end_reason", ""),
    )
    return Example(id=item["id"], call=call, labels=item["labels"], phi=item.get("phi") or [])


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
            "language",
        )
    }
    report = Report(examples=0, fields=fields)
    for example in examples:
        report.examples += 1
        result = analysis_run(example.call)
        _score(report, example, result)
        _score_emergency(report, example, result)
        for group in (example.call.business_kind, example.language):
            scores = report.groups.setdefault(group, {name: FieldScore(name) for name in GROUPED})
            _score_fields(scores, example, result)
    return report


GROUPED = ("intent", "sentiment", "urgency", "escalate", "caller_name", "callback_number")


def _score_emergency(report: Report, example: Example, result: AnalysisResult) -> None:
    if "urgency" not in example.labels or example.labels["urgency"] is None:
        return
    predicted = result.slots.urgency == "emergency"
    if example.labels["urgency"] == "emergency":
        report.emergencies += 1
        report.emergencies_found += int(predicted)
        report.emergencies_escalated += int(predicted and result.escalation.escalate)
        if not predicted:
            report.missed.append(f"{example.id} ({example.labels.get('red_flag', '?')})")
        expected_kind = example.labels.get("red_flag")
        if expected_kind:
            report.kind_labelled += 1
            report.kind_found += int(expected_kind in _flag_kinds(result))
    else:
        report.non_emergencies += 1
        if predicted:
            report.false_emergencies.append(f"{example.id}: {', '.join(_flag_kinds(result))}")


def _flag_kinds(result: AnalysisResult) -> list[str]:
    return [str(flag) for flag in result.slots.red_flags]


def _score(report: Report, example: Example, result: AnalysisResult) -> None:
    labels, f = example.labels, report.fields
    _score_fields(f, example, result)
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


def _score_fields(f: dict[str, FieldScore], example: Example, result: AnalysisResult) -> None:
    labels = example.labels
    predicted = {
        "intent": result.intent.label,
        "sentiment": result.sentiment.label,
        "urgency": result.slots.urgency,
        "escalate": result.escalation.escalate,
        "booked": result.booked,
        "caller_name": result.slots.caller_name.lower(),
        "callback_number": result.slots.callback_number,
        "language": result.language,
    }
    for name, value in predicted.items():
        if name in labels and labels[name] is not None:
            expected = labels[name].lower() if name == "caller_name" else labels[name]
            if name in f:
                f[name].add(expected, value)


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
