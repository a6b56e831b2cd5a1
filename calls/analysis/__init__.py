"""The post-call analysis: redact → red flags → sentiment → intent → slots → urgency →
lead score → escalation.

Each step is a module with one plain function taking a `CallInput` (or the previous steps'
outputs) and returning a small frozen dataclass, so a model-backed analyzer can replace one
step without touching the others. pipeline.py runs them and stores one CallAnalysis row per
call and ANALYZER_VERSION.
"""

ANALYZER_VERSION = "offline-2"
