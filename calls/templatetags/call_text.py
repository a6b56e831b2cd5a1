"""How spoken text is shown on live pages: redacted, for every role.

The original transcript is shown only on the review page, to those who may ask for it, and
each look is audited (DESIGN.md: personal data is shown redacted unless a permitted user asks).
"""

from __future__ import annotations

from django import template

from calls.analysis.redact import text_redact

register = template.Library()


@register.filter
def redacted(text: str | None) -> str:
    return text_redact(text) if text else ""
