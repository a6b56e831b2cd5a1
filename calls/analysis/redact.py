"""A PHI-safe copy of a transcript: personal details replaced by typed placeholders.

In: the call's lines (and tool arguments, which may name the caller). Out: the same lines
with [PHONE], [EMAIL], [DOB], [DATE], [CARD], [ID], [ADDRESS], [NAME] and [NUMBER] in place
of what they stand for. Lists, search and exports only ever see this copy.

The rules lean towards over-redacting: a leftover run of five or more digits becomes
[NUMBER] whatever it was, so a number the patterns did not recognise still never shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from calls.analysis.types import CallInput, Line

PLACEHOLDERS = (
    "[PHONE]",
    "[EMAIL]",
    "[DOB]",
    "[DATE]",
    "[CARD]",
    "[ID]",
    "[ADDRESS]",
    "[NAME]",
    "[NUMBER]",
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# "at" spoken for "@": "jane dot doe at gmail dot com"
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+(?:com|net|org|co|uk|io|edu))+\b",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(r"(born|birth|d\.?o\.?b\.?|birthday)\b[^.?!\n]{0,25}?$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_WORD_DATE_YEAR = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?)|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)),?\s+(?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)
_WORD_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?)|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b))",
    re.IGNORECASE,
)
_LONG_DIGITS = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_ID_CONTEXT = re.compile(
    r"\b((?:member(?:ship)?|policy|insurance|nhs|patient|account|licen[cs]e|passport|"
    r"social security|ssn|medicare|medicaid|id|reference)\s*(?:number|no\.?|#|id)?\s*"
    r"(?:is|it's|:)?\s*)([A-Z0-9][A-Z0-9 -]{3,20}[0-9])\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
_DIGIT_WORDS = (
    r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double\s+\w+|triple\s+\w+)"
)
_SPOKEN_NUMBER = re.compile(rf"\b{_DIGIT_WORDS}(?:[\s,-]+{_DIGIT_WORDS}){{5,}}\b", re.IGNORECASE)
_STREET = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|"
    r"close|crescent|terrace|parkway|pkwy|highway|hwy|square|sq"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][a-zA-Z'-]+\s+){{1,3}}(?:{_STREET})\b\.?"
    rf"(?:,?\s*(?:apt|apartment|unit|suite|flat)\.?\s*#?\s*\w+)?",
    re.IGNORECASE,
)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_LEFTOVER_DIGITS = re.compile(r"\d(?:[\s-]?\d){4,}")

_NAME_INTRO = re.compile(
    r"\b(?:my name is|my name's|name is|name's|this is|it's|it is|i'm|i am|call me|"
    r"under the name(?: of)?|under|for my (?:son|daughter|wife|husband|mother|father|mom|mum|dad|"
    r"partner|boy|girl|kid|child),?)\s+"
    r"((?:[A-Z][a-z'’-]+)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){0,2})"
)
_NOT_NAME_WORDS = """
    i im a an the so just not here there fine good great sorry calling looking wondering hoping
    trying ringing phoning back again also still really very yes yeah no okay ok hi hello hey
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight morning
    afternoon evening january february march april may june july august september october
    november december about afraid worried sure glad happy calling going getting having new
    booked booking thinking done ready available free busy late early urgent an emergency
    salon clinic dr doctor mr mrs ms miss
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


@dataclass(frozen=True)
class Redaction:
    lines: tuple[Line, ...]
    names: tuple[str, ...]

    @property
    def text(self) -> str:
        return transcript_text(self.lines)


def transcript_text(lines: Iterable[Line]) -> str:
    return "\n".join(f"{line.speaker.title()}: {line.text}" for line in lines)


