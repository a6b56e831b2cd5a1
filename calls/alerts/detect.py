"""What in a live call needs a person now (CONTRACTS §6 `data-alert`), from what has been
heard so far: a clinical red flag (calls.analysis.red_flags), a caller asking for a human, an
angry caller, repeated tool failures. English and Spanish.

Plain functions over text: calls.alerts.services feeds them each new caller line (with the
few before it, so "agent … agent" across turns counts) and the call's failed tool count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from calls.analysis.red_flags import red_flags_find

RED_FLAG = "red_flag"
HUMAN_REQUEST = "human_request"
ANGRY_CALLER = "angry_caller"
TOOL_FAILURES = "tool_failures"
KINDS = (RED_FLAG, HUMAN_REQUEST, ANGRY_CALLER, TOOL_FAILURES)  # most urgent first

FAILED_TOOLS_LIMIT = 2  # failed tool invocations in one call that need a person
EVIDENCE_CHARS = 200


@dataclass(frozen=True)
class Detected:
    kind: str  # one of KINDS
    detail: str  # the red flag's kind ("cardiac"), the language, or the failure count
    evidence: str  # the words that raised it (the caller's, not yet redacted)
    language: str = ""  # "en", "es" or "" (not about words)


def alerts_detect(*, caller_texts: Sequence[str], failed_tools: int = 0) -> list[Detected]:
    """Caller utterances in order (the newest last) and the call's failed tool invocations →
    at most one finding per kind."""
    found: list[Detected] = []
    flags = red_flags_find(list(caller_texts)) if caller_texts else []
    if flags:
        flag = flags[0]
        found.append(
            Detected(
                kind=RED_FLAG,
                detail=flag.kind,
                evidence=flag.evidence[:EVIDENCE_CHARS],
                language=flag.language,
            )
        )
    for finder in (human_request_find, angry_caller_find):
        detected = finder(caller_texts)
        if detected is not None:
            found.append(detected)
    failures = tool_failures_find(failed_tools)
    if failures is not None:
        found.append(failures)
    return found


# --- a caller asking for a human -----------------------------------------------------------

_PEOPLE_EN = (
    r"(?:human(?: being)?|person|someone|somebody|anyone|anybody|manager|receptionist|"
    r"representative|rep|operator|agent|staff(?: member)?|nurse|doctor)"
)
_HUMAN_EN = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:real|live|actual|proper) (?:human|person|people|someone|somebody)\b",
        rf"\b(?:talk|speak|chat|speaking|talking)(?: to| with) (?:a |an |the |some |your |one )?"
        rf"(?:real |live |actual )?{_PEOPLE_EN}\b",
        r"\b(?:transfer|put|connect|pass) me (?:through|over|to|with)\b",
        r"\bput me through\b",
        # "Operator!", "operator, please", "get me a representative" (not "a machine operator").
        r"(?:^|[.?!,;]\s*)(?:an? |the )?(?:operator|representative)\b",
        r"\b(?:operator|representative),? please\b",
        r"\b(?:want|need|get|give|connect|transfer)(?: me)?(?: to)? (?:an? |the )?"
        r"(?:operator|representative)\b",
        r"\b(?:want|need|get|give) (?:me )?(?:a |an )?human\b",
        r"\bhuman,? please\b",
        r"\bis there (?:a |an )?(?:real )?(?:person|human|someone|somebody|anyone|anybody)"
        r" (?:there|i can (?:talk|speak) to|available)\b",
    )
]
_HUMAN_ES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bpersona (?:real|de verdad)\b",
        r"\bser humano\b",
        r"\b(?:un|una|con un|con una) humano\b",
        r"(?:^|[.?!,;¿¡]\s*)(?:un |una |el |la )?operador(?:a)?\b",
        r"\boperador(?:a)?,? por favor\b",
        r"\b(?:quiero|necesito|deme|dame)(?: a| con)? (?:un |una |el |la )?operador(?:a)?\b",
        r"\b(?:hablar|hable|hablo|comunicarme|comunicar|comuníqueme|comuniqueme|"
        r"p[aá]same|p[aá]seme|pasarme|transferir|transfi[eé]reme|transfi[eé]rame|"
        r"ponerme|p[oó]ngame|p[oó]nme)\b[^.?!]{0,25}?\b(?:persona|humano|alguien|operador|"
        r"operadora|agente|recepcionista|encargad[oa]|gerente|representante|enfermer[oa]|"
        r"doctor|doctora|m[eé]dic[oa])\b",
    )
]
# Refusing the machine is asking for a person, whatever the negation before it.
_NOT_A_MACHINE = [
    (
        re.compile(
            r"\b(?:don't|do not|dont) want to (?:talk|speak) (?:to|with) (?:a |an |the |this )?"
            r"(?:robot|machine|bot|computer|recording|ai)\b",
            re.IGNORECASE,
        ),
        "en",
    ),
    (
        re.compile(
            r"\bno quiero hablar con (?:una |un |la |el |esta |este )?(?:m[aá]quina|robot|"
            r"contestadora|grabaci[oó]n|computadora)\b",
            re.IGNORECASE,
        ),
        "es",
    ),
]
# "I don't need to talk to a person", "no hace falta hablar con nadie": in the same clause.
_DECLINED = re.compile(
    r"\b(?:don't|do not|dont|doesn't|no need|needn't|not necessary|never mind|no necesito|"
    r"no hace falta|no es necesario|no quiero|no hay que)\b[^.?!,;]*$",
    re.IGNORECASE,
)
_AGENT_WORD = re.compile(r"\b(?:agent|agente)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def human_request_find(texts: Sequence[str]) -> Detected | None:
    """ "I want to talk to a real person", "¿puedo hablar con una persona?", "operator",
    "agent … agent": the first such line."""
    for text in texts:
        language = _asks_for_person(text)
        if language:
            return _human(text, language)
    # "Agent." … "AGENT!": the word on its own, said twice (in one line or across lines).
    said = 0
    for text in texts:
        said += _lone_agents(text)
        if said >= 2:
            return _human(text, "es" if "agente" in text.lower() else "en")
    return None


# Each new line is read once; the window around it (services.WINDOW) comes from the cache.
@lru_cache(maxsize=1024)
def _asks_for_person(text: str) -> str:
    for pattern, language in _NOT_A_MACHINE:
        if pattern.search(text):
            return language
    for patterns, language in ((_HUMAN_EN, "en"), (_HUMAN_ES, "es")):
        for pattern in patterns:
            match = pattern.search(text)
            if match and not _DECLINED.search(text[: match.start()]):
                return language
    return ""


@lru_cache(maxsize=1024)
def _lone_agents(text: str) -> int:
    agents = len(_AGENT_WORD.findall(text))
    return agents if agents and len(_WORD.findall(text)) <= 2 * agents + 2 else 0


def _human(text: str, language: str) -> Detected:
    return Detected(
        kind=HUMAN_REQUEST, detail=language, evidence=text[:EVIDENCE_CHARS], language=language
    )


# --- an angry caller -------------------------------------------------------------------------

_ANGER_EN = re.compile(
    r"\b(?:ridiculous|unacceptable|outrageous|furious|pissed(?: off)?|livid|fed up|sick of|"
    r"sick and tired|f+u+c+k\w*|shit\w*|bullshit|crap|damn it|goddamn\w*|idiots?|morons?|"
    r"incompetent|pathetic|disgraceful|disgusting|useless|"
    r"worst (?:service|experience|salon|clinic|company|place|agent)|"
    r"(?:terrible|horrible|awful|lousy) (?:service|experience|agent|system)|"
    r"waste of (?:my )?time|wasting my time|"
    r"this is the (?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|how many times|"
    r"i(?:'m| am) (?:so |really |very |getting |extremely )?(?:angry|mad|upset|annoyed|"
    r"frustrated|irritated)|never coming back|are you (?:even )?listening|"
    r"what is wrong with you|you people)\b",
    re.IGNORECASE,
)
_ANGER_ES = re.compile(
    r"\b(?:rid[ií]cul[oa]|inaceptable|indignante|(?:una )?verg[uü]enza|hart[oa]|"
    r"estoy (?:muy |bien |super )?(?:enojad[oa]|enfadad[oa]|molest[oa]|furios[oa]|"
    r"cabread[oa]|frustrad[oa])|furios[oa]|p[eé]sim[oa]|in[uú]til(?:es)?|incompetentes?|"
    r"porquer[ií]a|mierda|carajo|joder|co[nñ]o|est[uú]pid[oa]s?|idiotas?|"
    r"es la (?:segunda|tercera|cuarta|quinta) vez|cu[aá]ntas veces|nunca m[aá]s vuelvo|"
    r"p[eé]rdida de tiempo|me est[aá]n? haciendo perder el tiempo|no me escucha\w*)\b",
    re.IGNORECASE,
)
# "I'm not angry", "no estoy enojada", "it's not your fault, don't worry": right before.
_NEGATED = re.compile(
    r"\b(?:not|never|isn't|aren't|wasn't|no|nada|nunca)\s+(?:\w+\s+)?$", re.IGNORECASE
)
_SHOUTED = re.compile(r"\b[A-ZÁÉÍÓÚÑ]{3,}\b")
_AT_US = re.compile(r"\b(?:you|your|you're|y'all|ustedes|usted)\b", re.IGNORECASE)
STRONGLY_NEGATIVE = -0.5


@cache
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def angry_caller_find(texts: Sequence[str]) -> Detected | None:
    """Anger said outright (EN/ES words of anger, swearing, shouting) where the line is not
    positive; or strongly negative lines aimed at us, twice. Distress (pain, fear) is not
    anger: it has no target, and the red flags take it."""
    aimed = 0
    for text in texts:
        language, at_us = _anger(text)
        if language:
            return _angry(text, language)
        aimed += at_us
        if aimed >= 2:
            return _angry(text, "en")
    return None


@lru_cache(maxsize=1024)
def _anger(text: str) -> tuple[str, bool]:
    """(the language of the anger said in the line, or ""; whether it is strongly negative
    and aimed at us). VADER only where a cue asks for it: it is most of the cost."""
    for pattern, language in ((_ANGER_EN, "en"), (_ANGER_ES, "es")):
        for match in pattern.finditer(text):
            # VADER reads English only: a Spanish line scores about 0 and is not held back.
            if _NEGATED.search(text[: match.start()]) or _score(text) > 0.3:
                continue
            return language, False
    shouted = [w for w in _SHOUTED.findall(text) if w not in {"GB", "USA", "NHS", "OK"}]
    if len(shouted) >= 3 and ("!" in text or _score(text) < -0.2):
        return "en", False
    return "", bool(_AT_US.search(text)) and _score(text) <= STRONGLY_NEGATIVE


def _score(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


def _angry(text: str, language: str) -> Detected:
    return Detected(
        kind=ANGRY_CALLER, detail=language, evidence=text[:EVIDENCE_CHARS], language=language
    )


# --- repeated tool failures --------------------------------------------------------------------


def tool_failures_find(failed_tools: int) -> Detected | None:
    if failed_tools < FAILED_TOOLS_LIMIT:
        return None
    return Detected(
        kind=TOOL_FAILURES,
        detail=str(failed_tools),
        evidence=f"{failed_tools} tool calls failed",
    )
