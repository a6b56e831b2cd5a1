"""Which engine analyses a call: ANALYSIS_ENGINE=offline (the default) or llm.

The offline engine always runs: it redacts, its escalation is the safety layer the model
can only add to, and its result is the answer whenever the model fails (timeout, HTTP
error, a reply that breaks the schema). `EngineAnswer.details` says which engine answered
and why it fell back; pipeline.call_analyze stores it in the analysis's `details["engine"]`
under the configured engine's version, so a re-run rewrites the same row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings

from calls.analysis import ANALYZER_VERSION
from calls.analysis.llm import ReplyInvalid, analysis_merge, llm_version, model_reply_fetch
from calls.analysis.llm import prompt_build as llm_prompt_build
from calls.analysis.offline import AnalysisResult, analysis_run, analysis_values
from calls.analysis.types import CallInput

log = logging.getLogger(__name__)
OFFLINE = "offline"
LLM = "llm"


@dataclass(frozen=True)
class EngineAnswer:
    result: AnalysisResult
    engine: str  # the engine that answered: "offline" or "llm"
    details: dict[str, object] = field(default_factory=dict)


def engine_version() -> str:
    """The analyzer_version the configured engine writes its analyses under."""
    if settings.ANALYSIS_ENGINE == LLM:
        return llm_version(model=settings.LLM_MODEL)
    return ANALYZER_VERSION


def _failure(exc: Exception) -> str:
    """What went wrong, in words that carry no part of the request or the reply."""
    from openai import APIConnectionError, APIStatusError, APITimeoutError

    if isinstance(exc, ReplyInvalid):
        return f"invalid reply ({exc})"
    if isinstance(exc, APITimeoutError):
        return "timeout"
    if isinstance(exc, APIConnectionError):
        return "connection failed"
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status_code}"
    return f"error ({type(exc).__name__})"


def engine_answer(call: CallInput, *, baa_covered: bool) -> EngineAnswer:
    offline = analysis_run(call)
    if settings.ANALYSIS_ENGINE != LLM:
        return EngineAnswer(result=offline, engine=OFFLINE, details={"answered": OFFLINE})
    details: dict[str, object] = {
        "model": settings.LLM_MODEL,
        "offline_version": ANALYZER_VERSION,
        "sent": "original" if baa_covered else "redacted",
    }
    if not any(line.text.strip() for line in call.lines if line.speaker == "caller"):
        # Nothing the caller said: nothing for the model to understand, nothing to pay for.
        return EngineAnswer(
            result=offline,
            engine=OFFLINE,
            details={"answered": OFFLINE, **details, "fallback": "no caller speech"},
        )
    try:
        reply = model_reply_fetch(llm_prompt_build(call, offline, baa_covered=baa_covered))
        merged = analysis_merge(offline, reply, call=call, baa_covered=baa_covered)
    except Exception as exc:  # any failure at all: the offline answer stands
        reason = _failure(exc)
        log.warning("Call analysis by %s failed, offline answer kept: %s", details["model"], reason)
        return EngineAnswer(
            result=offline,
            engine=OFFLINE,
            details={"answered": OFFLINE, **details, "fallback": reason},
        )
    return EngineAnswer(
        result=merged, engine=LLM, details={"answered": LLM, **details, "language": reply.language}
    )


def engine_analysis_run(call: CallInput, *, baa_covered: bool) -> AnalysisResult:
    """The configured engine's analysis of a call (the offline one when the model fails)."""
    return engine_answer(call, baa_covered=baa_covered).result


def engine_values(answer: EngineAnswer) -> dict[str, object]:
    """The CallAnalysis columns for an answer: offline.analysis_values plus which engine."""
    values = analysis_values(answer.result)
    details = values.get("details")
    values["details"] = {**(details if isinstance(details, dict) else {}), "engine": answer.details}
    return values
