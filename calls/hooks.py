"""What happens after calls change, beyond the live views: the one place other concerns
attach to ingest (issue 4's post-call analysis extends `calls_ended`).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def calls_ended(*, call_ids: list[int]) -> None:
    """Called once the transaction that moved these calls (pks) to `ended` has committed.

    Runs inside the ingest request after commit: queue work here (Celery), don't do it.
    """
    # Issue 4: the post-call analysis. A broker hiccup must not fail an ingest that has
    # already committed; calls_analysis_sweep (beat) picks up any call left unanalysed.
    from calls.tasks import calls_analysis_queue

    try:
        calls_analysis_queue(call_pks=call_ids)
    except Exception:
        logger.exception("Could not queue the analysis of calls %s", call_ids)
