"""The test call as a Celery task: it takes the business's id and refetches it."""

from __future__ import annotations

from celery import current_app, shared_task
from django.db import transaction

from console.onboarding.practice_call import practice_call_play
from console.tenancy.models import Business


@shared_task(name="console.onboarding.practice_call_place")
def practice_call_place(business_id: int, speed: float = 1.0) -> str:
    business = Business.objects.filter(pk=business_id).first()
    if business is None:
        return ""
    return practice_call_play(business=business, speed=speed)


def practice_call_queue(*, business: Business) -> None:
    """After the request's transaction commits: the task plays the call (in-process with eager
    Celery, all at once; in the worker otherwise, at the pace of a real call)."""
    speed = 0.0 if current_app.conf.task_always_eager else 1.0
    business_id = business.pk
    transaction.on_commit(lambda: practice_call_place.delay(business_id, speed))
