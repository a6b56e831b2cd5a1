"""Celery tasks of the calls app. Tasks take ids, refetch, call one service, own retries."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from calls.analysis.pipeline import call_analyze

SWEEP_WINDOW = timedelta(days=1)


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    acks_late=True,
)
def call_analysis_task(self: object, call_pk: int) -> int | None:
    """Analyse one ended call. Idempotent: a retry or a second run rewrites the same row."""
    analysis = call_analyze(call_pk=call_pk)
    return analysis.pk if analysis is not None else None


def calls_analysis_queue(*, call_pks: list[int]) -> None:
    for pk in call_pks:
        call_analysis_task.delay(pk)


@shared_task
def calls_analysis_sweep() -> int:
    """Queue ended calls that have no analysis by the current analyzer yet (a lost queue
    message, a worker that was down). Beat runs it; harmless when there is nothing to do."""
    from calls.analysis.pipeline import calls_unanalysed

    # Calls that ended in the last two minutes are most likely being analysed right now. A
    # lost task shows within hours: older calls with no analysis by the configured engine
    # (after a new version, or ANALYSIS_ENGINE=llm, which would send them all to the model)
    # are for `manage.py analyze_calls --pending`, run on purpose.
    now = timezone.now()
    pks = calls_unanalysed(
        ended_before=now - timedelta(minutes=2), ended_after=now - SWEEP_WINDOW, limit=500
    )
    calls_analysis_queue(call_pks=pks)
    return len(pks)
