"""What the caller wanted: one of CONTRACTS §3's labels, with a confidence.

In: CallInput. Out: Intent. Three kinds of evidence, each weighted by where it comes in the
call (the last turns count about twice the first: a caller who opens with "I'd like to
book" and ends with "just cancel the Tuesday one" wanted to cancel):
- weighted phrases in the caller's words, English and Spanish;
- the sentence-embedding model: each caller sentence against example requests per label
  (English; for Spanish sentences the model cannot tell requests apart, see red_flags.py,
  so only the phrases count there);
- what the agent did with its tools (a booking that went through is strong evidence).
A caller who is not a customer at all (a sales pitch, a wrong number, a robocall, a job
seeker, the press) is `other` whatever words they used: "book a demo with the owner" is not
a booking. The confidence is the winner's share of the evidence, squeezed into 0.35 … 0.98.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from calls.analysis.embedding import Prototypes, sentences_embed
from calls.analysis.language import utterance_language
from calls.analysis.red_flags import sentences_split
from calls.analysis.slots import service_match
from calls.analysis.types import CallInput

LABELS = ("book", "reschedule", "cancel", "inquiry", "complaint", "clinical", "other")

_RULES: dict[str, list[tuple[str, float]]] = {
    "book": [
        (r"\b(book|booking|schedule)\b", 2.0),
        (r"\b(make|get|set up) an? (appointment|booking)\b", 3.0),
        (r"\b(appointment|slot|opening)s? (for|on|this|next|tomorrow|today)\b", 1.5),
        (
            r"\b(come in|get in|fit me in|squeeze me in|any slots|anything (today|tonight|at all))\b",  # noqa: E501
            1.5,
        ),
        (r"\b(i'd|i would|i want|i'd like|like) (to )?(book|get|have) (a|an|my)\b", 1.5),
        (r"\b(can i (see|get)|can someone (do|see))\b", 1.0),
        (r"\bnew (client|patient)\b", 1.0),
        (
            r"\b(i'd like|i would like|i want|i need|can i (get|have)|could i (get|have)|i'm after)\b (a|an|some|my|to see) (?!question|word|quick)",  # noqa: E501
            2.0,
        ),
        (
            r"\b(quer[ií]a|quisiera|quiero|necesito) (un|una|sacar|hacer|pedir|vacunarme|cortarme|fisioterapia|consulta)\b",  # noqa: E501
            2.0,
        ),
        (r"\b(call me back about|about my) (a |an |the )?\w+", 0.8),
        (r"\bavailab(le|ility)\b", 0.8),
        (r"\b(cita|reservar|apúntame|apuntarme|agendar|pedir hora)\b", 2.0),
        (r"\b(quer[ií]a|quisiera|quiero|necesito) (pedir |una |hacer )?(cita|hora|reserva)\b", 2.0),
        (r"\b(me pueden ver|tienen (hueco|hora|disponibilidad))\b", 1.5),
    ],
    "reschedule": [
        (r"\b(reschedul\w*|rebook\w*)\b", 4.0),
        (r"\b(move|change|push|shift|switch) (my|the|our|it|that)\b", 2.5),
        (r"\b(different|another|later|earlier) (day|time|date)\b", 2.0),
        (r"\bcan't make (it|my|the)\b", 1.5),
        (r"\b(instead)\b", 1.0),
        (r"\b(cambiar|mover|pasar|cámbiela|muévala)\b[^.?!]{0,25}\b(cita|al|para el)\b", 3.0),
        (r"\b(me la pueden pasar|otro día|otra hora)\b", 2.0),
    ],
    "cancel": [
        (r"\bcancel\w*\b", 4.0),
        (r"\b(won't|will not|can't|cannot) (be able to )?(make|come|attend)\b", 1.0),
        (r"\b(call(ing)? off|skip it|forget (it|the))\b", 2.0),
        (r"\b(cancelar|anular|cancelada)\b", 4.0),
    ],
    "inquiry": [
        (r"\b(how much|price|prices|pricing|cost|costs|charge|fee|fees|quote)\b", 2.5),
        (
            r"\b(do you (do|offer|have|take|accept|sell|travel)|are you open|opening hours|what time do you)\b",  # noqa: E501
            2.0,
        ),
        (r"\b(hours|parking|located|address|insurance|gift card|deposit|walk-ins)\b", 1.0),
        (r"\b(just )?(wondering|curious|a question|quick question|information|info)\b", 1.0),
        (r"\b(is that normal|do i (still )?need|how far ahead|how long does)\b", 1.5),
        (r"\b(i'll (think about it|leave it|call back|pop in|book online|bring)|worth it)\b", 1.5),
        (r"\b(cu[aá]nto (cuesta|vale|cuestan|tarda)|precio|abren|horario|hacen|tienen)\b", 2.5),
        (r"\b(lo pienso|pasar[eé]|les llamo)\b", 1.5),
    ],
    "complaint": [
        (
            r"\b(complain\w*|complaint|unacceptable|ridiculous|terrible|awful|horrible|disgusting)\b",
            3.0,
        ),
        (r"\b(refund|money back|compensation|charg(ed|ing) me twice|double charged)\b", 3.0),
        (r"\b(ruined|botched|messed up|burned|burnt|damaged|rude|worst|brassy|orange)\b", 2.5),
        (r"\b(not happy|unhappy|disappointed|upset|furious|angry|not what we discussed)\b", 2.0),
        (
            r"\b(lost my booking|gave my slot|third time|for nothing|lasted a whole|i look twelve)\b",  # noqa: E501
            2.5,
        ),
        (r"\b(manager|supervisor|owner|lawyer)\b", 1.0),
        (
            r"\b(verg[uü]enza|queja|reclamaci[oó]n|dinero de vuelta|sin avisar|tercera vez|desastre|naranja)\b",  # noqa: E501
            3.0,
        ),
    ],
    "clinical": [
        (
            r"\b(pain|painful|hurts?|ache|aching|bleed\w*|fever|rash|swollen|swelling|infect\w*|cough\w*|earache|sore throat)\b",  # noqa: E501
            2.0,
        ),
        (r"\b(symptom\w*|dizzy|dizziness|nause\w*|vomit\w*|breath\w*|chest|faint\w*)\b", 2.0),
        (
            r"\b(prescription|medication|meds|dose|refill|side effects?|test results?|lab results?|results|inhaler|tablets|blood pressure)\b",  # noqa: E501
            2.5,
        ),
        (r"\b(suicid\w*|kill myself|end my life|overdose)\b", 5.0),
        (r"\b(is it normal|should i (be worried|worry)|worried about)\b", 1.5),
        (r"\b(fiebre|dolor|duele|receta|resultados|an[aá]lisis|tos|s[ií]ntomas|inhalador)\b", 2.5),
    ],
}
_COMPILED = {
    label: [(re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in rules]
    for label, rules in _RULES.items()
}
# Not a customer with a request of their own: these callers are `other`.
_NOT_A_CUSTOMER = re.compile(
    r"\bwrong number\b|\bmust have (dialled|dialed|the wrong)\b|\bmy bad\b|"
    r"\bis (this|that) (the )?(vet|dentist|dental|restaurant|pizza|dr\.? \w+'s)\b|"
    r"\b(calling|i'm|this is \w+) from \w+( \w+)? (marketing|payments|media|supplies|"
    r"solutions|agency|software|ads)\b|\bwe help (salons|clinics|businesses|practices)\b|"
    r"\b(extended )?(vehicle|car) warranty\b|\bpress (one|1)\b|\bcourtesy call\b|"
    r"\bare you hiring\b|\blooking for a job\b|\btrial shift\b|\bthe local paper\b|"
    r"\binterview with the owner\b|\bfeature on\b|\b(meeting|demo) with (the|your) "
    r"(owner|practice manager|manager)\b|\bglove prices\b|\bsave you \d+ percent\b|"
    r"\bme equivoqu[eé] de n[uú]mero\b|\bn[uú]mero equivocado\b|\bsoy de [A-Z]\w+|"
    r"\bayudamos a (salones|cl[ií]nicas|negocios)\b|\bdrop off (her|his) (birthday )?present\b",
    re.IGNORECASE,
)
_TOOL_EVIDENCE = {
    "book_appointment": ("book", 4.0),
    "reschedule_appointment": ("reschedule", 5.0),
    "cancel_appointment": ("cancel", 5.0),
    "join_waitlist": ("book", 3.0),
}
MIN_EVIDENCE = 1.5
SERVICE_NAMED = 1.5
EMBED_FLOOR = 0.45  # below this a sentence says nothing about a label
EMBED_WEIGHT = 8.0  # points per unit of cosine above the floor
FIRST_WEIGHT, LAST_WEIGHT = 0.6, 1.4

_EXAMPLES: dict[str, tuple[str, ...]] = {
    "book": (
        "I'd like to make an appointment",
        "can I book in for a haircut on Friday",
        "do you have anything free tomorrow afternoon",
        "can you fit me in this week",
        "I want to book a manicure",
        "put me down for Saturday morning please",
    ),
    "reschedule": (
        "can I move my appointment to another day",
        "I need to change the time of my booking",
        "can we push it to next week instead",
        "I can't make Thursday, can we do Friday",
    ),
    "cancel": (
        "I need to cancel my appointment",
        "please cancel my booking",
        "I won't be able to come, cancel it",
        "just cancel it, I'll go elsewhere",
    ),
    "inquiry": (
        "how much does it cost",
        "what are your prices",
        "do you offer that service",
        "what time are you open on Sunday",
        "is there parking nearby",
        "I'll think about it and call back",
    ),
    "complaint": (
        "I'm really unhappy with how my hair turned out",
        "this is unacceptable, I want a refund",
        "you charged me twice",
        "the service was terrible",
        "it came out completely wrong and nobody listened",
        "great, you lost my booking again",
    ),
    "clinical": (
        "I've had a fever and a bad cough for days",
        "I'm calling about my test results",
        "I need a repeat prescription",
        "is this side effect normal",
        "I'm worried about a pain in my side",
    ),
    "other": (
        "sorry, wrong number",
        "I'm calling from a marketing company about advertising",
        "can I speak to the owner about a business opportunity",
        "is this the restaurant",
        "hello, can you hear me",
        "I'm looking for a job",
    ),
}
_PROTOTYPES = Prototypes(_EXAMPLES)


@dataclass(frozen=True)
class Intent:
    label: str
    confidence: float
    scores: dict[str, float]


def _recency(index: int, count: int) -> float:
    if count <= 1:
        return 1.0
    return FIRST_WEIGHT + (LAST_WEIGHT - FIRST_WEIGHT) * index / (count - 1)


def intent_classify(call: CallInput, *, red_flag: bool = False) -> Intent:
    scores = dict.fromkeys(LABELS, 0.0)
    sentences = sentences_split(call.caller_lines)
    caller_text = call.caller_text
    for index, sentence in enumerate(sentences):
        weight = _recency(index, len(sentences))
        for label, rules in _COMPILED.items():
            for pattern, points in rules:
                if pattern.search(sentence):
                    scores[label] += points * weight
    for index, sentence in enumerate(sentences):
        # Naming one of the business's services is a request for it, unless asked about.
        if call.services and service_match(sentence, call.services) is not None:
            scores["book"] += SERVICE_NAMED * _recency(index, len(sentences))
    english = [i for i, s in enumerate(sentences) if utterance_language(s) == "en"]
    if english:
        similarity = _PROTOTYPES.similarity(sentences_embed([sentences[i] for i in english]))
        for row, index in enumerate(english):
            weight = _recency(index, len(sentences))
            for column, label in enumerate(_PROTOTYPES.labels):
                value = float(similarity[row, column])
                if value > EMBED_FLOOR:
                    scores[label] += EMBED_WEIGHT * (value - EMBED_FLOOR) * weight
    tools = [tool for tool in call.tools if tool.name in _TOOL_EVIDENCE]
    for position, tool in enumerate(tools):
        label, points = _TOOL_EVIDENCE[tool.name]
        # A later tool call is the agent acting on the caller's final word.
        weight = _recency(position, len(tools))
        scores[label] += (points if tool.ok else points / 2) * weight
    if _NOT_A_CUSTOMER.search(caller_text) and not any(tool.ok for tool in tools):
        return _decided("other", scores, 0.9)
    # Clinical words at a salon are about a treatment gone wrong, i.e. a complaint.
    if call.business_kind != "clinic" and scores["clinical"] and scores["complaint"]:
        scores["complaint"] += scores["clinical"]
        scores["clinical"] = 0.0
    if call.business_kind != "clinic":
        scores["clinical"] *= 0.5
    # A reschedule or cancel mentions booking words too; the specific intent wins.
    for specific in ("reschedule", "cancel"):
        if scores[specific] >= 4.0:
            scores["book"] *= 0.5
    if red_flag and call.business_kind == "clinic":
        return _decided("clinical", scores, 0.9)
    best = max(LABELS, key=lambda label: scores[label])
    if scores[best] < MIN_EVIDENCE:
        return Intent(label="other", confidence=0.5, scores=_rounded(scores))
    total = sum(scores.values())
    share = scores[best] / total if total else 0.0
    confidence = 0.35 + 0.63 * share * min(1.0, scores[best] / 6.0)
    return Intent(label=best, confidence=round(min(0.98, confidence), 2), scores=_rounded(scores))


def _decided(label: str, scores: dict[str, float], confidence: float) -> Intent:
    return Intent(label=label, confidence=confidence, scores=_rounded(scores))


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {label: round(float(np.float64(value)), 3) for label, value in scores.items()}
