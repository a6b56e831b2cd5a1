"""The Celery app. Eager (in-process) without REDIS_URL; a worker and beat with it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

app = Celery("console")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task's queue wait and run time, from Celery's signals (connected on import).
from console.observability import celery_signals  # noqa: E402, F401
