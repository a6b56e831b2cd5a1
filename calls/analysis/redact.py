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

from calls.analysis.names import caller_name_find, name_spans, names_mentioned
from calls.analysis.phone_numbers import SPELLED_PREFIX, identifier_said, reference_said
from calls.analysis.spoken_numbers import number_runs
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
    r"\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+(?:com|net|org|co|uk|io|edu))+\b|"
    # Spanish: "juan punto pérez arroba gmail punto com"
    r"\b[\w.+-]+(?:\s+punto\s+[\w-]+)*\s+arroba\s+[\w-]+(?:\s+punto\s+[\w-]+)+\b",
    re.IGNORECASE,
)
_BIRTH_CONTEXT = re.compile(
    r"(born|birth|d\.?o\.?b\.?|birthday|nacimiento|naci[oó]|nac[ií])\b[^.?!\n]{0,25}?$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_WORD_DATE_YEAR = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?)|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)),?\s+(?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)
_WORD_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?)|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b))",
    re.IGNORECASE,
)
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|"
    r"thirty[\s-]first|\d{1,2}(?:st|nd|rd|th)?)"
)
_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_YEAR_WORDS = (
    rf"(?:(?:nineteen|twenty)[\s-]+(?:hundred|oh[\s-]+{_UNIT}|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+{_UNIT})?)|"
    rf"two thousand(?:[\s-]+(?:and[\s-]+)?(?:{_UNIT}|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]+\w+)?))?|"
    # a year said short: "the third of June eighty-two", "'82"
    rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+{_UNIT})?|'\d{{2}})"
)
_SPOKEN_DATE_YEAR = re.compile(
    rf"\b(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?(?:{_MONTHS})\b\.?,?\s+(?:{_YEAR_WORDS}|(?:19|20)\d{{2}})\b|"
    rf"\b(?:{_MONTHS})\.?\s+(?:the\s+)?{_ORDINAL},?\s+(?:{_YEAR_WORDS}|(?:19|20)\d{{2}})\b|"
    # "twelfth of the ninth, nineteen seventy-one"
    rf"\b(?:the\s+)?{_ORDINAL}\s+of\s+the\s+{_ORDINAL},?\s+(?:{_YEAR_WORDS}|(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_SPOKEN_DAY_MONTH = re.compile(
    rf"\b(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+(?:the\s+)?{_ORDINAL}\b",
    re.IGNORECASE,
)
_MESES = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"  # noqa: E501
_NUMERO_ES = (
    r"(?:uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|"
    r"quince|diecis[eé]is|diecisiete|dieciocho|diecinueve|veinte|veinti\w+|treinta|cuarenta|"
    r"cincuenta|sesenta|setenta|ochenta|noventa|primero)"
)
_FECHA_AÑO = re.compile(
    rf"\b(?:el\s+)?(?:{_NUMERO_ES}(?:\s+y\s+{_NUMERO_ES})?|\d{{1,2}})\s+de\s+(?:{_MESES})\s+"
    rf"(?:de|del)\s+(?:(?:mil\s+novecientos|dos\s+mil)(?:\s+(?:y\s+)?{_NUMERO_ES}){{0,3}}|\d{{4}})\b",
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
_CALLE = re.compile(
    r"\b(?:calle|c/|avenida|avda\.?|plaza|paseo|camino|carrera|ronda|traves[ií]a|glorieta)\s+"
    r"(?:[\wáéíóúñÁÉÍÓÚÑ]+\s+){0,4}?(?:n[º°o]\.?\s*)?\d{1,4}[a-zA-Z]?\b",
    re.IGNORECASE,
)
_ALNUM_ID = re.compile(r"\b(?=\w*\d{5})(?=\w*[a-zA-Z])\w{6,}\b")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_LEFTOVER_DIGITS = re.compile(r"\d(?:[\s-]?\d){4,}")


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
    """Every name word said in the call by anyone, or sent to the agent's tools."""
    found = names_mentioned(call.lines, call.tools)
    for word in caller_name_find(call.lines, call.tools).split():
        if word not in found:
            found.append(word)
    return found


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


def _dates(text: str, *, birth: bool = False) -> str:
    def replace(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 40) : match.start()]
        return "[DOB]" if birth or _BIRTH_CONTEXT.search(before) else "[DATE]"

    text = _SPOKEN_DATE_YEAR.sub(replace, text)
    text = _FECHA_AÑO.sub(replace, text)
    text = _WORD_DATE_YEAR.sub(replace, text)
    text = _NUMERIC_DATE.sub(replace, text)

    # A day and month without a year is an appointment date, unless it is a birthday.
    def birthday_only(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 40) : match.start()]
        return "[DOB]" if birth or _BIRTH_CONTEXT.search(before) else match.group(0)

    text = _WORD_DATE.sub(birthday_only, text)
    return _SPOKEN_DAY_MONTH.sub("[DOB]", text) if birth else text


