from __future__ import annotations

from calls.analysis.redact import json_redact, text_redact, transcript_redact
from calls.analysis.types import CallInput, Line, ToolCall


def test_it_replaces_phone_numbers_in_any_common_format() -> None:
    for said in ("(415) 555-0123", "415.555.0123", "+1 415 555 0123", "07700 900123"):
        assert text_redact(f"call me on {said} please") == "call me on [PHONE] please"


def test_it_replaces_a_number_spelled_out_in_words() -> None:
    assert "[PHONE]" in text_redact("it's five five five zero one two three four")


def test_it_replaces_emails_including_spoken_ones() -> None:
    assert text_redact("mail jane.doe@example.com") == "mail [EMAIL]"
    assert text_redact("it's jane dot doe at gmail dot com") == "it's [EMAIL]"


def test_a_date_of_birth_is_typed_as_such_and_other_dated_years_as_dates() -> None:
    assert text_redact("my date of birth is 14/02/1956") == "my date of birth is [DOB]"
    assert text_redact("I was born on March 4th, 1985") == "I was born on [DOB]"
    assert text_redact("the letter from 3 May 2024") == "the letter from [DATE]"


def test_an_appointment_day_without_a_year_stays_readable() -> None:
    assert text_redact("can I come November 28th at 3pm") == "can I come November 28th at 3pm"


def test_card_and_id_numbers_are_replaced() -> None:
    assert text_redact("card 4111 1111 1111 1111") == "card [CARD]"
    assert text_redact("SSN 123-45-6789") == "SSN [ID]"
    assert text_redact("my NHS number is 485 777 3456") == "my NHS number is [ID]"
    assert text_redact("member ID ABC1234567") == "member ID [ID]"


def test_street_addresses_and_postcodes_are_replaced() -> None:
    assert text_redact("I live at 42 Elm Street, apt 3") == "I live at [ADDRESS]"
    assert text_redact("postcode SW1A 1AA") == "postcode [ADDRESS]"


def test_names_the_caller_gives_are_replaced_everywhere_they_are_said() -> None:
    call = CallInput(
        lines=(
            Line("caller", "Hi, my name is Sarah Connor."),
            Line("agent", "Thanks Sarah, you're booked."),
        )
    )
    redaction = transcript_redact(call)
    assert redaction.names == ("Sarah", "Connor")
    assert "Sarah" not in redaction.text and "Connor" not in redaction.text
    assert "Caller: Hi, my name is [NAME]." in redaction.text


def test_names_sent_to_the_booking_tool_are_redacted_too() -> None:
    call = CallInput(
        lines=(Line("agent", "Booked for Dana Whitfield."),),
        tools=(ToolCall("book_appointment", {"customer": {"name": "Dana Whitfield"}}, {}, True),),
    )
    assert "Whitfield" not in transcript_redact(call).text


def test_a_weekday_or_a_feeling_is_not_taken_for_a_name() -> None:
    call = CallInput(lines=(Line("caller", "It's Tuesday and I'm Worried about my nails"),))
    assert transcript_redact(call).names == ()


def test_any_leftover_long_number_is_hidden() -> None:
    assert text_redact("it came to 12345") == "it came to [NUMBER]"


def test_tool_payloads_are_redacted_value_by_value() -> None:
    redacted = json_redact(
        {"customer": {"name": "Jo Bloggs", "phone": "+14155550123"}, "n": 4155550123, "ok": True},
        names=["Jo Bloggs"],
    )
    assert redacted == {
        "customer": {"name": "[NAME]", "phone": "[PHONE]"},
        "n": "[NUMBER]",
        "ok": True,
    }


def test_appointment_references_are_kept_for_the_reviewer() -> None:
    assert (
        text_redact("booked GB-20261127-004 for 415 555 0123")
        == "booked GB-20261127-004 for [PHONE]"
    )


def test_every_name_said_is_masked_whoever_said_it_and_whatever_its_case() -> None:
    call = CallInput(
        lines=(
            Line("agent", "Can I get your name?"),
            Line("caller", "marcus oyelaran"),
            Line("agent", "Thanks, Mr Oyelaran."),
            Line("caller", "it's for my wife too, her name is siobhan"),
        )
    )
    text = transcript_redact(call).text.lower()
    assert "marcus" not in text and "oyelaran" not in text and "siobhan" not in text


def test_a_spelled_name_is_masked() -> None:
    assert "m-i-t" not in text_redact("that's s-m-i-t-h")
    assert text_redact("Phillips, p h i double l i p s") == "[NAME]"


def test_a_name_said_earlier_is_masked_when_it_recurs_alone() -> None:
    assert text_redact("ok so kealoha it is", names=["Kealoha"]) == "ok so [NAME] it is"
    assert text_redact("ok so kealoha it is") == "ok so kealoha it is"  # known only from the call


def test_numbers_in_words_are_masked_in_english_and_spanish() -> None:
    assert "[PHONE]" in text_redact("it's four one five, five five five, oh one three two")
    assert "cuatro" not in text_redact(
        "mi teléfono es seis uno dos, tres cuatro cinco, seis siete ocho"
    )
    assert "[ID]" in text_redact(
        "my NHS number is nine four three, four seven six, five nine one nine"
    )


def test_a_date_of_birth_in_words_is_masked() -> None:
    assert text_redact("the fourteenth of february nineteen fifty-six") == "[DATE]"
    assert text_redact("El doce de mayo de mil novecientos cuarenta.") == "[DATE]."


def test_a_spanish_street_address_is_masked() -> None:
    assert "Mayor 12" not in text_redact("vivo en la Calle Mayor 12, tercero B")


def test_a_spoken_booking_reference_stays_readable() -> None:
    said = "my reference is g b two oh two six one one two five oh oh seven"
    assert text_redact(said) == said


def test_tool_payloads_keep_their_appointment_dates_but_not_a_birth_date() -> None:
    redacted = json_redact(
        {
            "start": "2026-12-04T11:00:00-08:00",
            "customer": {"name": "Jenny Park", "dob": "1956-02-14"},
        },
        names=["Jenny", "Park"],
    )
    assert redacted == {
        "start": "2026-12-04T11:00:00-08:00",
        "customer": {"name": "[NAME]", "dob": "[DATE]"},
    }


def test_service_names_and_ordinary_words_stay_readable() -> None:
    said = "can I book a gel manicure and a blow dry for Friday at 2, no rush"
    assert text_redact(said) == said


def test_the_answer_to_a_date_of_birth_question_is_masked_even_without_a_year() -> None:
    call = CallInput(
        lines=(Line("agent", "And your date of birth?"), Line("caller", "third of june eighty-two"))
    )
    assert transcript_redact(call).lines[1].text == "[DOB]"
    call = CallInput(
        lines=(Line("agent", "And your date of birth?"), Line("caller", "the fourth of May"))
    )
    assert "May" not in transcript_redact(call).lines[1].text


def test_month_names_stay_readable() -> None:
    said = "Can I come in May or June, maybe May 5th?"
    assert text_redact(said) == said


def test_a_spanish_spoken_email_is_masked() -> None:
    assert text_redact("es juan punto perez arroba gmail punto com") == "es [EMAIL]"


def test_a_date_of_birth_said_as_day_of_the_month_number_is_masked() -> None:
    assert text_redact("Twelfth of the ninth, nineteen seventy-one.") == "[DATE]."


def test_a_reference_read_out_with_dashes_stays_readable() -> None:
    said = "number G B dash two zero two six one two zero two dash zero zero three"
    assert text_redact(said) == said
