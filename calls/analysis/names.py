"""People's names in a call: who the caller is (or the patient they call for), and every
name anyone said, for redaction.

Speech-to-text output is often lower case, so nothing here depends on capitals alone. Three
sources, combined: cues ("my name is", "this is", "me llamo", "soy", "de parte de", "calling
for my mother, ..."; the agent's "thanks Kate", "Mrs Whitfield"), the conversation (a bare
answer to the agent's "can I get your name?", a name spelled letter by letter, a correction
after the agent mishears), and a gazetteer of first names and surnames: the person-name lists
Faker ships for English- and Spanish-speaking and other locales (MIT, in the package, nothing
downloaded). A gazetteer word that is also an ordinary word ("rose", "price", "paz") counts
as a name only where the context says so.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from calls.analysis.types import Line, ToolCall

# Faker's person providers whose name lists we read (public class attributes).
_LOCALES = [
    "en",
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "en_NZ",
    "en_PH",
    "en_NG",
    "es",
    "es_ES",
    "es_MX",
    "es_CO",
    "es_AR",
    "es_CL",
    "pt_BR",
    "pt_PT",
    "fr_FR",
    "it_IT",
    "de_DE",
    "nl_NL",
    "pl_PL",
    "sv_SE",
    "no_NO",
    "da_DK",
    "fi_FI",
    "cs_CZ",
    "ro_RO",
    "hu_HU",
    "tr_TR",
    "vi_VN",
    "yo_NG",
    "ig_NG",
    "ga_IE",
    "uk_UA",
    "ru_RU",
    "hi_IN",
]

# Words that are never a name however they are said (function words, numbers, days,
# conversation), in English and Spanish. Ordinary words beyond these come from Faker's
# English word list (Spanish's mixes in names, so it is not used).
_STOP = frozenset(
    """
    i i'm im i'd i'll i've me my mine myself you your yours he him his she her hers we us our
    they them their it its it's this that these those there here a an the and or but so if
    of to in on at by for from with without about into over under up down out off as than
    then too also just only very really quite still again yes yeah yep no nope not ok okay
    alright right sure fine good great lovely perfect thanks thank please sorry hi hello hey
    hiya bye goodbye well um uh er erm oh ah like is am are was were be been being do does
    did done have has had having can could would should will shall may might must need want
    wanted wants get got give call calling called ring ringing phone book booking booked
    cancel cancelling move moving looking wondering hoping trying going coming visiting
    speaking here today tomorrow tonight yesterday morning afternoon evening night week
    month year now soon later asap monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms miss mx dr doctor nurse sir madam name surname first last number phone mobile
    cell email reference appointment with without double triple after before what who
    which when where why how something anything nothing everything one two three four five
    six seven eight nine ten zero oh
    yo mi mis tu su sus el la los las lo le les un una unos unas y o pero que de del al en
    con por para sin sobre es soy son está estoy era fue ser estar hola buenas buenos días
    tardes noches gracias sí si no vale bueno claro perdón perdon disculpe señor señora
    señorita don doña llamo llama llamaba llamando hablo habla parte quería queria quiero
    necesito puedo tengo cita hora número numero teléfono telefono móvil movil mañana hoy
    lunes martes miércoles miercoles jueves viernes sábado sabado domingo enero febrero marzo
    abril mayo junio julio agosto septiembre octubre noviembre diciembre nombre apellido
    madre padre hijo hija esposa esposo marido mujer hermana hermano abuela abuelo
    mother mom mum father dad son daughter wife husband partner sister brother grandmother
    grandfather grandma grandpa boy girl kid child baby friend patient customer client
    dot at arroba punto com gmail outlook hotmail yahoo
    uno dos tres cuatro cinco seis siete ocho nueve diez once doce veinte treinta cien mil
    más mas menos bien mal muy todo toda nada casa vez hace aquí aqui ahí ahi allí alli
    what whats what's back date beard rush apartment flat unit suite home work office
    street road avenue drive
    cut colour color hair nails nail brow brows wax blow dry trim gel mani pedi highlights
    tint style stylist fringe beard shave facial lash lashes massage polish treatment
    test tests blood flu shot jab jabs travel knee shoulder rash pain cough fever results
    result bloods scan physio repeat prescription referral weekend slot slots time times
    day days early late noon midday deposit card text message voicemail reminder
    london england english uk us usa america spanish said says told asked thinks knows
    """.split()  # noqa: SIM905
)

_FIRST_WORDS = "first name|first"
_TITLE = r"(?:mr|mrs|ms|miss|mx|dr|doctor|señor|señora|señorita|sr|sra|srta|don|doña)\.?"
_RELATION = (
    r"(?:mother|mom|mum|father|dad|son|daughter|wife|husband|partner|sister|brother|"
    r"grandmother|grandfather|grandma|grandpa|gran|nan|aunt|uncle|friend|boy|girl|kid|child|"
    r"baby|patient|madre|padre|mamá|mama|papá|papa|hijo|hija|esposa|esposo|marido|mujer|"
    r"hermana|hermano|abuela|abuelo|tía|tia|tío|tio|amiga|amigo|niño|niña|carer|client)"
)
# "my little boy", "mi hija pequeña" come before or after the relation.
_KIN = (
    r"(?:(?:little|baby|youngest|eldest|oldest|elderly|older|younger|late|pequeño|pequeña)\s+)?"
    rf"{_RELATION}"
)
# Cues before a name. Each: (pattern, priority, role). The patient a caller calls for
# outranks the caller; a surname cue fills in the surname.
_PATIENT = 3
_SELF = 2
_BARE = 1
_CUES: tuple[tuple[re.Pattern[str], int, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), priority, role)
    for pattern, priority, role in (
        (
            rf"\b(?:for|about|on behalf of|por|de parte de)\s+(?:my|mi|la|el)\s+{_KIN},?\s+"
            r"(?:(?:whose|her|his|their)\s+name\s+is\s+|(?:she|he)\s+is\s+|se llama\s+|"
            r"que se llama\s+|named\s+|called\s+)?",
            _PATIENT,
            "",
        ),
        (
            rf"\b(?:my|mi|la|el)\s+{_KIN}(?:'s)?,?\s+(?:whose|her|his|their)?\s*name\s+is\s+|"
            rf"\b(?:(?:her|his|their|the patient's|the patient)\s+name\s+is|se llama|"
            rf"the patient is|el paciente es|la paciente es)\s+(?:{_TITLE}\s+)?|"
            # "this is the daughter of Harold Fenwick"
            rf"\b(?:the|his|her|la|el)\s+{_KIN}\s+(?:of|de|del)\s+(?:{_TITLE}\s+)?",
            _PATIENT,
            "",
        ),
        (rf"\bde parte (?:de|del)\s+(?:(?:la|el)\s+)?(?:{_TITLE}\s+)?", _PATIENT, ""),
        (
            r"\b(?:surname|last name|family name|apellido)\s*(?:is|'s|es)?\s*(?:it's\s+)?",
            _SELF,
            "last",
        ),
        (r"\b(?:first name|nombre de pila)\s*(?:is|'s|es)\s+", _SELF, "first"),
        (
            r"\b(?:my name is|my name's|the name is|name's|name is|names|the name on it is|"
            r"this is|it's|it is|i'm|i am|im|call me|under the name(?: of)?|"
            r"me llamo|mi nombre es|soy|le habla|habla|a nombre de|al nombre de)\s+",
            _SELF,
            "",
        ),
        (r"\b(?:under)\s+", _SELF, "last"),
        (r"^(?:no,?\s+|sí,?\s+)?es\s+", _SELF, ""),
    )
)
# What an agent says before a name it repeats back.
_AGENT_CUES = re.compile(
    rf"\b(?:thanks|thank you|gracias|lovely|sorry(?: about that)?|perdón|sure|okay|ok|"
    r"hi|hello|got it|great|will do|bye|so that's|is that|that's|for|for you|"
    rf"{_TITLE}),?\s+",
    re.IGNORECASE,
)
_NAME_QUESTION = re.compile(
    r"\b(?:your name|a name|the name|name (?:for|on) the|who am i speaking|who i'm speaking|"
    r"who's calling|who is calling|patient's name|first name|surname|last name|"
    r"su nombre|nombre|con quién hablo|con quien hablo|cómo se llama|como se llama|apellido)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|morning|good morning|good afternoon|good evening|hola|buenas|"
    r"buenos días|buenas tardes)[,!.]?\s+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:(?:sure|yes|yeah|yep|ok|okay|um|uh|er|erm|sí|si|claro|vale|it's|it is|es|soy|"
    r"that's|that is|con)[,.]?\s+)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")
# Letters said one by one: "s-m-i-t-h", "p h i double l i p s", "R-E-I-D".
_LETTER = r"(?:double\s+|doble\s+)?(?<![\w'’])[a-zA-ZñÑ](?![\w'’])"
_SPELLED = re.compile(rf"{_LETTER}(?:[\s.,-]+{_LETTER}){{2,}}")
_NEGATED = re.compile(r"\b(?:not|no)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Gazetteer:
    first: frozenset[str]
    last: frozenset[str]
    ordinary: frozenset[str]

    def known(self, word: str) -> bool:
        key = fold(word)
        return key in self.first or key in self.last

    def unambiguous(self, word: str) -> bool:
        key = fold(word)
        return self.known(word) and key not in self.ordinary and key not in _STOP_FOLDED


def fold(word: str) -> str:
    """Lower case without accents: "Díaz" and "diaz" are one name."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STOP_FOLDED = frozenset(fold(w) for w in _STOP)
