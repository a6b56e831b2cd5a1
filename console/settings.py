"""Settings for every environment, read from the environment.

Embedded defaults serve on a laptop: SQLite under var/, the in-memory channel layer and
eager Celery. DATABASE_URL and REDIS_URL switch to PostgreSQL, channels-redis and Celery on
Redis. DJANGO_ENV=production turns on the deployment checks and refuses an unsafe start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration as CeleryGuidIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SECRET_KEY: at least 50 random characters."
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Links in SMS and email; unset, they point at the port `make run` / `serve` listens on.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "django_ratelimit",
    "django_guid",
    "csp",
    "console",
    "bookings",
    "calls",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "console.observability.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "console.api.json_replies.ApiJsonRepliesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "console.api.middleware.ApiBodyLimitMiddleware",
    "console.http.nul_input.NulInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.tenancy.access.CurrentBusinessMiddleware",
    "axes.middleware.AxesMiddleware",
    "console.privacy.no_store.NoStoreMiddleware",
]

# --- Browser policies (django-csp, django-permissions-policy) -------------------------------
# Scripts and styles only from our own origin (htmx and its ws extension come from
# django-htmx's static files); the one inline script (the trial page's time zone guess) has
# the request's nonce. Style attributes stay allowed (style-src-attr): the appointment
# book positions its blocks with CSS variables in them. No form-action: the checkout's
# form redirects to Stripe.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],  # also ws:/wss: to this host (CSP Level 3)
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Nothing here needs a camera, a microphone or the rest: refuse them to every frame.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "console.urls"
ASGI_APPLICATION = "console.asgi.application"
WSGI_APPLICATION = "console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "console.tenancy.access.business_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    # Under ASGI each request's sync code runs in a thread of its own, so persistent
    # per-thread connections pile up ("too many clients"): the ASGI server's processes
    # (deploy/gunicorn.conf.py) set DB_POOL_SIZE and use psycopg's pool instead.
    if env_int("DB_POOL_SIZE", 0) > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("DB_POOL_SIZE", 0),
            "timeout": 10,
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(VAR_DIR / "db.sqlite3"),
            # A file, not memory, so that a live server in another process (browser tests)
            # sees what the test wrote.
            "TEST": {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"},
            "OPTIONS": {
                # Writers queue for the lock at BEGIN instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# Covering indexes (INCLUDE columns) exist on PostgreSQL only; SQLite keeps the key columns.
SILENCED_SYSTEM_CHECKS = [] if USING_POSTGRES else ["models.W040"]
# django-ratelimit lists the cache backends it knows: Django's own RedisCache (atomic INCR) is
# not among them; the local-memory cache is right for the embedded setup's one process.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001", "django_ratelimit.E003"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery, cache ------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CHANNELS_PREFIX = env_str("CHANNELS_PREFIX", "console")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": CHANNELS_PREFIX,
                "capacity": env_int("CHANNELS_CAPACITY", 1000),
                "expiry": 30,
            },
        }
    }
    if env_str("CHANNELS_BACKEND", "pubsub") == "pubsub":
        # The channel layer carries only the rare access changes (console.tenancy.sockets); live
        # updates go through console.live.fanout (its own Redis pub/sub, one decode per
        # process). Live messages are hints either way: pages redraw from the database.
        CHANNEL_LAYERS["default"] = {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": CHANNELS_PREFIX},
        }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNELS_PREFIX,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "console")
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{CHANNELS_PREFIX}:celery:"}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# The trial and the affiliate program (console/tasks.py): hourly, each task is idempotent.
CELERY_BEAT_SCHEDULE["trials-expire"] = {"task": "console.tasks.trials_expire", "schedule": 3600}
CELERY_BEAT_SCHEDULE["trial-reminders"] = {
    "task": "console.tasks.trial_reminders_send",
    "schedule": 3600,
}
CELERY_BEAT_SCHEDULE["commissions-approve"] = {
    "task": "console.tasks.commissions_approve",
    "schedule": 3600,
}
# Appointment reminders 24 h ahead, and a retry of outbox messages whose task was lost.
CELERY_BEAT_SCHEDULE["booking-reminders"] = {
    "task": "bookings.tasks.reminders_send",
    "schedule": 300,
}
# The waitlist: the next in line for an offer that ran out, should its countdown be lost.
CELERY_BEAT_SCHEDULE["waitlist-sweep"] = {
    "task": "bookings.tasks.waitlist_sweep",
    "schedule": 60,
}
# Idempotency-Key records are kept a week: retries come within minutes.
CELERY_BEAT_SCHEDULE["idempotency-prune"] = {
    "task": "bookings.tasks.idempotency_prune",
    "schedule": 3600,
}
# Post-call analysis of any ended call whose queued task was lost (calls/tasks.py).
CELERY_BEAT_SCHEDULE["calls-analysis-sweep"] = {
    "task": "calls.tasks.calls_analysis_sweep",
    "schedule": 300,
}

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "console.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Tests (and the servers they start) hash with MD5: a real PBKDF2 hash costs ~1 s per test
# user here. Never honoured in production.
if env_bool("FAST_PASSWORD_HASHER") and not PRODUCTION:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
# Locked: an account from one address, and an account from any addresses (a guesser
# spreading attempts over many addresses); each after AXES_FAILURE_LIMIT failures.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "console.privacy.client_address.client_ip"
# Reverse proxies in front that append to X-Forwarded-For (console.privacy.client_address).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# New trials and affiliate accounts per client address (django-ratelimit: "5/h", "20/d"; an
# empty value turns the limit off).
SIGNUP_RATE = env_str("SIGNUP_RATE", "5/h") or None
# Password-reset emails per client address and per email asked about
# (console/tenancy/password_reset_limit.py).
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "5/h") or None
# Bad signatures audited per voice-platform connector (calls.connectors); beyond it, 429
# without an audit row, so an unauthenticated flood cannot fill the audit log.
CONNECTOR_BAD_SIGNATURE_RATE = env_str("CONNECTOR_BAD_SIGNATURE_RATE", "60/m") or None
AXES_VERBOSE = False

# --- Billing (Stripe) ------------------------------------------------------------------
# Without STRIPE_SECRET_KEY the console says billing is not configured. STRIPE_API_BASE
# points the stripe library elsewhere (tests run a stand-in on localhost).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")

# --- Call analysis --------------------------------------------------------------------
# offline: the embedded engine (calls.analysis). llm: an OpenAI-compatible chat endpoint
# (OpenAI, Azure OpenAI's v1 API, vLLM, Ollama) answers, the offline engine's safety layer
# stays on top and its result is the fallback on any failure (calls/analysis/engines.py).
ANALYSIS_ENGINE = env_str("ANALYSIS_ENGINE", "offline")
if ANALYSIS_ENGINE not in {"offline", "llm"}:
    raise ImproperlyConfigured("ANALYSIS_ENGINE must be offline or llm.")
LLM_BASE_URL = env_str("LLM_BASE_URL", "https://api.openai.com/v1")
LLM_MODEL = env_str("LLM_MODEL", "gpt-4o-mini")
LLM_API_KEY = env_str("LLM_API_KEY")
# Per attempt; an analysis waits at most (1 + retries) x timeout plus the backoff between.
LLM_TIMEOUT_S = env_float("LLM_TIMEOUT_S", 20.0)
LLM_MAX_RETRIES = max(0, min(5, env_int("LLM_MAX_RETRIES", 2)))
if ANALYSIS_ENGINE == "llm" and not (LLM_BASE_URL and LLM_MODEL and LLM_API_KEY):
    raise ImproperlyConfigured(
        "ANALYSIS_ENGINE=llm needs LLM_BASE_URL, LLM_MODEL and LLM_API_KEY "
        "(a server that takes no key accepts any value)."
    )

# --- Email and SMS -------------------------------------------------------------------
# Development prints emails; production sends them (SMTP): never reset links in the logs.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Console <no-reply@localhost>")
# SMS (bookings/sms.py): the log in development, Twilio in production.
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "bookings.sms.TwilioBackend" if PRODUCTION else "bookings.sms.ConsoleBackend",
)
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")

# --- Personal data at rest ------------------------------------------------------------
# Fernet keys, newest first; older keys still decrypt until `manage.py rotate_keys`.
_DEV_FIELD_KEY = "3q2-7wFwVtmz1yC9Cv6nYQnNLgk7gpnK7Pq9ySOpQ1Y="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [] if PRODUCTION else [_DEV_FIELD_KEY])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("DJANGO_ENV=production needs FIELD_ENCRYPTION_KEYS.")
# Keyed hash for equality lookups on encrypted values (phone numbers); never rotated
# without re-indexing.
_DEV_HASH_KEY = "dev-only-blind-index-key"
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY", "" if PRODUCTION else _DEV_HASH_KEY)
if not FIELD_HASH_KEY:
    raise ImproperlyConfigured("DJANGO_ENV=production needs FIELD_HASH_KEY.")
# The development keys are printed above, for anyone to read: production refuses them.
if PRODUCTION and _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production refuses the development key in FIELD_ENCRYPTION_KEYS: "
        "generate one with Fernet.generate_key()."
    )
if PRODUCTION and FIELD_HASH_KEY == _DEV_HASH_KEY:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production refuses the development FIELD_HASH_KEY: set a random one."
    )

# --- API ------------------------------------------------------------------------------
API_MAX_BODY_BYTES = 1024 * 1024

# How long the front desk may take back a status change (a mis-tapped no-show), in minutes.
STATUS_UNDO_MINUTES = env_int("STATUS_UNDO_MINUTES", 10)
# Concurrent call-event requests of one process share a transaction (calls.ingest.group_commit).
INGEST_GROUP_COMMIT = env_bool("INGEST_GROUP_COMMIT", True)
# How long a waitlist offer stays open before the next client in line is offered the time.
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 15)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["console.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["console.api.permissions.HasScope"],
    "DEFAULT_PARSER_CLASSES": ["console.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "console.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "console.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "console.api.exception_handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["console.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env_str("API_RATE_LIMIT", "6000/min")},
    "UNAUTHENTICATED_USER": None,
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Voice agent console API",
    "DESCRIPTION": "Call events, the voice agent's booking tools and the appointment book.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI's assets come from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- I18n, time, static -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Operations: logs, metrics, errors ----------------------------------------------------
# Logs are JSON lines in production (LOG_FORMAT=json; text on a laptop), each carrying the
# request's id: the proxy's X-Request-ID when it sends one (nginx's $request_id), else a new
# one, returned in the reply and carried into the Celery tasks the request queued.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryGuidIntegration(use_django_logging=True, log_parent=True)],
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "correlation_id": "request_id",
            },
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "django_guid": {"level": "WARNING"},
        # Eager Celery (no Redis) would log every task it runs inline.
        "celery.app.trace": {"level": "WARNING"},
        # The model client's debug lines carry request details: never the transcript or key.
        "openai": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpcore2": {"level": "WARNING"},
    },
}

# Prometheus at /metrics for a scraper sending `Authorization: Bearer <METRICS_TOKEN>`; unset,
# /metrics is a 404. Several processes per host (gunicorn workers, the Celery worker): give
# them one PROMETHEUS_MULTIPROC_DIR (see README).
METRICS_TOKEN = env_str("METRICS_TOKEN")
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from console.observability.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
