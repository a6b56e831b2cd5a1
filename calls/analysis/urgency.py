"""How soon the caller needs us: low, normal, high or emergency (CONTRACTS §3).

In: the caller's lines, the intent and the red flags. Out: the urgency label. Any red flag
makes it `emergency`, whatever else was said; otherwise words of haste (English and Spanish)
make a request `high`, and questions, wrong numbers or "no rush" make it `low`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from calls.analysis.red_flags import RedFlag

URGENCIES = ("low", "normal", "high", "emergency")

_HIGH = re.compile(
    r"\b(urgent\w*|asap|as soon as possible|right away|immediately|today|tonight|this morning|"
    r"this afternoon|in the next hour|in (a lot of )?pain|really hurts|emergency|can't wait|"
    r"getting worse|before (my|a|the) (date|wedding|interview)|"
    r"urgente|hoy|esta (noche|tarde|mañana)|cuanto antes|lo antes posible|ahora mismo|"
    r"me duele mucho)\b",
    re.IGNORECASE,
)
_LOW = re.compile(
    r"\b(no rush|no hurry|whenever|sometime|some time|next month|in a few weeks|just wondering|"
    r"just curious|not urgent|flexible|just checking|sin prisa|cuando (sea|puedan)|no es urgente)\b",  # noqa: E501
    re.IGNORECASE,
)


def urgency_assess(
    caller_lines: Sequence[str], *, intent: str, red_flags: Sequence[RedFlag]
) -> str:
    if red_flags:
        return "emergency"
    text = "\n".join(caller_lines)
    if _HIGH.search(text) and intent in ("clinical", "complaint", "book", "reschedule"):
        return "high"
    if _LOW.search(text) or intent in ("inquiry", "other"):
        return "low"
    return "normal"