# Words of _STOP that are first names too: names where they are written with a capital
# after a cue or in mid-sentence.
_SOFT_STOP = frozenset({"will", "may", "june", "april", "august", "don", "sol", "rosa"})
_MONTH_NAMES = frozenset({"may", "june", "april", "august"})  # "come in May": a month
# Ordinary words that are also surnames: names only where the context says so.
_ORDINARY = """
    long short young old new best brown white black gray grey green rich little small big
    park hill wood field brook house lane close court place way king price grant hope joy
    rose may will mark bill frank sunny summer winter page ball church hall rock stone
""".split()  # noqa: SIM905


@cache
def gazetteer() -> Gazetteer:
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attribute, target in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
        ):
            names = getattr(provider, attribute, None)
            if isinstance(names, list | tuple | dict):
                target.update(fold(name) for name in names if isinstance(name, str))
    lorem = importlib.import_module("faker.providers.lorem.en_US").Provider
    ordinary = {fold(word) for word in lorem.word_list} | {fold(w) for w in _ORDINARY}
    return Gazetteer(first=frozenset(first), last=frozenset(last), ordinary=frozenset(ordinary))


def _nameish(word: str, *, cased: bool) -> bool:
    """Could this word be part of a name where a cue says a name follows?"""
    key = fold(word)
    if key in _SOFT_STOP and cased and word[:1].isupper():
        return True  # "I'm Will", "this is May"
    if key in _STOP_FOLDED or len(key) < 2 or (word.isupper() and len(word) <= 3 and cased):
        return False
    g = gazetteer()
    if g.known(word):
        return True
    return not (key.endswith(("ing", "ed")) or key in g.ordinary)