def names_find(call: CallInput) -> list[str]:
    """People's names the transcript gives (caller lines) or the agent's tools were sent."""
    found: list[str] = []
    for text in call.caller_lines:
        for match in _NAME_INTRO.finditer(text):
            words = match.group(1).split()
            kept: list[str] = []
            for word in words:
                if word.lower().strip(".'’") in _NOT_NAMES:
                    break
                kept.append(word)
            if kept:
                found.append(" ".join(kept))
    for tool in call.tools:
        customer = tool.arguments.get("customer")
        if isinstance(customer, dict) and isinstance(customer.get("name"), str):
            found.append(customer["name"].strip())
    unique: list[str] = []
    for name in found:
        if name and name not in unique:
            unique.append(name)
    return unique


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _dates(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 40) : match.start()]
        return "[DOB]" if _BIRTH_CONTEXT.search(before) else "[DATE]"

    text = _WORD_DATE_YEAR.sub(replace, text)
    text = _NUMERIC_DATE.sub(replace, text)

    # A day and month without a year is an appointment date, unless it is a birthday.
    def birthday_only(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 40) : match.start()]
        return "[DOB]" if _BIRTH_CONTEXT.search(before) else match.group(0)

    return _WORD_DATE.sub(birthday_only, text)


# Appointment references (CONTRACTS §5) identify a booking, not a person, and reviewers
# need them: they are kept as they are.
_REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{8}-\d{3,4}\b")


def text_redact(text: str, *, names: Iterable[str] = ()) -> str:
    """One line of text with personal details replaced (appointment references kept)."""
    parts = _REFERENCE.split(text)
    if len(parts) > 1:
        references = _REFERENCE.findall(text)
        out = [_redact(parts[0], names)]
        for reference, part in zip(references, parts[1:], strict=True):
            out += [reference, _redact(part, names)]
        return "".join(out)
    return _redact(text, names)


def _redact(text: str, names: Iterable[str]) -> str:
    text = _EMAIL.sub("[EMAIL]", text)
    text = _SPOKEN_EMAIL.sub("[EMAIL]", text)
    text = _SSN.sub("[ID]", text)
    text = _dates(text)

    def long_digits(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[CARD]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else match.group(0)

    text = _LONG_DIGITS.sub(long_digits, text)
    text = _ID_CONTEXT.sub(
        lambda m: m.group(1) + "[ID]" if re.search(r"\d", m.group(2)) else m.group(0), text
    )
    text = _ADDRESS.sub("[ADDRESS]", text)
    text = _UK_POSTCODE.sub("[ADDRESS]", text)

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[PHONE]" if len(digits) >= 7 else match.group(0)

    text = _PHONE.sub(phone, text)
    text = _SPOKEN_NUMBER.sub("[PHONE]", text)
    for name in sorted(_name_parts(names), key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[]){re.escape(name)}(?![\w\]])", "[NAME]", text)
    text = re.sub(r"\[NAME\](?:\s+\[NAME\])+", "[NAME]", text)
    return _LEFTOVER_DIGITS.sub("[NUMBER]", text)


def _name_parts(names: Iterable[str]) -> set[str]:
    parts: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        parts.add(name)
        for word in name.split():
            word = word.strip(".,")
            if len(word) >= 2 and word.lower() not in _NOT_NAMES:
                parts.add(word)
    return parts


def transcript_redact(call: CallInput) -> Redaction:
    names = names_find(call)
    lines = tuple(
        Line(
            speaker=line.speaker,
            text=text_redact(line.text, names=names),
            start_ms=line.start_ms,
            end_ms=line.end_ms,
        )
        for line in call.lines
    )
    return Redaction(lines=lines, names=tuple(names))


def json_redact(value: object, *, names: Iterable[str] = ()) -> object:
    """A tool's arguments or result with every string value redacted (keys kept)."""
    if isinstance(value, str):
        return text_redact(value, names=names)
    if isinstance(value, dict):
        return {key: json_redact(item, names=names) for key, item in value.items()}
    if isinstance(value, list):
        return [json_redact(item, names=names) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10_000:
        return "[NUMBER]"  # a phone number sent as a JSON number
    return value
