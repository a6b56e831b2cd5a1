"""Task latency and queue wait for every Celery task, from Celery's own signals.

Connected by console.celery for the worker and the web processes alike: the publisher stamps
when a task was queued (a message header), the worker observes the wait when it starts the task
and the run time when it ends.
"""

from __future__ import annotations

import time
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

from console.observability.metrics import CELERY_TASK_SECONDS, CELERY_TASK_WAIT_SECONDS

QUEUED_AT_HEADER = "console_queued_at"
_started: dict[str, float] = {}


@before_task_publish.connect
def _stamp_queued_at(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is not None:
        headers[QUEUED_AT_HEADER] = time.time()


@task_prerun.connect
def _task_started(task_id: str = "", task: Any = None, **_: Any) -> None:
    _started[task_id] = time.monotonic()
    queued_at = getattr(getattr(task, "request", None), QUEUED_AT_HEADER, None)
    if isinstance(queued_at, int | float) and not getattr(task.request, "is_eager", False):
        CELERY_TASK_WAIT_SECONDS.labels(task.name).observe(max(0.0, time.time() - queued_at))


@task_postrun.connect
def _task_ended(task_id: str = "", task: Any = None, state: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None and task is not None:
        CELERY_TASK_SECONDS.labels(task.name, state or "UNKNOWN").observe(
            time.monotonic() - started
        )