def _take(text: str, start: int, *, limit: int = 4) -> list[tuple[int, int, str]]:
    """The name words at text[start:], stopping at punctuation or a word that is no name.
    Where the line has capitals, a lower-case word is no name unless the gazetteer knows it
    ("this is unacceptable")."""
    cased = text != text.lower()
    taken = _take_words(text, start, limit=limit, cased=cased)
    # "I'm Chloe, Chloe Adams", "under Kowalski, Anna Kowalski": the name again, in full.
    if taken:
        again = re.match(r"[,.]\s+", text[taken[-1][1] :])
        if again:
            more = _take_words(text, taken[-1][1] + again.end(), limit=limit, cased=cased)
            said = {fold(word) for _, _, word in taken}
            if len(more) > len(taken) and said <= {fold(word) for _, _, word in more}:
                return more
    return taken


def _take_words(text: str, start: int, *, limit: int, cased: bool) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int, str]] = []
    title = re.match(rf"{_TITLE}\s+", text[start:], re.IGNORECASE)
    if title:  # "my name's Dr. Amina Yusuf", "for my grandmother, Mrs Edna Pilkington"
        start += title.end()
    position = start
    for match in _WORD.finditer(text, start):
        between = text[position : match.start()]
        if between.strip() or (taken and len(between) > 2):
            break
        word = match.group(0)
        if not _nameish(word, cased=cased):
            break
        if cased and word == word.lower() and not gazetteer().known(word):
            break
        taken.append((match.start(), match.end(), word))
        position = match.end()
        if len(taken) == limit:
            break
    return taken


def spelled_words(text: str) -> list[tuple[int, int, str]]:
    """Names spelled letter by letter, assembled: (start, end, "phillips")."""
    found = []
    for match in _SPELLED.finditer(text):
        letters = []
        repeat = 1
        for part in re.findall(r"double|doble|[a-zA-ZñÑ]", match.group(0), re.IGNORECASE):
            if part.lower() in ("double", "doble"):
                repeat = 2
                continue
            letters.append(part.lower() * repeat)
            repeat = 1
        found.append((match.start(), match.end(), "".join(letters)))
    return found


def _title(word: str) -> str:
    return word if word != word.lower() else "-".join(p.title() for p in word.split("-"))


