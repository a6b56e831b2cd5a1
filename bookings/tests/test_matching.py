"""Spoken phrases → services, over the demo catalogues (table-driven)."""

from __future__ import annotations

import pytest

from bookings.matching import phrase_normalize, service_match
from bookings.models import Service
from console.demo.bookings import CLINIC_SERVICES, SALON_SERVICES


def catalogue(rows) -> list[Service]:
    return [
        Service(pk=i + 1, name=name, aliases=aliases, duration_minutes=minutes)
        for i, (name, aliases, minutes, _buffer, _price) in enumerate(rows)
    ]


SALON = catalogue(SALON_SERVICES)
CLINIC = catalogue(CLINIC_SERVICES)

SALON_PHRASES = [
    ("gel mani", "Gel Manicure"),
    ("a gel manicure please", "Gel Manicure"),
    ("shellac nails", "Gel Manicure"),
    ("mani", "Classic Manicure"),
    ("just a regular manicure", "Classic Manicure"),
    ("pedi", "Pedicure"),
    ("I'd like a pedicure", "Pedicure"),
    ("colour", "Full Colour"),
    ("color", "Full Colour"),
    ("full head colour", "Full Colour"),
    ("hair color", "Full Colour"),
    ("cut and blow dry", "Cut and Blow Dry"),
    ("cut & blowdry", "Cut and Blow Dry"),
    ("cut and blow-dry", "Cut and Blow Dry"),
    ("blow dry", "Blow Dry"),
    ("a blowout", "Blow Dry"),
    ("ladies cut", "Women's Haircut"),
    ("womens haircut", "Women's Haircut"),
    ("men's haircut", "Men's Haircut"),
    ("gents cut", "Men's Haircut"),
    ("highlights", "Highlights"),
    ("foils", "Highlights"),
    ("balayage", "Highlights"),
    ("roots done", "Root Touch-Up"),
    ("root touch up", "Root Touch-Up"),
    ("eyebrow wax", "Eyebrow Wax"),
    ("brows", "Eyebrow Wax"),
    ("beard trim", "Beard Trim"),
    ("tidy up my beard", "Beard Trim"),
]
CLINIC_PHRASES = [
    ("physio", "Physiotherapy Session"),
    ("physical therapy", "Physiotherapy Session"),
    ("blood test", "Blood Test"),
    ("bloods", "Blood Test"),
    ("flu jab", "Vaccination"),
    ("a vaccine", "Vaccination"),
    ("follow-up", "Follow-up Appointment"),
    ("followup appointment", "Follow-up Appointment"),
    ("dental checkup", "Dental Check-up"),
    ("see a doctor", "General Consultation"),
    ("consultation", "General Consultation"),
    ("scale and polish", "Teeth Cleaning"),
    ("teeth cleaning", "Teeth Cleaning"),
]
NOT_SERVICES = [
    (SALON, "tax return"),
    (SALON, "oil change"),
    (CLINIC, "haircut"),
    (CLINIC, "pizza"),
    (SALON, ""),
]


@pytest.mark.parametrize(("phrase", "expected"), SALON_PHRASES)
def test_a_salon_phrase_matches_its_service(phrase: str, expected: str) -> None:
    result = service_match(query=phrase, services=SALON)
    assert result.match is not None, (phrase, result.alternatives)
    assert result.match.service.name == expected


@pytest.mark.parametrize(("phrase", "expected"), CLINIC_PHRASES)
def test_a_clinic_phrase_matches_its_service(phrase: str, expected: str) -> None:
    result = service_match(query=phrase, services=CLINIC)
    assert result.match is not None, (phrase, result.alternatives)
    assert result.match.service.name == expected


@pytest.mark.parametrize(("services", "phrase"), NOT_SERVICES)
def test_what_is_not_a_service_has_no_confident_match(services, phrase: str) -> None:
    assert service_match(query=phrase, services=services).match is None


def test_an_ambiguous_phrase_offers_alternatives_instead_of_guessing() -> None:
    result = service_match(query="manicure", services=SALON)
    names = {
        m.service.name for m in [*([result.match] if result.match else []), *result.alternatives]
    }
    assert {"Classic Manicure", "Gel Manicure"} <= names
    assert len(result.alternatives) <= 3


def test_there_are_at_least_thirty_phrases_in_the_table() -> None:
    assert len(SALON_PHRASES) + len(CLINIC_PHRASES) >= 30


def test_spelling_variants_normalise_alike() -> None:
    assert phrase_normalize("Colour") == phrase_normalize("color")
    assert phrase_normalize("cut & blow-dry") == phrase_normalize("cut and blow dry")
