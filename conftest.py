"""Shared personas and helpers for every app's tests.

Personas (DESIGN.md): an owner, a manager, a front-desk user of the salon, an outsider who
belongs to another business, and platform staff. Data is made through the services.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from console.tenancy.apikeys import api_key_create
from console.tenancy.models import Business, Role, User
from console.tenancy.services import business_create, membership_add, user_create

PASSWORD = "correct-horse-battery-staple"
ROOT = Path(__file__).resolve().parent


def pytest_configure(config: Any) -> None:
    """Test users' passwords are hashed with MD5: a real PBKDF2 hash costs about a second
    per user on these machines. The servers and workers the tests start read the same from
    FAST_PASSWORD_HASHER (console/settings.py), so a test user can sign in there too."""
    os.environ["FAST_PASSWORD_HASHER"] = "1"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    for item in items:
        if "postgres" in item.keywords and not settings.USING_POSTGRES:
            item.add_marker(skip_pg)
        if (
            "redis" in item.keywords or "celery_worker" in item.keywords
        ) and not settings.REDIS_URL:
            item.add_marker(skip_redis)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> Iterator[None]:
    """pytest-django's, and before the test database is dropped: async tests run their ORM
    calls (sync_to_async) in asgiref's one shared thread, whose connection would otherwise
    outlive the tests and keep PostgreSQL from dropping the database."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


@pytest.fixture(autouse=True)
def _signups_unlimited(settings: Any) -> None:
    """The sign-up limit counts in the cache, which outlives a test; the tests of the limit
    set one (console/tests/test_signup_limit.py)."""
    settings.SIGNUP_RATE = None


@pytest.fixture(autouse=True)
def _celery_eager(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tasks run in-process unless a test asks for a real worker (`celery_worker` marker)."""
    from console.celery import app

    eager = "celery_worker" not in request.keywords
    before = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = before


def make_user(email: str, *, staff: bool = False) -> User:
    user = user_create(email=email, password=PASSWORD)
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def make_business(
    name: str, owner: User, *, kind: str = "salon", tz: str = "America/New_York", prefix: str = "GB"
) -> Business:
    return business_create(
        name=name, kind=kind, timezone_name=tz, prefix=prefix, owner=owner, trial_days=None
    )


@pytest.fixture
def owner(db: None) -> User:
    return make_user("owner@salon.test")


@pytest.fixture
def business(owner: User) -> Business:
    return make_business("Salon One", owner)


@pytest.fixture
def manager(business: Business, owner: User) -> User:
    user = make_user("manager@salon.test")
    membership_add(business=business, user=user, role=Role.MANAGER, by=owner)
    return user


@pytest.fixture
def front_desk(business: Business, owner: User) -> User:
    user = make_user("desk@salon.test")
    membership_add(business=business, user=user, role=Role.FRONT_DESK, by=owner)
    return user


@pytest.fixture
def other_owner(db: None) -> User:
    return make_user("owner@other.test")


@pytest.fixture
def other_business(other_owner: User) -> Business:
    return make_business(
        "Other Clinic", other_owner, kind="clinic", tz="Europe/London", prefix="OC"
    )


@pytest.fixture
def outsider(other_business: Business, other_owner: User) -> User:
    """Front desk of another business: must never see ours."""
    user = make_user("outsider@other.test")
    membership_add(business=other_business, user=user, role=Role.FRONT_DESK, by=other_owner)
    return user


@pytest.fixture
def platform_staff(db: None) -> User:
    return make_user("staff@platform.test", staff=True)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A Django test client signed in as `user` (working in their first business)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for() -> Callable[..., APIClient]:
    """`api_client_for(business, "ingest", "admin")`: an API client with a fresh key."""

    def make(business: Business, *scopes: str) -> APIClient:
        created = api_key_create(business=business, name="test key", scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {created.secret}")
        client.api_key = created.api_key  # type: ignore[attr-defined]
        return client

    return make


def env_on_test_database() -> dict[str, str]:
    """The environment for a subprocess (server, worker) that must use this test database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "console.settings", "SIMULATE": "0"}
    db = connection.settings_dict
    if settings.USING_POSTGRES:
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{auth}{host}:{port}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    return env


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery -A console worker` on Redis, working on this test database.

    Tests using it are marked `celery_worker` (and so run only with REDIS_URL) and see only
    committed data, hence transactional_db. Messages go to the log and locmem backends.
    """
    env = {
        **env_on_test_database(),
        "REDIS_URL": settings.REDIS_URL,
        "CHANNELS_PREFIX": settings.CHANNELS_PREFIX,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SMS_BACKEND": "bookings.sms.ConsoleBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "console",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def websocket_headers(user: User) -> list[tuple[bytes, bytes]]:
    """Headers for a Channels WebsocketCommunicator: `user`'s session cookie and our origin."""
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1")]
