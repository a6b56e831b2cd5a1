from __future__ import annotations

from calls.analysis.slots import slots_extract
from calls.analysis.types import CallInput, Line, ServiceOption, ToolCall

SERVICES = (
    ServiceOption(1, "Gel manicure", ("gel mani",)),
    ServiceOption(2, "Haircut", ("trim",)),
)


def call(*texts: str, **kw: object) -> CallInput:
    return CallInput(lines=tuple(Line("caller", t) for t in texts), services=SERVICES, **kw)  # type: ignore[arg-type]


def test_it_takes_the_name_and_the_number_the_caller_gives() -> None:
    slots = slots_extract(
        call("Hi, my name is Jenny Park.", "My number is 415 555 0199."), intent="book"
    )
    assert slots.caller_name == "Jenny Park"
    assert slots.callback_number == "+14155550199"


def test_a_number_read_out_in_words_is_understood() -> None:
    slots = slots_extract(
        call("it's four one five five five five zero one nine nine"), intent="book"
    )
    assert slots.callback_number == "+14155550199"


def test_without_a_spoken_number_the_caller_id_is_the_callback() -> None:
    slots = slots_extract(
        call("Hi there", from_number="+442071234567", region="GB"), intent="other"
    )
    assert slots.callback_number == "+442071234567"


def test_a_uk_mobile_is_normalised_with_the_business_region() -> None:
    slots = slots_extract(call("call me on 07700 900 777", region="GB"), intent="book")
    assert slots.callback_number == "+447700900777"


def test_the_reason_is_matched_to_a_service_by_alias() -> None:
    slots = slots_extract(call("can I get a gel mani on Friday?"), intent="book")
    assert (slots.reason, slots.reason_service_id) == ("Gel manicure", 1)


def test_the_service_the_agent_booked_wins() -> None:
    tool = ToolCall("book_appointment", {}, {"service": {"id": 2, "name": "Haircut"}}, True)
    slots = slots_extract(call("something for my hair", tools=(tool,)), intent="book")
    assert (slots.reason, slots.reason_service_id) == ("Haircut", 2)


def test_without_a_service_the_reason_is_the_concern_in_words() -> None:
    slots = slots_extract(call("I have a really bad headache"), intent="clinical")
    assert slots.reason == "headache" and slots.reason_service_id is None


def test_urgency_runs_from_low_to_emergency() -> None:
    assert slots_extract(call("how much is a trim? no rush"), intent="inquiry").urgency == "low"
    assert slots_extract(call("book me a haircut next week"), intent="book").urgency == "normal"
    assert (
        slots_extract(call("I need to be seen today, it really hurts"), intent="clinical").urgency
        == "high"
    )
    emergency = slots_extract(call("I have chest pain and my left arm is numb"), intent="clinical")
    assert emergency.urgency == "emergency"
    assert "chest pain" in emergency.red_flags


def dialogue(*turns: str, **kw: object) -> CallInput:
    lines = tuple(Line("agent" if t.startswith("A:") else "caller", t[2:].strip()) for t in turns)
    return CallInput(lines=lines, services=SERVICES, **kw)  # type: ignore[arg-type]


def test_a_lower_case_transcript_still_gives_the_name() -> None:
    slots = slots_extract(call("hi this is derek walsh can you call me back"), intent="book")
    assert slots.caller_name == "Derek Walsh"


def test_a_bare_answer_to_the_agents_name_question_is_the_name() -> None:
    said = dialogue("A: Can I get your name for the booking?", "C: marcus oyelaran")
    assert slots_extract(said, intent="book").caller_name == "Marcus Oyelaran"


def test_a_name_spelled_letter_by_letter_with_double_is_assembled() -> None:
    said = dialogue(
        "C: Surname is Phillips, p h i double l i p s.", "A: And your first name?", "C: Tom."
    )
    assert slots_extract(said, intent="book").caller_name == "Tom Phillips"


def test_the_callers_correction_of_a_misheard_name_wins() -> None:
    said = dialogue(
        "A: Your name please?", "C: Daniel Reid.", "A: So that's Mr Reed?", "C: No, Reid, R-E-I-D."
    )
    assert slots_extract(said, intent="book").caller_name == "Daniel Reid"


def test_a_caller_speaking_for_someone_else_gives_the_patients_name() -> None:
    said = call("Hi, this is Carlos. I'm calling for my mother, Rosa Díaz.", "I'm her son.")
    assert slots_extract(said, intent="book").caller_name == "Rosa Díaz"


def test_spanish_cues_give_the_name() -> None:
    for line, name in (
        ("Hola, me llamo Lucía Fernández, quería una cita.", "Lucía Fernández"),
        ("Buenas, soy Carmen Ortega.", "Carmen Ortega"),
        ("mi nombre es josé luis romero y quería", "José Luis Romero"),
        ("Le hablo de parte de la señora Teresa Aguilar.", "Teresa Aguilar"),
    ):
        assert slots_extract(call(line), intent="book").caller_name == name


