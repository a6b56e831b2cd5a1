"""Red flags in what the caller said: signs that a person may be in danger now.

In: the caller's utterances in order (a finished call's, or a live call's so far). Out: one
RedFlag per kind found, with the words that raised it. Any red flag makes a call an
emergency and escalates it (pipeline.py), whatever else happened in the call.

Two detectors, either of which is enough:
- lexical rules, English and Spanish, for the ways people describe each danger, directly
  or not ("a weight on my chest", "my throat feels funny", "se tomó unas pastillas");
  a rule marked as a hint ("I won't be needing them") counts half, so two hints in one
  call, or a hint and a sentence the model places near a kind, raise the flag;
- the sentence-embedding model (embedding.py): each sentence is compared with example
  phrasings of each kind and with "safe" phrasings that sound alike but are not
  emergencies (salon hyperbole, routine questions, negations); a sentence closer to a kind
  than to anything safe, by a margin, raises it.
A sentence that denies the sign ("no chest pain", "ni me falta el aire"), tells history
("a stroke two years ago", "the pains have gone") or asks for information ("I read that
an overdose...") raises nothing. The thresholds were set on the labelled set
(eval/emergencies.yaml and eval/false_alarms.yaml); evaluate_analysis prints both numbers.

Live, right after a restart, the model may not be loaded yet: the live path never waits for
it (a cold load takes seconds), it asks for a background load and uses the rules alone
meanwhile (they find every labelled emergency on their own; the model adds reach). The
post-call analysis loads the model first and always uses both (pipeline.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from calls.analysis import embedding
from calls.analysis.embedding import Prototypes, sentences_embed
from calls.analysis.language import utterance_language

KINDS = (
    "cardiac",
    "breathing",
    "stroke",
    "anaphylaxis",
    "poisoning",
    "self_harm",
    "bleeding",
    "child_danger",
)
DESCRIPTIONS = {
    "cardiac": "heart attack signs or a collapse",
    "breathing": "trouble breathing",
    "stroke": "stroke signs",
    "anaphylaxis": "severe allergic reaction",
    "poisoning": "poisoning or overdose",
    "self_harm": "risk of self-harm",
    "bleeding": "heavy bleeding",
    "child_danger": "a child in danger",
}

# A sentence this close to a kind's examples raises it; HINT-close counts half. The model
# was trained on English: Spanish sentences all sit ~0.6 from each other whatever they say,
# so for Spanish only a near-copy of an example counts and the lexical rules carry the rest.
EMBED_STRONG = {"en": 0.66, "es": 0.80}
EMBED_HINT = {"en": 0.58, "es": 0.75}
EMBED_MARGIN = 0.04  # and it must be closer to the kind than to any safe phrasing
EMBED_MIN_WORDS = 3
EVIDENCE_CHARS = 120


@dataclass(frozen=True)
class RedFlag:
    kind: str  # one of KINDS
    evidence: str  # the caller's words that raised it (short)
    language: str  # "en" or "es"

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.kind]


STRONG, HINT = 1.0, 0.5

# (kind, pattern, weight). Patterns are matched case-insensitively on one sentence.
_RULES: tuple[tuple[str, str, float], ...] = (
    # cardiac
    (
        "cardiac",
        r"\bchest\b[^.?!]{0,40}\b(pain|pains|pressure|tight\w*|heav\w*|weight|squeez\w*|crush\w*|band|ache|aching|hurts?|burning)\b",
        STRONG,
    ),
    (
        "cardiac",
        r"\b(pain|pressure|tightness|heaviness|weight|squeez\w*|crushing|band|ache)\b[^.?!]{0,30}\b(on|in|round|around|across) (my|his|her|the) chest\b",  # noqa: E501
        STRONG,
    ),
    (
        "cardiac",
        r"\b(someone|something|an elephant) (is )?(sitting|standing) on (my|his|her) chest\b",
        STRONG,
    ),
    (
        "cardiac",
        r"\b(having|has|had just had|think (i'm|he's|she's|i am) having) a heart attack\b",
        STRONG,
    ),
    (
        "cardiac",
        r"\bheart (is )?(racing|pounding)\b[^.?!]*\b(black(ed)? out|faint\w*|pass(ed)? out|chest)\b",  # noqa: E501
        STRONG,
    ),
    (
        "cardiac",
        r"\b(collapsed|unconscious|unresponsive|not responding|passed out|blacked out|keeled over)\b",  # noqa: E501
        STRONG,
    ),
    (
        "cardiac",
        r"\b(se desmay[oó]|se cay[oó] al suelo|perdi[oó] el conocimiento|inconsciente|no responde)\b",  # noqa: E501
        STRONG,
    ),
    (
        "cardiac",
        r"\b(dolor|presi[oó]n|opresi[oó]n|peso|ardor)\b[^.?!]{0,30}\b(en el|del) pecho\b",
        STRONG,
    ),
    (
        "cardiac",
        r"\bpecho\b[^.?!]{0,30}\b(dolor|duele|apret\w*|presi[oó]n|oprim\w*|pesad\w*)\b",
        STRONG,
    ),
    ("cardiac", r"\b(me|le) (aprieta|duele|oprime) (mucho )?el pecho\b", STRONG),
    ("cardiac", r"\b(est[aá] teniendo|tiene|tengo) un infarto\b", STRONG),
    # breathing
    (
        "breathing",
        r"\b(can't|cannot|can not|couldn't|unable to|struggling to|hard to|trouble|difficulty) (breath\w*|catch (my|his|her) breath|get (my|his|her) breath)\b(?! without)",  # noqa: E501
        STRONG,
    ),
    (
        "breathing",
        r"\b(short(ness)? of breath|out of breath|breathless\w*|gasping|wheez\w*)\b",
        STRONG,
    ),
    ("breathing", r"\b(not|isn't|is not|stopped) breathing\b", STRONG),
    ("breathing", r"\bwinded\b|\b(stop|stopping) halfway up\b", STRONG),
    ("breathing", r"\bcan't lie (down )?flat\b|\b(propped|sleep) up on \w+ pillows\b", HINT),
    (
        "breathing",
        r"\b(lips|face|he|she|he's|she's) (look |looks |is |are |gone |going |turning )?(blue|grey|gray)\b|\bblue (round|around) the lips\b",  # noqa: E501
        STRONG,
    ),
    (
        "breathing",
        r"\b(trouble|difficulty|can't|cannot|hard to|struggling to) swallow\w*\b|\bdrooling\b",
        STRONG,
    ),
    (
        "breathing",
        r"\bonly (say |manage )?a few words\b|\binhaler\b[^.?!]*\bnot (helping|working)\b",
        STRONG,
    ),
    (
        "breathing",
        r"\b(me ahogo|se ahoga|me falta el aire|le falta el aire|no puedo respirar|no puede respirar|no respira|le cuesta respirar|me cuesta respirar|dificultad para respirar|labios morados)\b",  # noqa: E501
        STRONG,
    ),
    # A swollen jaw or neck with trouble swallowing: the airway may close (two hints).
    ("breathing", r"\b(with|some|pain|problems?) (with |when |on )?swallowing\b", HINT),
    (
        "breathing",
        r"\b(jaw|neck|tongue|mouth)\b[^.?!]{0,20}\b(swollen|swelling|swelled|puffed)\b|\bswollen (jaw|neck|tongue)\b",  # noqa: E501
        HINT,
    ),
    # stroke
    (
        "stroke",
        r"\b(face|mouth)\b[^.?!]{0,25}\b(dropped|droop\w*|fallen|lopsided|sagging|crooked)\b|\bone side of (his|her|my) face\b",  # noqa: E501
        STRONG,
    ),
    (
        "stroke",
        r"\bslurr\w*\b|\btalking funny\b|\b(can't|cannot) (find|get) (his|her|my|the) words\b|\bwrong words\b",  # noqa: E501
        STRONG,
    ),
    (
        "stroke",
        r"\b(arm|hand|leg)\b[^.?!]{0,20}\b(flops|floppy|went weak|gone weak|is weak|won't (grip|move|lift)|can't (grip|lift|move))\b",  # noqa: E501
        STRONG,
    ),
    (
        "stroke",
        r"\b(left|right|one) side\b[^.?!]{0,20}\b(numb|weak|dead)\b|\b(numb|weak)\w* (down|on) one side\b",  # noqa: E501
        STRONG,
    ),
    (
        "stroke",
        r"\b(can't|cannot) see (properly )?(out of|with) one eye\b|\bsudden\w* (blind|lost (my|his|her) vision)\b",  # noqa: E501
        STRONG,
    ),
    (
        "stroke",
        r"\b(cara|boca) torcida\b|\bno (puede|puedo) hablar bien\b|\bhabla (raro|mal|arrastrando)\b|\bno mueve el (brazo|lado|pie)\b|\bse le (durmi[oó]|cay[oó]) (el brazo|un lado|la cara)\b",  # noqa: E501
        STRONG,
    ),
    # anaphylaxis
    (
        "anaphylaxis",
        r"\bthroat\b[^.?!]{0,20}\b(funny|tight\w*|closing|swell\w*|swollen|thick|weird|strange)\b",
        STRONG,
    ),
    (
        "anaphylaxis",
        r"\b(tongue|lips?|face|eyes?)\b[^.?!]{0,20}\b(thick|swell\w*|swollen|puff\w*|balloon\w*)\b",
        STRONG,
    ),
    (
        "anaphylaxis",
        r"\b(allergic reaction|anaphyla\w*|epi-?pen|hives all over|itchy and blotchy|blotchy all over)\b",  # noqa: E501
        STRONG,
    ),
    (
        "anaphylaxis",
        r"\b(garganta)\b[^.?!]{0,20}\b(rara|cerrada|cierra|hinchad\w*|apretad\w*)\b|\bse me cierra la garganta\b",  # noqa: E501
        STRONG,
    ),
    (
        "anaphylaxis",
        r"\b(hinchando|hinchad[oa]s?|inflamad[oa]s?)\b[^.?!]{0,20}\b(labios|cara|lengua|ojos)\b|\b(labios|cara|lengua)\b[^.?!]{0,12}\b(hinchad\w*|inflamad\w*)\b",
        STRONG,
    ),
    (
        "anaphylaxis",
        r"\b(ronchas|urticaria)\b[^.?!]{0,30}\b(todo el cuerpo|por todas partes|por todo)\b|\breacci[oó]n al[eé]rgica\b",  # noqa: E501
        STRONG,
    ),
    # poisoning / overdose
    ("poisoning", r"\boverdos\w*\b|\bpoison\w*\b", STRONG),
    (
        "poisoning",
        r"\b(swallowed|ate|eaten|took|taken|drank|drunk|had)\b[^.?!]{0,30}\b(pills|tablets|capsules|medicine|medication|bleach|detergent|cleaner|antifreeze|pods?)\b",
        STRONG,
    ),
    (
        "poisoning",
        r"\b(a|the|my|her|his) (whole|entire) (box|bottle|packet|pack|strip) of\b|\btoo many (pills|tablets)\b",  # noqa: E501
        STRONG,
    ),
    (
        "poisoning",
        r"\b(drank|swallowed) something from under the sink\b|\bbottle says bleach\b|\bgot into (my|the|her|his) (pills|tablets|medicine|handbag|purse)\b",  # noqa: E501
        STRONG,
    ),
    (
        "poisoning",
        r"\b(took|taken|had|injected) (my |his |her )?insulin twice\b|\bdouble dose\b|\bdoble dosis\b",  # noqa: E501
        STRONG,
    ),
    (
        "poisoning",
        r"\b(se|me) (tom[oó]|trag[oó]|bebi[oó]|comi[oó])\b[^.?!]{0,30}\b(pastillas|p[ií]ldoras|medicina|medicamentos|lej[ií]a|cloro|detergente|veneno)\b",  # noqa: E501
        STRONG,
    ),
    ("poisoning", r"\bsobredosis\b|\bintoxica\w*\b|\benvenen\w*\b", STRONG),
    # self-harm
    (
        "self_harm",
        r"\b(kill(ing)? myself|end(ing)? (my life|it all)|take my (own )?life|suicid\w*)\b",
        STRONG,
    ),
    (
        "self_harm",
        r"\b(don't|do not) want to (live|be here|be alive|go on|wake up)\b|\bbetter off without me\b|\b(nobody|no one|no-one) (will|would) (miss|notice) me\b",  # noqa: E501
        STRONG,
    ),
    (
        "self_harm",
        r"\b(cutting|hurting|harming|burning) (myself )?(again|myself)\b|\b(can't|cannot) keep myself safe\b|\bself[- ]harm\w*\b",  # noqa: E501
        STRONG,
    ),
    (
        "self_harm",
        r"\bsaving (up )?(the |my )?(tablets|pills)\b|\b(saving|stockpiling) (them|tablets|pills) up\b",  # noqa: E501
        STRONG,
    ),
    (
        "self_harm",
        r"\bwon't be (needing|around|here)\b|\bdoesn't matter (anymore|any more)\b|\b(tying up|sorting out) loose ends\b|\bsorted everything out\b|\b(given|giving) (away )?(the|my) (cat|dog|pets?)\b|\btired of (everything|living|it all)\b|\bthanks for trying\b|\bno point (anymore|any more|in anything)\b",  # noqa: E501
        HINT,
    ),
    (
        "self_harm",
        r"\bno quiero (seguir )?viv(ir|iendo)\b|\bquitarme la vida\b|\bmatarme\b|\bsuicid\w*\b|\bnadie me (va a )?(extra[ñn]ar|echar de menos)\w*\b|\bhacerme da[ñn]o\b|\bcortarme\b(?! (el|la|los|las|un|una|mi) )",  # noqa: E501
        STRONG,
    ),
    (
        "self_harm",
        r"\bya no (las?|los?|lo) (voy a )?necesitar\b|\bya lo tengo todo arreglado\b|\bya nada importa\b|\bestoy cansad[oa] de todo\b",  # noqa: E501
        HINT,
    ),
    # bleeding
    (
        "bleeding",
        r"\b(won't|will not|doesn't|does not|can't|cannot) stop bleeding\b|\bbleeding (heavily|a lot|badly|everywhere|won't stop|that won't stop)\b|\bheavy bleeding\b|\bbleeding quite heavily\b",  # noqa: E501
        STRONG,
    ),
    (
        "bleeding",
        r"\bsoaked (through|right through)\b|\b(pulsing|spurting|pouring|gushing) (out)?\b|\bblood everywhere\b",  # noqa: E501
        STRONG,
    ),
    (
        "bleeding",
        r"\b(vomit\w*|throwing up|coughing up|coughed up|sick) (up )?(blood|coffee[- ]ground\w*)\b|\bcoffee[- ]ground\w*\b|\bblack (poo|stool|stools|tarry)\b|\bbright red and (there are )?clots\b",  # noqa: E501
        STRONG,
    ),
    (
        "bleeding",
        r"\bno (para|deja) de sangrar\b|\bsangr\w* (mucho|much[ií]simo|a chorros)\b|\bempap\w*\b|\b(vomitando|vomita) sangre\b|\bsangrado abundante\b|\bhemorragia\b",  # noqa: E501
        STRONG,
    ),
    # a child in danger
    (
        "child_danger",
        r"\b(baby|newborn|infant|toddler|little one)\b[^.?!]{0,40}\b(floppy|limp|won't wake|not waking|unresponsive|not responding|blue|fitting|seizure)\b",  # noqa: E501
        STRONG,
    ),
    (
        "child_danger",
        r"\bwon't wake up properly\b|\b(went|gone|was) under (the water )?for\b|\bdrown\w*\b|\bnear[- ]drowning\b",  # noqa: E501
        STRONG,
    ),
    (
        "child_danger",
        r"\b(child|kid|son|daughter|baby|boy|girl|\w+-year-old)\b[^.?!]{0,50}\b(locked in|left in|stuck in) the car\b|\b(locked|left) (my|the) \w+(-year-old)? (in|inside) the car\b|\bin the car\b[^.?!]{0,40}\b(boiling|so hot|baking)\b",  # noqa: E501
        STRONG,
    ),
    (
        "child_danger",
        r"\b(se meti[oó] a la piscina|se est[aá] ahogando|se ahog[oó]|no despierta|no reacciona|est[aá] morad[oa])\b",  # noqa: E501
        STRONG,
    ),
)
_COMPILED = tuple(
    (kind, re.compile(pattern, re.IGNORECASE), weight) for kind, pattern, weight in _RULES
)

# A negator just before the sign, in the same clause: "no chest pain", "not short of
# breath", "ni me falta el aire", "without any bleeding".
_NEGATOR = re.compile(
    r"\b(no|not|never|without|denies|nor|isn't|aren't|wasn't|haven't|hasn't|don't|doesn't|"
    r"didn't|ni|sin|nunca|tampoco|nada de)\b|n't\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?]|\b(but|and|pero|y|aunque|although)\b", re.IGNORECASE)
NEGATION_WORDS = 4
_HISTORY = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|many|several|some) "
    r"(years?|months?|weeks?) ago\b|\blast (year|month)\b|\bhace (\d+ |muchos |unos |varios )?"
    r"(años|meses|semanas)\b|\b(have|has|had) (completely |all )?(gone (away|now|since)|cleared|settled)\b|"  # noqa: E501
    r"\b(completely|all) gone\b|"
    r"\b(went|gone) away\b|\byears? back\b|\bdesaparec\w*\b|\bback in \d{4}\b",
    re.IGNORECASE,
)
_INFORMATION = re.compile(
    r"\b(i )?(read|heard|saw) (that|about|online)\b|\bhow (many|much) can (i|you|he|she)\b|"
    r"\bis it safe\b|\bsafely\b|\bwhat happens if\b|\bin general\b|\bjust (asking|wondering)\b|"
    r"\bwhat (are|is) the (signs|symptoms) of\b",
    re.IGNORECASE,
)
_CHILD = re.compile(
    r"\b(baby|babies|toddler|newborn|infant|child|kid|son|daughter|little (boy|girl|one)|"
    r"\w+-year-old|beb[eé]|ni[ñn][oa]|hij[oa]|nene|nena)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?¡¿;])\s+|\n+")

_EXAMPLES: dict[str, tuple[str, ...]] = {
    "cardiac": (
        "I have crushing pain in my chest",
        "there's a heavy pressure in the middle of my chest",
        "it feels like a tight band squeezing my chest",
        "my chest feels heavy and the pain goes down my left arm",
        "pain spreading from my chest into my jaw and I'm sweating",
        "I think I'm having a heart attack",
        "my husband is clutching his chest and he's grey and sweaty",
        "a tightness in my chest when I walk that makes me stop",
        "it's like indigestion in my chest but much worse and won't go",
        "me duele mucho el pecho y el brazo izquierdo",
        "siento una presión fuerte en el pecho",
        "tengo el pecho apretado y estoy sudando frío",
    ),
    "breathing": (
        "I can't breathe properly",
        "he's struggling to breathe and gasping",
        "I get out of breath just walking to the kitchen",
        "I'm short of breath even sitting down",
        "she's wheezing and her inhaler isn't working",
        "I can only say a few words before I need a breath",
        "my lips are turning blue",
        "I can't swallow and my throat is swelling shut",
        "I wake up at night gasping for air",
        "no puedo respirar bien",
        "me falta el aire al caminar",
        "mi madre se está ahogando y tiene los labios morados",
    ),
    "stroke": (
        "one side of his face is drooping",
        "her speech is slurred and she can't lift her arm",
        "suddenly I can't move my left arm or leg",
        "he's confused and can't get his words out",
        "my face feels numb on one side and my arm is weak",
        "she suddenly lost vision in one eye and is dizzy",
        "his mouth has gone crooked and he's talking nonsense",
        "a mi padre se le torció la boca y no puede hablar",
        "de repente no puede mover el brazo ni la pierna",
        "habla arrastrando las palabras",
    ),
    "anaphylaxis": (
        "my throat is closing up after the treatment",
        "my lips and tongue are swelling",
        "I'm covered in hives and feel faint after the injection",
        "my face is swelling up and I feel like I can't swallow",
        "I'm having an allergic reaction to the dye",
        "my throat feels tight and itchy since the wax",
        "se me está hinchando la cara y la lengua",
        "tengo la garganta cerrada después del tratamiento",
        "me salieron ronchas por todo el cuerpo y me cuesta tragar",
    ),
    "poisoning": (
        "my toddler swallowed some of my tablets",
        "she took a whole bottle of pills",
        "he drank cleaning fluid by accident",
        "I think I took too much of my medication",
        "my son ate some of the dishwasher tablets",
        "I accidentally took a double dose of my pills",
        "mi hija se tomó unas pastillas de mi bolso",
        "el niño bebió lejía",
        "creo que me tomé demasiadas pastillas",
    ),
    "self_harm": (
        "I don't want to be alive anymore",
        "I've been thinking about ending my life",
        "everyone would be better off if I wasn't here",
        "I've been hurting myself again",
        "I won't need any appointments anymore, I've said my goodbyes",
        "I can't go on like this, there's no point",
        "I've written letters to my family and given my things away",
        "I've been saving up my pills",
        "ya no quiero vivir",
        "he pensado en quitarme la vida",
        "todos estarían mejor sin mí",
    ),
    "bleeding": (
        "it won't stop bleeding",
        "there's blood everywhere and I feel faint",
        "the cut is spurting blood",
        "I'm bleeding heavily and soaking through pads",
        "I've been vomiting blood",
        "he's passing black tarry stools and looks pale",
        "no para de sangrar la herida",
        "estoy sangrando mucho",
        "vomitó sangre esta mañana",
    ),
    "child_danger": (
        "my baby is limp and won't wake up",
        "my child fell in the pool and isn't breathing right",
        "my son hit his head and he's not responding",
        "the baby is having a fit and her lips are blue",
        "my little girl is locked in the hot car",
        "my toddler is choking and can't breathe",
        "mi bebé no despierta y está muy caliente",
        "mi hijo se cayó y no reacciona",
        "la niña se está ahogando",
    ),
}
_SAFE: tuple[str, ...] = (
    # salon hyperbole and everyday talk
    "I'm dying to get my hair coloured",
    "I'm thinking of dying my hair red",
    "my colour is killing me, my roots are awful",
    "my feet are killing me after work",
    "I'd die for a blowout tonight",
    "the wax nearly killed me, it hurt so much, ha",
    "my colour is bleeding into my pillowcase when I wash it",
    "I nearly had a heart attack at the price",
    "I can't live without my weekly blow dry",
    "my nails are a disaster",
    "this waiting list is killing me",
    "I'm allergic to some hair dyes, can you do a patch test",
    "me muero por hacerme unas mechas",
    "los pies me están matando",
    # routine clinical and negations
    "I have no chest pain and I'm not short of breath",
    "no me duele el pecho ni me falta el aire",
    "my dad had a heart attack years ago and needs his yearly check",
    "I had a stroke a few years ago and need physio",
    "the chest pains have gone since the new tablets",
    "I need a repeat prescription for my inhaler",
    "my son has an allergy and needs a review, he's fine",
    "I had a small nosebleed that stopped quickly",
    "how many paracetamol can I safely take",
    "I've got a cough and a cold",
    "I'd like to book a check-up",
    "I need to cancel my appointment because I'm moving away",
    "cancel everything, I'm going on holiday",
    "my blood pressure readings are fine",
    "necesito renovar la receta",
    "quiero cancelar mi cita porque me voy de viaje",
)
_PROTOTYPES = Prototypes({**{kind: _EXAMPLES[kind] for kind in KINDS}, "safe": _SAFE})


def sentences_split(texts: Sequence[str]) -> list[str]:
    sentences: list[str] = []
    for text in texts:
        sentences += [part.strip() for part in _SENTENCE.split(text or "") if part.strip()]
    return sentences


def _negated(sentence: str, start: int) -> bool:
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = clause.split()[-NEGATION_WORDS:]
    return bool(_NEGATOR.search(" ".join(words)))


def _suppressed(sentence: str) -> bool:
    return bool(_HISTORY.search(sentence) or _INFORMATION.search(sentence))


def _sentence_negated(sentence: str) -> bool:
    return bool(_NEGATOR.search(sentence))


def red_flags_find(texts: Sequence[str]) -> list[RedFlag]:
    """The red flags in the caller's utterances, one per kind, in the order first raised.
    Uses the embedding model once it is loaded (see the module's docstring)."""
    sentences = sentences_split(texts)
    if not sentences:
        return []
    score: dict[str, float] = {}
    evidence: dict[str, tuple[int, str]] = {}

    strong: set[str] = set()

    def raise_(kind: str, weight: float, index: int, words: str) -> None:
        score[kind] = score.get(kind, 0.0) + weight
        # The evidence is the first sentence that raised the kind outright, else the first hint.
        if kind not in evidence or (weight >= STRONG and kind not in strong):
            evidence[kind] = (index, words)
        if weight >= STRONG:
            strong.add(kind)

    live = [not _suppressed(sentence) for sentence in sentences]
    for index, sentence in enumerate(sentences):
        if not live[index]:
            continue
        for kind, pattern, weight in _COMPILED:
            for match in pattern.finditer(sentence):
                if _negated(sentence, match.start()):
                    continue
                raise_(kind, weight, index, sentence)
                break
    candidates = [
        i for i, s in enumerate(sentences) if live[i] and len(s.split()) >= EMBED_MIN_WORDS
    ]
    if not embedding.model_ready():
        candidates = []
    if candidates:
        similarity = _PROTOTYPES.similarity(sentences_embed([sentences[i] for i in candidates]))
        safe = similarity[:, -1]
        for row, index in enumerate(candidates):
            language = utterance_language(sentences[index])
            for column, kind in enumerate(KINDS):
                value = float(similarity[row, column])
                if value - float(safe[row]) < EMBED_MARGIN:
                    continue
                if value >= EMBED_STRONG[language] and not _sentence_negated(sentences[index]):
                    raise_(kind, STRONG, index, sentences[index])
                elif value >= EMBED_HINT[language]:
                    raise_(kind, HINT, index, sentences[index])
    found = {kind for kind, total in score.items() if total >= STRONG}
    # A child who swallowed something or cannot breathe is a child in danger too.
    for kind in ("poisoning", "breathing", "bleeding"):
        if kind in found and _CHILD.search(sentences[evidence[kind][0]]):
            found.add("child_danger")
            evidence.setdefault("child_danger", evidence[kind])
    flags = []
    for kind in sorted(found, key=lambda k: (evidence[k][0], KINDS.index(k))):
        words = evidence[kind][1]
        flags.append(
            RedFlag(kind=kind, evidence=_shorten(words), language=utterance_language(words))
        )
    return flags


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "…"


def red_flags_reason(flags: Sequence[RedFlag]) -> str:
    """ "red flag: chest pain or pressure (possible heart attack) — "a weight on my chest"" """
    if not flags:
        return ""
    first = flags[0]
    kinds = ", ".join(flag.description for flag in flags)
    return f'red flag: {kinds} — "{first.evidence}"'


def similarity_table(texts: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
    """Each sentence with its best cosine per kind and against the safe phrasings (for
    tuning and for the evaluation's explanations)."""
    sentences = sentences_split(texts)
    matrix = _PROTOTYPES.similarity(sentences_embed(sentences))
    labels = (*KINDS, "safe")
    return [
        (sentence, {label: round(float(v), 3) for label, v in zip(labels, row, strict=True)})
        for sentence, row in zip(sentences, np.asarray(matrix), strict=True)
    ]