@dataclass
class _Name:
    words: list[str] = field(default_factory=list)
    priority: int = 0
    last_only: bool = False

    def offer(self, words: list[str], *, priority: int, role: str = "") -> None:
        if not words:
            return
        words = [_title(w) for w in words]
        if role == "last" and len(words) == 1:
            if self.words and not self.last_only and priority >= self.priority - 1:
                self.words = [*self._firsts(), words[0]]
            elif not self.words or priority >= self.priority:
                self.words, self.last_only, self.priority = words, True, priority
            return
        if role == "first" and len(words) == 1:
            if self.last_only:
                self.words, self.last_only = [words[0], *self.words], False
            elif self.words and priority >= self.priority - 1:
                self.words = [words[0], *self.words[1:]]
            else:
                self.words, self.priority = words, priority
            return
        if len(words) == 1 and self.words:
            similar = self._similar(words[0])
            if similar is not None:
                self.words[similar] = words[0]
                return
            if self.last_only and priority >= self.priority - 1:
                self.words, self.last_only = [words[0], *self.words], False
                return
        if priority >= self.priority or not self.words:
            if len(words) == 1 and self.words and priority == self.priority:
                return  # a lone new word does not replace a whole name at the same level
            self.words, self.priority, self.last_only = words, priority, False

    def spelled(self, word: str, *, surname: bool) -> None:
        similar = self._similar(word)
        if similar is not None:
            self.words[similar] = _title(word)
        elif surname:
            self.offer([word], priority=self.priority or _SELF, role="last")
        elif not self.words:
            self.offer([word], priority=_BARE)
        elif len(self.words) == 1:
            self.words.append(_title(word))

    def _firsts(self) -> list[str]:
        return self.words[:-1] if len(self.words) > 1 else self.words

    def _similar(self, word: str) -> int | None:
        best = None
        for index, existing in enumerate(self.words):
            score = fuzz.ratio(fold(existing), fold(word))
            if score >= 60 and (best is None or score > best[0]):
                best = (score, index)
        return best[1] if best else None


def _cue_names(text: str) -> list[tuple[int, str, list[tuple[int, int, str]]]]:
    """(priority, role, words) for each cue in a caller's line, in order of position."""
    found: list[tuple[int, int, str, list[tuple[int, int, str]]]] = []
    claimed: set[int] = set()
    for pattern, priority, role in _CUES:
        for match in pattern.finditer(text):
            words = _take(text, match.end())
            if not words or words[0][0] in claimed:
                continue
            if _NEGATED.search(text[: match.start()]):
                continue
            claimed.add(words[0][0])
            found.append((match.end(), priority, role, words))
    greeting = _GREETING.match(text)
    if greeting:
        words = _take(text, greeting.end())
        titled = re.match(rf"{_TITLE}\s", text[greeting.end() :], re.IGNORECASE)
        first = bool(words) and fold(words[0][2]) in gazetteer().first
        if words and words[0][0] not in claimed and (first or titled):
            found.append((greeting.end(), _SELF, "", words))
    found.sort(key=lambda item: item[0])
    return [(priority, role, words) for _, priority, role, words in found]


def _bare_answer(question: str, answer: str) -> tuple[str, list[tuple[int, int, str]]] | None:
    if not _NAME_QUESTION.search(question):
        return None
    filler = _FILLER.match(answer)
    start = filler.end() if filler else 0
    words = _take(answer, start)
    rest = answer[words[-1][1] :] if words else answer
    if not words or re.search(r"\w", rest.split(".")[0]):
        return None
    asked = question.lower()
    if re.search(r"\b(?:first name|nombre de pila)\b", asked):
        role = "first"
    elif re.search(r"\b(?:surname|last name|apellido)\b", asked):
        role = "last"
    else:
        role = ""
    return role, words


def caller_name_find(lines: Sequence[Line], tools: Iterable[ToolCall] = ()) -> str:
    """The name of the person the call is about: the caller's, or the patient's they call
    for; the last correction wins; spelled names assembled. "" when none was given."""
    name = _Name()
    previous_agent = ""
    for line in lines:
        if line.speaker != "caller":
            previous_agent = line.text
            continue
        text = line.text
        bare = _bare_answer(previous_agent, text)
        if bare is not None:
            role, words = bare
            name.offer(
                [w for _, _, w in words], priority=_BARE if not name.words else _SELF, role=role
            )
        else:
            for priority, role, words in _cue_names(text):
                name.offer([w for _, _, w in words], priority=priority, role=role)
        surname_cue = re.search(r"\b(?:surname|last name|apellido)\b", text, re.IGNORECASE)
        for start, _, word in spelled_words(text):
            if not _NEGATED.search(text[:start]):
                name.spelled(word, surname=bool(surname_cue))
        previous_agent = ""
    if not name.words:
        for tool in tools:
            customer = tool.arguments.get("customer")
            name_given = customer.get("name") if isinstance(customer, dict) else None
            if isinstance(name_given, str) and name_given.strip():
                return name_given.strip()
    return " ".join(name.words)