def test_an_adjective_after_this_is_is_no_name() -> None:
    assert slots_extract(call("This is unacceptable."), intent="complaint").caller_name == ""


def test_a_correction_of_the_last_digits_wins() -> None:
    said = call("It's 415 555 0198.", "Sorry, that's 0199, not 0198.")
    assert slots_extract(said, intent="book").callback_number == "+14155550199"


def test_the_last_number_given_wins() -> None:
    said = call("My cell is 415 555 0177.", "Actually, use my work number, 628 555 0142.")
    assert slots_extract(said, intent="book").callback_number == "+16285550142"


def test_double_oh_twenty_nine_and_triple_are_read_as_digits() -> None:
    for said, e164 in (
        ("four one five, five five five, double oh four seven", "+14155550047"),
        ("three one two, five five five, oh one, twenty-nine", "+13125550129"),
        ("seven one eight, triple five, oh one six six", "+17185550166"),
    ):
        assert slots_extract(call(said), intent="book").callback_number == e164


def test_a_spoken_international_prefix_is_understood() -> None:
    said = call("my UK mobile, plus forty-four, seven seven double oh, nine hundred, four five six")
    assert slots_extract(said, intent="book").callback_number == "+447700900456"


def test_spanish_digits_are_read_in_the_business_region() -> None:
    said = call("mi móvil es el seis cuarenta y cinco, doce, treinta y cuatro, cincuenta y seis")
    spain = CallInput(lines=said.lines, region="ES")
    assert slots_extract(spain, intent="book").callback_number == "+34645123456"


def test_the_number_said_aloud_beats_the_caller_id() -> None:
    said = call(
        "call me back on nine one seven, five five five, oh one two nine",
        from_number="+14155550109",
    )
    assert slots_extract(said, intent="book").callback_number == "+19175550129"


def test_an_nhs_number_is_never_the_callback_number() -> None:
    for region in ("GB", "US"):
        said = call("My NHS number is 943 476 5919.", from_number="+447700900462", region=region)
        assert slots_extract(said, intent="clinical").callback_number == "+447700900462"
    asked = dialogue(
        "A: Do you have your NHS number?",
        "C: yes it's nine four three, four seven six, five nine one nine",
        from_number="+447700900463",
        region="GB",
    )
    assert slots_extract(asked, intent="clinical").callback_number == "+447700900463"


def test_a_spoken_booking_reference_is_never_a_phone_number() -> None:
    said = call(
        "my reference is g b two oh two six one one two five oh oh seven",
        from_number="+14155550121",
    )
    assert slots_extract(said, intent="cancel").callback_number == "+14155550121"


def test_a_title_after_the_cue_is_not_part_of_the_name() -> None:
    said = call("Hello, I'm phoning on behalf of my grandmother, Mrs Edna Pilkington.")
    assert slots_extract(said, intent="book").caller_name == "Edna Pilkington"
    said = call("Good morning, my name's Dr. Amina Yusuf.")
    assert slots_extract(said, intent="book").caller_name == "Amina Yusuf"


def test_a_first_name_that_is_also_a_word_is_a_name_after_a_cue() -> None:
    assert (
        slots_extract(call("I'm Will, I'm calling about a trim"), intent="book").caller_name
        == "Will"
    )


def test_a_hesitation_inside_a_number_does_not_break_it() -> None:
    said = call("my number's four one five, five five five... um... zero one zero one")
    assert slots_extract(said, intent="book").callback_number == "+14155550101"


def test_a_number_broken_off_and_said_again_is_joined() -> None:
    said = call(
        "text me at four one five, eight eight eight... no sorry, five five five, oh two two one"
    )
    assert slots_extract(said, intent="book").callback_number == "+14155550221"


def test_the_patient_named_as_whose_relative_the_caller_is_wins() -> None:
    for line, name in (
        ("Hello, this is the daughter of Harold Fenwick, he's your patient.", "Harold Fenwick"),
        ("no, i'm her carer. the patient is margaret o'donnell", "Margaret O'Donnell"),
        ("I'm ringing for my little boy, Mateo. Mateo Alvarez.", "Mateo Alvarez"),
    ):
        assert slots_extract(call(line), intent="clinical").caller_name == name


def test_a_name_said_again_in_full_after_a_surname_is_taken_whole() -> None:
    said = call("I had a pedicure booked under Kowalski, Anna Kowalski.")
    assert slots_extract(said, intent="book").caller_name == "Anna Kowalski"


def test_spanish_a_nombre_de_and_con_answers_give_the_name() -> None:
    said = call("Quería reservar. A nombre de Begoña Urrutia.")
    assert slots_extract(said, intent="book").caller_name == "Begoña Urrutia"
    said = dialogue("A: ¿Con quién hablo?", "C: Con Aitana Beltrán.")
    assert slots_extract(said, intent="book").caller_name == "Aitana Beltrán"
