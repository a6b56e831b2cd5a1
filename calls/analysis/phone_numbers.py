"""Which spoken numbers are phone numbers, and which one the caller wants to be called on.

The last number the caller gives wins ("actually, use my work number"), and a correction
of only its last digits is applied to it ("sorry, that's 0199, not 0198"). A number said
as an NHS, social security, card, member or booking number is never a phone number, nor is
an appointment reference read out ("g b two oh two six one one two five oh oh seven").
Numbers are normalised to E.164 with the business's region (phonenumbers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from calls.analysis.spoken_numbers import NumberRun, number_runs
from calls.analysis.types import Line

# Said just before a number, these make it an identifier, not a phone number.
ID_CONTEXT = re.compile(
    r"\b(?:nhs|health|social|ssn|security|card|member(?:ship)?|policy|insurance|id|dni|nie|"
    r"passport|licen[cs]e|reference|ref|booking|confirmation|account|patient|medicare|"
    r"medicaid|tarjeta|seguro|sanitaria|referencia|localizador|pasaporte|expiry|expires|cvv|"
    r"código|code)\b",
    re.IGNORECASE,
)
# The agent asking for one of these makes the caller's answer an identifier.
_ASKED_ID = re.compile(
    r"\b(?:nhs|social security|social|ssn|card|member|policy|insurance|dni|nie|passport|"
    r"reference|tarjeta|referencia|pasaporte)\b",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(
    r"\b(?:phone|number to call|call me|call back|text me|cell|mobile|móvil|movil|teléfono|"
    r"telefono|llámame|llamame)\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(?:sorry|wait|actually|i mean|not|instead|the last|ends? (?:in|with)|perdón|perdon|"
    r"me equivoqué|me equivoque|quise decir|en realidad|termina en|acaba en|no es)\b|^\s*no\b",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(r"(?:\bnot|\bno|\binstead of|\ben vez de|\bni)\s*$", re.IGNORECASE)
# Two to four letters spelled or written before a run of digits: a booking reference.
SPELLED_PREFIX = re.compile(
    r"(?:\b[a-zA-Z][\s.-]*){2,4}(?:(?:dash|hyphen|guion|guión)\s+)?$", re.IGNORECASE
)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit (ten digits)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def reference_said(text: str, run: NumberRun) -> bool:
    """A booking reference read out: letters, then a date YYYYMMDD and a counter."""
    digits = run.digits
    if not 11 <= len(digits) <= 12 or not re.fullmatch(r"20\d{2}(0[1-9]|1[0-2])[0-3]\d\d+", digits):
        return False
    return bool(SPELLED_PREFIX.search(text[: run.start]))


def identifier_said(text: str, run: NumberRun, *, asked: str = "") -> bool:
    """Said as an ID (NHS, social, card, member, reference) rather than a phone number."""
    before = text[max(0, run.start - 40) : run.start]
    clause = re.split(r"[.!?;]", before)[-1]
    if ID_CONTEXT.search(clause) and not _PHONE_WORDS.search(clause):
        return True
    if reference_said(text, run):
        return True
    # An answer to "do you have your NHS number?", unless the caller says it is a phone.
    return bool(
        "?" in asked and _ASKED_ID.search(asked) and not _PHONE_WORDS.search(text[: run.start])
    )


def phone_parse(run: NumberRun, *, region: str) -> str | None:
    """The run as an E.164 number, or None when it cannot be one there. A number the
    numbering plan does not list (a UK drama number) is taken only at full length."""
    if not 7 <= len(run.digits) <= 15:
        return None
    national = region.upper() == "GB" and not run.plus and not run.digits.startswith("0")
    if national and nhs_number_valid(run.digits):
        return None  # an NHS number, not a UK phone number (those start with 0)
    parsed = _parsed(run.international, region=region)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return None
    if not phonenumbers.is_valid_number(parsed) and len(str(parsed.national_number)) < 10:
        return None  # "five five five, oh two two one" alone is no number to call
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parsed(text: str, *, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return None


def _corrected(base: str, digits: str, *, region: str) -> str | None:
    """`base` (E.164, or the digits of a number not finished) with its end said again:
    the longest kept beginning that makes a valid number ("415 888... no sorry, 555 0221")."""
    prefix, national = "", base
    if base.startswith("+"):
        parsed = _parsed(base, region=region)
        if parsed is None:
            return None
        prefix = f"+{parsed.country_code}"
        national = str(parsed.national_number)
    for keep in range(len(national), -1, -1):
        candidate = _parsed(prefix + national[:keep] + digits, region=region)
        if candidate is not None and phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    return None


def callback_spoken(lines: Sequence[Line], *, region: str) -> str:
    """The last phone number the caller said, with later corrections of its end."""
    current = ""  # E.164
    unfinished = ""  # the digits of a number broken off ("four one five, eight eight eight...")
    asked = ""
    for line in lines:
        if line.speaker != "caller":
            asked = line.text
            continue
        text = line.text
        correcting = bool(_CORRECTION.search(text))
        unfinished = ""  # only a number broken off in the same breath is finished later
        for run in number_runs(text):
            if _NOT_BEFORE.search(text[: run.start]):
                continue  # "..., not 0198": the wrong one
            if identifier_said(text, run, asked=asked):
                continue
            e164 = phone_parse(run, region=region)
            parsed = _parsed(e164, region=region) if e164 else None
            valid = parsed is not None and phonenumbers.is_valid_number(parsed)
            base = unfinished or current
            if correcting and base and not run.plus and not valid and len(run.digits) <= 9:
                fixed = _corrected(base, run.digits, region=region)
                if fixed is None and current and len(run.digits) <= 6:
                    fixed = current[: -len(run.digits)] + run.digits
                if fixed:
                    current, unfinished = fixed, ""
                    continue
            if e164:
                current, unfinished = e164, ""
            elif 3 <= len(run.digits) <= 9 and not run.plus:
                unfinished = run.digits
        asked = ""
    return current