def names_mentioned(lines: Sequence[Line], tools: Iterable[ToolCall] = ()) -> list[str]:
    """Every name anyone said in the call or sent to a tool (for redaction), in order."""
    found: list[str] = []
    previous_agent = ""
    for line in lines:
        text = line.text
        groups: list[list[tuple[int, int, str]]] = []
        if line.speaker == "caller":
            bare = _bare_answer(previous_agent, text)
            if bare is not None:
                groups.append(bare[1])
            groups += [words for _, _, words in _cue_names(text)]
            previous_agent = ""
        else:
            previous_agent = text
            for match in _AGENT_CUES.finditer(text):
                words = _take(text, match.end(), limit=3)
                if words and (gazetteer().known(words[0][2]) or words[0][2][0].isupper()):
                    groups.append(words)
        groups += [[spelled] for spelled in spelled_words(text)]
        for group in groups:
            found += [word for _, _, word in group]
    for tool in tools:
        for payload in (tool.arguments, tool.result):
            customer = payload.get("customer") if isinstance(payload, dict) else None
            if isinstance(customer, dict) and isinstance(customer.get("name"), str):
                found += customer["name"].split()
    unique: list[str] = []
    for word in found:
        word = word.strip(".,'’")
        if len(word) >= 2 and fold(word) not in _STOP_FOLDED and word not in unique:
            unique.append(word)
    return unique


def name_spans(text: str, *, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where names stand in one line of text: known names (said earlier in the call),
    cue-led names, spelled names, titles' names, and gazetteer names (an ordinary word
    that is also a name only where capitals or a neighbouring name say so)."""
    g = gazetteer()
    known_folded = {fold(word) for name in known for word in name.split() if len(word) >= 2}
    known_folded -= _STOP_FOLDED
    spans: list[tuple[int, int]] = []
    words = [m for m in _WORD.finditer(text) if not text[: m.start()].endswith("[")]
    cased = text != text.lower()
    masked = [False] * len(words)
    sentence_start = _sentence_starts(text, words)
    for index, match in enumerate(words):
        word = match.group(0)
        key = fold(word)
        if (
            key in known_folded
            or any(fold(p) in known_folded for p in word.split("-"))
            or g.unambiguous(word)
            or (
                g.known(word)
                and cased
                and word[0].isupper()
                and not sentence_start[index]
                and (key not in _STOP_FOLDED or key in _SOFT_STOP - _MONTH_NAMES)
            )
        ):
            masked[index] = True
    # A title's next word; an ordinary-word name next to a name; an unknown word after a
    # first name ("marcus oyelaran").
    for index, match in enumerate(words):
        if masked[index]:
            continue
        word = match.group(0)
        key = fold(word)
        before = words[index - 1] if index else None
        gap = text[before.end() : match.start()] if before else ""
        close = before is not None and re.fullmatch(r"\.?\s{1,2}", gap) is not None
        if before is not None and close and re.fullmatch(_TITLE, before.group(0), re.IGNORECASE):
            masked[index] = key not in _STOP_FOLDED
        elif close and masked[index - 1] and key not in _STOP_FOLDED:
            after_first_name = fold(words[index - 1].group(0)) in g.first
            unknown = key not in g.ordinary and len(key) >= 3
            masked[index] = g.known(word) or (unknown and after_first_name)
    for index in range(len(words) - 2, -1, -1):
        word = words[index].group(0)
        gap = text[words[index].end() : words[index + 1].start()]
        if not masked[index] and masked[index + 1] and gap == " " and g.known(word):
            masked[index] = fold(word) not in _STOP_FOLDED
    spans += [(m.start(), m.end()) for m, hide in zip(words, masked, strict=True) if hide]
    for _, _, cue_words in _cue_names(text):
        spans += [(start, end) for start, end, _ in cue_words]
    for match in _AGENT_CUES.finditer(text):
        cue_words = _take(text, match.end(), limit=3)
        if cue_words and (g.known(cue_words[0][2]) or cue_words[0][2][0].isupper()):
            spans += [(start, end) for start, end, _ in cue_words]
    spans += [(start, end) for start, end, _ in spelled_words(text)]
    return _merged(spans)


def _sentence_starts(text: str, words: list[re.Match[str]]) -> list[bool]:
    starts = []
    for index, match in enumerate(words):
        before = text[words[index - 1].end() : match.start()] if index else text[: match.start()]
        starts.append(index == 0 or bool(re.search(r"[.!?¿¡:]", before)))
    return starts


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
