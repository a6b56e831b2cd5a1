"""gunicorn with uvicorn workers (the `uvicorn-worker` package): the production ASGI server,
used as its authors intend. gunicorn supervises the worker processes (restarts one that dies,
graceful reload on HUP, graceful stop on TERM); each worker is uvicorn on uvloop + httptools.
Balancing across hosts is the reverse proxy's job (deploy/nginx.conf, least_conn).

    gunicorn -c deploy/gunicorn.conf.py console.asgi:application

Environment: HOST (127.0.0.1), PORT (8000), WEB_CONCURRENCY (worker processes, default 1;
with Redis, gunicorn's advice of 2 x cores + 1), DB_POOL_SIZE (connections per worker, 4),
FORWARDED_ALLOW_IPS (the proxy's address).
"""

import os

# Django under ASGI runs each request's sync code in a thread of its own, so per-thread
# persistent connections would pile up: on PostgreSQL each worker process keeps a small
# psycopg pool instead (console.settings, DB_POOL_SIZE).
if os.environ.get("DATABASE_URL"):
    os.environ.setdefault("DB_POOL_SIZE", "4")
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
worker_class = "uvicorn_worker.UvicornWorker"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
if workers > 1 and not os.environ.get("REDIS_URL"):
    # The in-memory channel layer and the in-process live fan-out live in one process.
    raise SystemExit("WEB_CONCURRENCY > 1 needs REDIS_URL (the Redis channel layer).")
# Longer than the proxy's upstream keep-alive, so the proxy closes idle connections first.
keepalive = 75
graceful_timeout = 20
timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker: object) -> None:
    """Embedded (eager Celery, `make run`, the browser tests): this process runs the post-call
    analysis itself, so it loads the analysis model before it takes a request; no request
    waits seconds on a cold load. With a Celery worker the worker loads it (console.celery)."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        from calls.analysis.embedding import model_load

        model_load()
