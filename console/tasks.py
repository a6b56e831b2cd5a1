"""Celery beat tasks of the trial and the affiliate program; each is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from console.affiliates import services as affiliates
from console.billing import trials
from console.onboarding.tasks import practice_call_place  # noqa: F401 (registered with the worker)


@shared_task(name="console.tasks.trials_expire")
def trials_expire() -> int:
    return trials.trials_expire()


@shared_task(name="console.tasks.trial_reminders_send")
def trial_reminders_send() -> int:
    return trials.trial_reminders_send()


@shared_task(name="console.tasks.commissions_approve")
def commissions_approve() -> int:
    return affiliates.commissions_approve()
