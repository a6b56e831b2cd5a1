"""The calls app's models, a module per concern (Django loads them from this package):
the calls as the gateway reports them, their live alerts, and their analysis and review."""

from calls.models.alert import CallAlert  # noqa: F401
from calls.models.analysis import (  # noqa: F401
    INTENTS,
    SENTIMENTS,
    URGENCIES,
    CallAnalysis,
    CallNote,
    CallReview,
    effective_fields,
)
from calls.models.call import (  # noqa: F401
    Call,
    CallEvent,
    EncryptedJSONField,
    ToolInvocation,
    TranscriptSegment,
    TurnMetric,
)
