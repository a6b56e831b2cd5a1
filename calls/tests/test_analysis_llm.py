"""ANALYSIS_ENGINE=llm against a stand-in OpenAI-compatible server on localhost: what it is
sent, what of its reply is used, and that the offline answer and its escalation hold."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from calls.analysis import ANALYZER_VERSION
from calls.analysis.engines import engine_answer
from calls.analysis.llm import REPLY_SCHEMA
from calls.analysis.offline import analysis_run
from calls.analysis.pipeline import call_analyze, calls_unanalysed
from calls.analysis.types import CallInput, Line
from calls.models import CallAnalysis
from calls.tasks import calls_analysis_sweep
from calls.tests.llm_fixtures import (  # noqa: F401
    API_KEY,
    FakeModel,
    fake_model_fixture,
    good_reply,
)
from calls.tests.review_calls import BOOKING, finished_call

BOOK_TOOL = {
    "name": "book_appointment",
    "arguments": {"customer": {"name": "Jenny Park", "phone": "4155550199"}},
    "result": {"reference": "GB-20261127-001"},
}
PRICES = CallInput(
    lines=(
        Line("agent", "Thanks for calling, this is Ava."),
        Line("caller", "Hi, what time do you open on Saturday, and how much is a haircut?"),
        Line("agent", "We open at nine and a haircut is 45 dollars."),
    ),
)
CHEST = CallInput(
    lines=(
        Line("agent", "Thanks for calling, how can I help?"),
        Line("caller", "I have chest pain since this morning, can I book to see the doctor?"),
        Line("agent", "I can book you at 3pm."),
    ),
    business_kind="clinic",
)


def test_a_good_reply_is_what_the_analysis_stores(business, fake_model: FakeModel) -> None:
    call = finished_call(business, "gw-1", BOOKING, tools=[BOOK_TOOL])
    analysis = CallAnalysis.objects.get(call=call, is_current=True)
    assert analysis.analyzer_version == "llm-1:test-model"
    assert analysis.intent == "inquiry" and analysis.intent_confidence == 0.81
    assert (analysis.sentiment_label, analysis.sentiment_score) == ("negative", -0.35)
    assert analysis.lead_score == 64
    assert analysis.lead_reasons[1] == {
        "factor": "sentiment",
        "points": -8,
        "detail": "sounded annoyed",
    }
    assert analysis.reason == "price of a gel manicure" and analysis.urgency == "low"
    engine = analysis.details["engine"]
    assert engine["answered"] == "llm" and engine["model"] == "test-model"
    assert engine["language"] == "en" and engine["sent"] == "redacted"
    # The redacted transcript is still the offline engine's.
    assert "Jenny" not in analysis.redacted_transcript


def test_running_it_again_rewrites_the_one_row_and_the_sweep_leaves_it(
    business, fake_model: FakeModel
) -> None:
    call = finished_call(business, "gw-1", BOOKING)
    fake_model.reply = good_reply(lead_score=12)
    again = call_analyze(call_pk=call.pk)
    assert again is not None and again.lead_score == 12
    assert CallAnalysis.objects.filter(call=call).count() == 1
    assert calls_unanalysed() == []


def test_without_a_baa_the_model_is_sent_no_name_or_number_from_the_call(
    business, fake_model: FakeModel
) -> None:
    fake_model.reply = good_reply(
        slots={
            "caller_name": "Somebody Else",
            "callback_number": "+14155550177",
            "reason": "gel manicure",
            "urgency": "normal",
        }
    )
    call = finished_call(business, "gw-1", BOOKING, tools=[BOOK_TOOL], number="+14155550123")
    sent = fake_model.sent_text().lower()
    assert len(fake_model.requests) == 1
    for secret in ("jenny", "park", "0199", "0123", "415"):
        assert secret not in sent
    transcript = fake_model.user_message()["transcript"]
    assert "[NAME]" in transcript and "[PHONE]" in transcript
    assert "gel manicure" in transcript
    # What the model says of names and numbers it never saw is not used.
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.caller_name == "Jenny Park"
    assert analysis.callback_number == "+14155550199"


def test_a_name_the_redaction_missed_in_lower_case_is_still_not_sent(
    fake_model: FakeModel,
) -> None:
    call = CallInput(
        lines=(
            Line("caller", "Hi, this is Jenny Park, I'd like a haircut."),
            Line("agent", "Sure. Could you spell that?"),
            Line("caller", "jenny, and park like the park."),
        )
    )
    engine_answer(call, baa_covered=False)
    sent = fake_model.sent_text().lower()
    assert "jenny" not in sent and " park" not in sent


def test_with_a_baa_the_model_sees_the_original_and_its_contact_details_are_used(
    business, fake_model: FakeModel
) -> None:
    business.llm_baa_covered = True
    business.save(update_fields=["llm_baa_covered"])
    fake_model.reply = good_reply(
        slots={
            "caller_name": "Jenny Parker",
            "callback_number": "(415) 555-0177",
            "reason": "gel manicure",
            "urgency": "normal",
        },
        escalate=True,
        escalation_reason="Jenny Parker on 415 555 0177 wants the owner",
    )
    call = finished_call(business, "gw-1", BOOKING, tools=[BOOK_TOOL], number="+14155550123")
    message = fake_model.user_message()
    assert "Jenny Park" in message["transcript"] and "415 555 0199" in message["transcript"]
    assert message["caller_id"] == "+14155550123"
    assert message["tools"][0]["arguments"]["customer"]["name"] == "Jenny Park"
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.details["engine"]["sent"] == "original"
    assert analysis.caller_name == "Jenny Parker"
    assert analysis.callback_number == "+14155550177"
    # Free text the model wrote is stored redacted, whatever it saw.
    assert analysis.escalate
    assert "Jenny" not in analysis.escalation_reason
    assert "0177" not in analysis.escalation_reason
    assert analysis.escalation_reason.startswith("model: ")


@pytest.mark.parametrize(
    ("setup", "fallback"),
    [
        ({"status": 500}, "HTTP 500"),
        ({"status": 401}, "HTTP 401"),
        ({"content": '{"sentiment": {"score": 0.2, "label": "pos'}, "invalid reply (not JSON)"),
        ({"content": "Sure! Here is the analysis you asked for."}, "invalid reply (not JSON)"),
        (
            {"reply": good_reply(intent={"label": "purchase", "confidence": 0.9})},
            "invalid reply (schema: intent/label)",
        ),
        (
            {
                "reply": good_reply(
                    slots={
                        "caller_name": "",
                        "callback_number": "",
                        "reason": "",
                        "urgency": "critical",
                    }
                )
            },
            "invalid reply (schema: slots/urgency)",
        ),
        ({"reply": good_reply(lead_score=150)}, "invalid reply (out of range: lead_score)"),
        ({"reply": good_reply(escalate="yes")}, "invalid reply (schema: escalate)"),
        ({"reply": good_reply(extra="field")}, "invalid reply (schema: .)"),
        ({"reply": good_reply(language="English")}, "invalid reply (out of range: language)"),
    ],
)
def test_a_failed_or_invalid_reply_falls_back_to_the_offline_answer(
    fake_model: FakeModel, setup: dict[str, Any], fallback: str
) -> None:
    for name, value in setup.items():
        setattr(fake_model, name, value)
    answer = engine_answer(PRICES, baa_covered=False)
    assert answer.engine == "offline"
    assert answer.details["fallback"] == fallback
    assert answer.result == analysis_run(PRICES)


def test_a_model_that_does_not_answer_in_time_falls_back(fake_model: FakeModel, settings) -> None:
    settings.LLM_TIMEOUT_S = 0.3
    settings.LLM_MAX_RETRIES = 0
    fake_model.delay_s = 2.0
    started = time.monotonic()
    answer = engine_answer(PRICES, baa_covered=False)
    assert time.monotonic() - started < 1.5
    assert answer.details["fallback"] == "timeout"
    assert answer.result == analysis_run(PRICES)


def test_an_unreachable_endpoint_falls_back(fake_model: FakeModel, settings) -> None:
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    settings.LLM_MAX_RETRIES = 0
    answer = engine_answer(PRICES, baa_covered=False)
    assert answer.details["fallback"] == "connection failed"


def test_retries_are_bounded_by_the_setting(fake_model: FakeModel, settings) -> None:
    settings.LLM_MAX_RETRIES = 2
    fake_model.status = 503
    answer = engine_answer(PRICES, baa_covered=False)
    assert len(fake_model.requests) == 3
    assert answer.details["fallback"] == "HTTP 503"


def test_a_refused_request_is_not_retried(fake_model: FakeModel, settings) -> None:
    settings.LLM_MAX_RETRIES = 3
    fake_model.status = 400
    engine_answer(PRICES, baa_covered=False)
    assert len(fake_model.requests) == 1


def test_the_model_cannot_remove_an_offline_escalation(fake_model: FakeModel) -> None:
    offline = analysis_run(CHEST)
    assert offline.escalation.escalate and offline.slots.urgency == "emergency"
    fake_model.reply = good_reply(
        intent={"label": "book", "confidence": 0.95},
        escalate=False,
        escalation_reason="",
        slots={"caller_name": "", "callback_number": "", "reason": "checkup", "urgency": "low"},
    )
    answer = engine_answer(CHEST, baa_covered=False)
    assert answer.engine == "llm" and answer.result.intent.label == "book"
    assert answer.result.escalation.escalate
    assert answer.result.escalation.reason == offline.escalation.reason
    assert answer.result.slots.urgency == "emergency"
    assert answer.result.slots.red_flags == offline.slots.red_flags


def test_the_model_can_add_an_escalation(fake_model: FakeModel) -> None:
    assert not analysis_run(PRICES).escalation.escalate
    fake_model.reply = good_reply(
        escalate=True,
        escalation_reason="hints at self-harm",
        slots={
            "caller_name": "",
            "callback_number": "",
            "reason": "opening hours",
            "urgency": "emergency",
        },
    )
    result = engine_answer(PRICES, baa_covered=False).result
    assert result.escalation.escalate
    assert result.escalation.reason == "model: hints at self-harm"
    assert result.slots.urgency == "emergency"


def test_the_model_cannot_score_an_emergency_as_a_hot_lead(fake_model: FakeModel) -> None:
    fake_model.reply = good_reply(lead_score=100)
    result = engine_answer(CHEST, baa_covered=False).result
    assert result.slots.urgency == "emergency"
    assert result.lead.score == 20
    assert result.lead.reasons[-1]["factor"] == "emergency"


def test_an_emergency_urgency_from_the_model_escalates_the_call(fake_model: FakeModel) -> None:
    fake_model.reply = good_reply(
        escalate=False,
        slots={"caller_name": "", "callback_number": "", "reason": "", "urgency": "emergency"},
    )
    result = engine_answer(PRICES, baa_covered=False).result
    assert result.escalation.escalate and result.escalation.reason == "model: urgency emergency"


def test_the_key_is_sent_as_a_bearer_token_and_nothing_private_is_logged(
    business, fake_model: FakeModel, caplog, settings
) -> None:
    caplog.set_level(logging.DEBUG)
    settings.LLM_MAX_RETRIES = 1
    call = finished_call(business, "gw-1", BOOKING, tools=[BOOK_TOOL])
    fake_model.status = 500
    call_analyze(call_pk=call.pk)
    assert len(fake_model.requests) == 3
    assert {r["auth"] for r in fake_model.requests} == {f"Bearer {API_KEY}"}
    assert {r["path"] for r in fake_model.requests} == {"/v1/chat/completions"}
    assert "offline answer kept: HTTP 500" in caplog.text
    for secret in (API_KEY, "Jenny", "0199", "gel manicure"):
        assert secret not in caplog.text
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.details["engine"]["answered"] == "offline"
    assert API_KEY not in str(analysis.details)


def test_the_request_asks_for_the_strict_json_schema(fake_model: FakeModel) -> None:
    engine_answer(PRICES, baa_covered=False)
    body = fake_model.requests[0]["body"]
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["response_format"]["json_schema"]["schema"] == REPLY_SCHEMA


def test_the_schema_stays_inside_what_strict_mode_accepts() -> None:
    """Every object lists all its properties as required and allows no others; no numeric
    or length limits (the ranges are checked on our side)."""

    def walk(node: dict[str, Any]) -> None:
        assert not {"minimum", "maximum", "minLength", "maxLength", "pattern"} & set(node)
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
            for child in node["properties"].values():
                walk(child)
        if node.get("type") == "array":
            walk(node["items"])

    walk(REPLY_SCHEMA)


def test_the_offline_engine_calls_no_model(business, settings) -> None:
    settings.ANALYSIS_ENGINE = "offline"
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    call = finished_call(business, "gw-1", BOOKING)
    analysis = CallAnalysis.objects.get(call=call)
    assert analysis.details["engine"] == {"answered": "offline"}
    assert analysis.analyzer_version == ANALYZER_VERSION


def test_switching_to_the_model_sends_it_no_old_call_through_the_sweep(
    business, fake_model: FakeModel, settings
) -> None:
    settings.ANALYSIS_ENGINE = "offline"
    now = datetime.now(UTC)
    old = finished_call(business, "gw-old", BOOKING, start=now - timedelta(days=3))
    recent = finished_call(business, "gw-recent", BOOKING, start=now - timedelta(minutes=30))
    settings.ANALYSIS_ENGINE = "llm"
    assert calls_analysis_sweep() == 1
    assert len(fake_model.requests) == 1
    current = dict(
        CallAnalysis.objects.filter(is_current=True).values_list("call_id", "analyzer_version")
    )
    assert current == {old.pk: ANALYZER_VERSION, recent.pk: "llm-1:test-model"}


def test_a_call_where_the_caller_said_nothing_is_not_sent(fake_model: FakeModel) -> None:
    silent = CallInput(lines=(Line("agent", "Thanks for calling, how can I help?"),))
    answer = engine_answer(silent, baa_covered=False)
    assert fake_model.requests == []
    assert answer.details["fallback"] == "no caller speech"


def test_the_review_page_says_when_the_model_failed_and_the_offline_answer_stands(
    business, manager, client_for, fake_model: FakeModel
) -> None:
    fake_model.status = 502
    call = finished_call(business, "gw-1", BOOKING)
    page = client_for(manager).get(reverse("call_review", args=[call.pk])).content.decode()
    assert "llm-1:test-model" in page
    assert "the model failed (HTTP 502): offline answer" in page
    fake_model.status = 200
    call_analyze(call_pk=call.pk)
    page = client_for(manager).get(reverse("call_review", args=[call.pk])).content.decode()
    assert "engine-fallback" not in page
