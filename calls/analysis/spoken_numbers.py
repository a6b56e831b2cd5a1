"""Numbers as people say them: runs of digits, digit words and number words (English and
Spanish, mixed within one number), read into digits.

"four one five, five five five, oh one, twenty-nine" → 4155550129; "plus forty-four seven
seven double oh ..." → +447700...; "cincuenta y cinco, doce treinta y cuatro" → 551234.
text2num reads the compound words (twenty-nine, cuarenta y cinco, nine hundred); the words
it leaves alone on purpose (a lone "one", "oh", "double") are read here, where a run of
digits makes their meaning clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

_SINGLE = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "cero": "0", "uno": "1", "una": "1", "dos": "2", "tres": "3", "cuatro": "4",
    "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
}  # fmt: skip
_COMPOUND = frozenset(
    """
    ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty
    thirty forty fifty sixty seventy eighty ninety hundred thousand
    diez once doce trece catorce quince dieciseis dieciséis diecisiete dieciocho diecinueve
    veinte veintiuno veintiuna veintidos veintidós veintitres veintitrés veinticuatro
    veinticinco veintiseis veintiséis veintisiete veintiocho veintinueve treinta cuarenta
    cincuenta sesenta setenta ochenta noventa cien ciento doscientos trescientos
    cuatrocientos quinientos seiscientos setecientos ochocientos novecientos mil
    """.split()  # noqa: SIM905
)
_REPEAT = {"double": 2, "triple": 3, "doble": 2}
_PLUS = frozenset({"plus", "más", "mas"})
# Said inside a number without being part of it: "five five... um... zero", "G B dash two".
_FILLERS = frozenset(
    {"um", "umm", "uh", "er", "erm", "eh", "este", "dash", "hyphen", "guion", "guión"}
)
_JOIN = frozenset({"y", "and"})  # "cuarenta y cinco", "one hundred and five"
_NUMBER_KINDS = ("digits", "single", "compound", "repeat")
_LEFT_SINGLE = re.compile(r"\b(?:" + "|".join(_SINGLE) + r")\b")

_TOKEN = re.compile(r"\+|(?<![^\W\d_])\d+(?![^\W\d_])|[^\W\d_]+")
# What may stand between two parts of one number: spaces, commas, hyphens, brackets, dots.
_GAP = re.compile(r"[\s,()\-–.]*")


@dataclass(frozen=True)
class NumberRun:
    start: int
    end: int
    digits: str
    plus: bool  # said or written with a leading "+" / "plus"
    digit_words: int  # how many single-digit words ("five", "oh", "cinco") it holds

    @property
    def international(self) -> str:
        return f"+{self.digits}" if self.plus else self.digits


def _kind(word: str) -> str:
    lowered = word.lower()
    if word.isdigit():
        return "digits"
    if word == "+" or lowered in _PLUS:
        return "plus"
    if lowered in _REPEAT:
        return "repeat"
    if lowered in _SINGLE:
        return "single"
    if lowered in _COMPOUND:
        return "compound"
    if lowered in _JOIN:
        return "join"
    if lowered in _FILLERS:
        return "filler"
    return ""


def number_runs(text: str) -> list[NumberRun]:
    """Every stretch of the text that says a number, in order."""
    tokens = [(m.start(), m.end(), m.group(0), _kind(m.group(0))) for m in _TOKEN.finditer(text)]
    runs: list[NumberRun] = []
    i = 0
    while i < len(tokens):
        group = _run_at(text, tokens, i)
        if group is None:
            i += 1
            continue
        first, last = group
        run = _run_read(text, tokens[first : last + 1])
        if run is not None:
            runs.append(run)
        i = last + 1
    return runs


def _run_at(text: str, tokens: list[tuple[int, int, str, str]], i: int) -> tuple[int, int] | None:
    """The span of tokens of the number starting at token i, or None if none starts there."""
    kind = tokens[i][3]
    if kind in ("", "join"):
        return None
    if kind == "plus" and not (
        i + 1 < len(tokens) and tokens[i + 1][3] in ("digits", "single", "compound")
    ):
        return None
    if kind == "repeat" and not (i + 1 < len(tokens) and tokens[i + 1][3] in ("digits", "single")):
        return None
    last = i
    j = i + 1
    while j < len(tokens):
        gap = text[tokens[j - 1][1] : tokens[j][0]]
        if not _GAP.fullmatch(gap) and not (tokens[j - 1][2] == "+" and gap == ""):
            break
        kind = tokens[j][3]
        if kind in ("digits", "single", "compound", "repeat"):
            last = j
        elif kind == "join" and j + 1 < len(tokens) and tokens[j + 1][3] in ("single", "compound"):
            pass  # part of the number only if a number word follows
        elif kind == "filler" and j + 1 < len(tokens) and tokens[j + 1][3] in _NUMBER_KINDS:
            pass  # a hesitation inside the number
        else:
            break
        j += 1
    # A lone "o"/"oh"/"one"/"una" is a word, not a number.
    if last == i and tokens[i][3] != "digits":
        word = tokens[i][2].lower()
        if word in ("o", "oh", "una", "uno", "one") or tokens[i][3] in ("plus", "repeat"):
            return None
    return i, last


def _run_read(text: str, tokens: list[tuple[int, int, str, str]]) -> NumberRun | None:
    plus = tokens[0][3] == "plus"
    words: list[str] = []
    digit_words = 0
    repeat = 1
    previous_end = None
    for start, end, word, kind in tokens[1:] if plus else tokens:
        # text2num groups "nine hundred, four" apart from "nine hundred four": keep commas.
        if previous_end is not None and "," in text[previous_end:start]:
            words.append(",")
        previous_end = end
        lowered = word.lower()
        if kind == "repeat":
            repeat = _REPEAT[lowered]
            continue
        if kind == "filler":
            continue
        if kind == "single":
            digit_words += 1
            lowered = "zero" if lowered in ("oh", "o") else lowered
        words += [lowered] * repeat
        repeat = 1
    phrase = " ".join(words).replace(" ,", ",")
    for language in ("en", "es"):
        phrase = alpha2digit(phrase, language)
    phrase = _LEFT_SINGLE.sub(lambda m: _SINGLE[m.group(0)], phrase)
    digits = re.sub(r"\D", "", phrase)
    if not digits:
        return None
    return NumberRun(
        start=tokens[0][0],
        end=tokens[-1][1],
        digits=digits,
        plus=plus,
        digit_words=digit_words,
    )
