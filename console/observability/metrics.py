"""The console's Prometheus metrics, one registry for the whole process.

Behind gunicorn each worker is a process of its own: with PROMETHEUS_MULTIPROC_DIR set (the
same directory for the web workers and the Celery worker of one host, emptied when they
start), prometheus_client writes the values to files there and /metrics adds them up; without
it (one process, `make run`), the values live in this process.
"""

from __future__ import annotations

import os

from prometheus_client import Counter, Gauge, Histogram

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# Request latency by route (the URL pattern's name, never the path: ids stay out of labels).
HTTP_REQUEST_SECONDS = Histogram(
    "console_http_request_seconds",
    "Time to answer an HTTP request, by route name, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

INGEST_EVENTS = Counter(
    "console_ingest_events_total",
    "Call events received from gateways, by outcome (accepted, duplicate).",
    ["outcome"],
)

LIVE_SOCKETS = Gauge(
    "console_live_sockets",
    "Open live WebSockets (dashboards, transcripts, appointment books).",
    ["kind"],
    multiprocess_mode="livesum",
)

FANOUT_LAG_SECONDS = Histogram(
    "console_fanout_lag_seconds",
    "From the ingest's commit to the live message written to a dashboard's socket.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

CELERY_TASK_SECONDS = Histogram(
    "console_celery_task_seconds",
    "Time a Celery task ran, by task name and final state.",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

CELERY_TASK_WAIT_SECONDS = Histogram(
    "console_celery_task_wait_seconds",
    "Time a Celery task waited in the queue before a worker started it, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)

ANALYSIS_SECONDS = Histogram(
    "console_analysis_seconds",
    "Time the post-call analysis of one call took, by engine.",
    ["engine"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
