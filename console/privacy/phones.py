"""Phone numbers: E.164 normalisation and the masked form shown in lists."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def phone_to_e164(raw: str, *, region: str = "US") -> str:
    """Normalise any common way of writing a number to E.164, or raise InvalidPhoneNumber."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("A phone number is required.")
    try:
        parsed = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneNumber(f"{raw!r} is not a possible phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_to_e164_or_none(raw: str | None, *, region: str = "US") -> str | None:
    try:
        return phone_to_e164(raw or "", region=region)
    except InvalidPhoneNumber:
        return None


def phone_mask(e164: str | None) -> str:
    """`+14155550123` → `+1 ••• ••• 0123`: enough to recognise, not enough to dial."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, None)
        country = f"+{parsed.country_code}"
        national = str(parsed.national_number)
    except phonenumbers.NumberParseException:
        country, national = "", e164.lstrip("+")
    return f"{country} ••• ••• {national[-4:]}".strip()
