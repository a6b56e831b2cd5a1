"""What happens after calls change, beyond the live views: the one place other concerns
attach to ingest (issue 4's post-call analysis extends `calls_ended`).
"""

from __future__ import annotations


def calls_ended(*, call_ids: list[int]) -> None:
    """Called once the transaction that moved these calls (pks) to `ended` has committed.

    Runs inside the ingest request after commit: queue work here (Celery), don't do it.
    """
    return None
