"""Refuse JSON nested too deeply before parsing it.

Python's json module recurses once per level: about 990 levels raise RecursionError (a 500),
and a few hundred inside tool arguments survive parsing only to overflow the stack later
(validation, redaction, storage). No client of ours nests more than a dozen levels, so a
body deeper than MAX_DEPTH is bad input (400), found by a linear scan of the raw bytes.
"""

from __future__ import annotations

import re
from itertools import accumulate, count
from operator import sub

MAX_DEPTH = 64

# A JSON string, escapes included: the brackets inside strings do not nest anything.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Each opening bracket as 2, each closing one as 0: the depth after the n-th bracket
# (1-based) is the sum of the first n values minus n.
_AS_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def json_depth(raw: bytes) -> int:
    """How deeply `raw` nests arrays and objects (0 for a scalar)."""
    brackets = _STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS)
    return max(map(sub, accumulate(brackets.translate(_AS_STEPS)), count(1)), default=0)


def json_too_deep(raw: bytes) -> bool:
    """Deeper than MAX_DEPTH. Most bodies have fewer brackets than that: no scan."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return False
    return json_depth(raw) > MAX_DEPTH