# Appointment references (CONTRACTS §5) identify a booking, not a person, and reviewers
# need them: they are kept as they are.
_REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{8}-\d{3,4}\b")


def text_redact(text: str, *, names: Iterable[str] = (), birth: bool = False) -> str:
    """One line of text with personal details replaced (appointment references kept,
    written or read out). `names`: names said earlier in the call, masked wherever they
    recur, whatever their case. `birth`: the line answers "what's your date of birth?", so
    any date in it is one."""
    kept = _references(text)
    if not kept:
        return _redact(text, names, birth=birth)
    out, position = [], 0
    for start, end in kept:
        out += [_redact(text[position:start], names, birth=birth), text[start:end]]
        position = end
    out.append(_redact(text[position:], names, birth=birth))
    return "".join(out)


def _references(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _REFERENCE.finditer(text)]
    for run in number_runs(text):
        if reference_said(text, run):
            prefix = SPELLED_PREFIX.search(text[: run.start])
            spans.append((prefix.start() if prefix else run.start, run.end))
    return sorted(spans)


def _redact(text: str, names: Iterable[str], *, birth: bool = False) -> str:
    if not text.strip():
        return text
    text = _EMAIL.sub("[EMAIL]", text)
    text = _SPOKEN_EMAIL.sub("[EMAIL]", text)
    text = _SSN.sub("[ID]", text)
    text = _dates(text, birth=birth)

    def long_digits(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[CARD]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else match.group(0)

    text = _LONG_DIGITS.sub(long_digits, text)
    text = _ID_CONTEXT.sub(
        lambda m: m.group(1) + "[ID]" if re.search(r"\d", m.group(2)) else m.group(0), text
    )
    text = _ALNUM_ID.sub("[ID]", text)
    text = _ADDRESS.sub("[ADDRESS]", text)
    text = _CALLE.sub("[ADDRESS]", text)
    text = _UK_POSTCODE.sub("[ADDRESS]", text)

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[PHONE]" if len(digits) >= 7 else match.group(0)

    text = _PHONE.sub(phone, text)
    text = _spoken_numbers(text)
    text = _names(text, names)
    return _LEFTOVER_DIGITS.sub("[NUMBER]", text)


def _spoken_numbers(text: str) -> str:
    """Numbers read out digit by digit or in words (English, Spanish): three digit words
    or five digits make an identifier of some kind; a 0-led group of four is part of one."""
    out, position = [], 0
    for run in number_runs(text):
        digits = run.digits
        words = run.digit_words
        if not (words >= 3 or len(digits) >= 5 or (len(digits) == 4 and digits[0] == "0")):
            continue
        if identifier_said(text, run):
            label = "[CARD]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else "[ID]"
        elif 7 <= len(digits) <= 15 or run.plus:
            label = "[PHONE]"
        else:
            label = "[NUMBER]"
        out += [text[position : run.start], label]
        position = run.end
    out.append(text[position:])
    return "".join(out)


def _names(text: str, names: Iterable[str]) -> str:
    spans = name_spans(text, known=names)
    out, position = [], 0
    for start, end in spans:
        out += [text[position:start], "[NAME]"]
        position = end
    out.append(text[position:])
    return re.sub(r"\[NAME\](?:[\s,-]+\[NAME\])+", "[NAME]", "".join(out))


def transcript_redact(call: CallInput) -> Redaction:
    names = names_find(call)
    lines = []
    asked_birth = False
    for line in call.lines:
        text = text_redact(line.text, names=names, birth=asked_birth)
        lines.append(
            Line(speaker=line.speaker, text=text, start_ms=line.start_ms, end_ms=line.end_ms)
        )
        asked_birth = line.speaker != "caller" and bool(_BIRTH_QUESTION.search(line.text))
    return Redaction(lines=tuple(lines), names=tuple(names))


_BIRTH_QUESTION = re.compile(
    r"\b(?:date of birth|birth ?date|birthday|d\.?o\.?b|born|fecha de nacimiento|naci[oó])\b",
    re.IGNORECASE,
)


def json_redact(value: object, *, names: Iterable[str] = (), key: str = "") -> object:
    """A tool's arguments or result with every string value redacted (keys kept). An
    appointment's ISO 8601 date or time stays readable; a date of birth does not."""
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value.strip()) and not _BIRTH_KEY.search(key):
            return value
        return text_redact(value, names=names)
    if isinstance(value, dict):
        return {k: json_redact(item, names=names, key=str(k)) for k, item in value.items()}
    if isinstance(value, list):
        return [json_redact(item, names=names, key=key) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10_000:
        return "[NUMBER]"  # a phone number sent as a JSON number
    return value


_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_BIRTH_KEY = re.compile(r"birth|dob|born|nacimiento", re.IGNORECASE)
