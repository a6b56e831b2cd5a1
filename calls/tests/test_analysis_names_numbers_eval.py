"""The names-and-numbers labelled set (eval/names_numbers.yaml), scored on what the slots
and the redaction make of it: caller names and callback numbers right, no personal detail
left in the redacted transcript or tool payloads, services, references and appointment
dates still readable, and ordinary words left alone."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from calls.analysis.evaluation import Example, examples_load
from calls.analysis.names import fold, gazetteer
from calls.analysis.redact import json_redact, names_find, transcript_redact
from calls.analysis.slots import slots_extract

EVAL_FILE = Path(__file__).resolve().parents[1] / "analysis" / "eval" / "names_numbers.yaml"
PLACEHOLDER = re.compile(r"\[[A-Z]+\]")


@cache
def examples() -> list[Example]:
    return examples_load(EVAL_FILE)


@cache
def raw_calls() -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in yaml.safe_load(EVAL_FILE.read_text())["calls"]}


def redacted_everything(example: Example) -> str:
    """What a reviewer is shown: the redacted lines and the tools' redacted payloads."""
    names = names_find(example.call)
    payloads = [
        json.dumps(
            [json_redact(t.arguments, names=names), json_redact(t.result, names=names)],
            ensure_ascii=False,
        )
        for t in example.call.tools
    ]
    return "\n".join([transcript_redact(example.call).text, *payloads])


def leaks(example: Example) -> list[str]:
    shown = redacted_everything(example)
    return [
        secret
        for secret in example.phi
        if re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", shown, re.IGNORECASE)
    ]


def test_the_set_has_sixty_calls_half_salon_half_clinic_a_fifth_spanish() -> None:
    items = list(raw_calls().values())
    assert len(items) >= 60
    salons = sum(item["kind"] == "salon" for item in items)
    assert abs(salons - len(items) / 2) <= 2
    spanish = sum(item["labels"]["language"] == "es" for item in items)
    assert 0.15 <= spanish / len(items) <= 0.3
    for item in items:
        assert {"caller_name", "callback_number"} <= set(item["labels"])


def test_caller_names_are_right_on_the_labelled_set() -> None:
    wrong = []
    for example in examples():
        got = slots_extract(example.call, intent=example.labels["intent"]).caller_name
        if got.lower() != example.labels["caller_name"].lower():
            wrong.append(f"{example.id}: {got!r} != {example.labels['caller_name']!r}")
    right = len(examples()) - len(wrong)
    print(f"caller_name right {right}/{len(examples())}")
    assert right / len(examples()) >= 0.95, wrong


def test_callback_numbers_are_right_on_the_labelled_set() -> None:
    wrong = []
    for example in examples():
        got = slots_extract(example.call, intent=example.labels["intent"]).callback_number
        if got != example.labels["callback_number"]:
            wrong.append(f"{example.id}: {got!r} != {example.labels['callback_number']!r}")
    right = len(examples()) - len(wrong)
    print(f"callback_number right {right}/{len(examples())}")
    assert right / len(examples()) >= 0.95, wrong


def test_no_personal_detail_survives_redaction_on_the_labelled_set() -> None:
    leaked = [f"{e.id}: {secret!r}" for e in examples() for secret in leaks(e)]
    total = sum(len(e.phi) for e in examples())
    print(f"phi leaked {len(leaked)}/{total}")
    assert leaked == []


def test_services_references_and_appointment_dates_stay_readable() -> None:
    lost = []
    for example in examples():
        shown = redacted_everything(example)
        for kept in raw_calls()[example.id].get("keep") or ():
            if kept.lower() not in shown.lower():
                lost.append(f"{example.id}: {kept!r}")
    assert lost == []


def test_ordinary_words_are_not_masked_into_uselessness() -> None:
    """Of the words that are no personal detail, at most 3% are masked. (Staff and agent
    names, "Ava", "Maria", are names: masking them is no loss counted here.)"""
    ordinary = masked = 0
    first_names = gazetteer().first
    for example in examples():
        secret_words = {
            word.lower() for secret in example.phi for word in re.findall(r"\w+", secret)
        }
        for line, redacted in zip(
            example.call.lines, transcript_redact(example.call).lines, strict=True
        ):
            kept = {w.lower() for w in re.findall(r"\w+", PLACEHOLDER.sub(" ", redacted.text))}
            for word in re.findall(r"\w+", line.text):
                if word.lower() in secret_words or word.isdigit():
                    continue
                if word[0].isupper() and fold(word) in first_names:
                    continue
                ordinary += 1
                masked += word.lower() not in kept
    print(f"ordinary words masked {masked}/{ordinary}")
    assert masked / ordinary <= 0.03


@pytest.mark.parametrize("call_id", sorted(raw_calls()))
def test_each_labelled_call_leaks_nothing(call_id: str) -> None:
    example = next(e for e in examples() if e.id == call_id)
    assert leaks(example) == []
