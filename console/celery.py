"""The Celery app. Eager (in-process) without REDIS_URL; a worker and beat with it."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

app = Celery("console")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task's queue wait and run time, from Celery's signals (connected on import).
from console.observability import celery_signals  # noqa: E402, F401


@worker_process_init.connect
def _analysis_model_load(**_: object) -> None:
    # Each worker process loads the analysis model before its first task (not during it).
    from calls.analysis.embedding import model_load

    model_load()
