"""Settings come from the environment: embedded defaults, the production parts, production mode.

Each case imports the settings in a fresh interpreter with a controlled environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from console.celery import app
print(json.dumps({
  "engine": settings.DATABASES["default"]["ENGINE"],
  "db_name": str(settings.DATABASES["default"]["NAME"]),
  "transaction_mode": settings.DATABASES["default"].get("OPTIONS", {}).get("transaction_mode"),
  "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
  "eager": app.conf.task_always_eager,
  "broker": app.conf.broker_url,
  "debug": settings.DEBUG,
}))
"""
SECRET = "x" * 20 + "-production-secret-key-for-the-settings-test-only-0123456789"
PROD_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "console.example.com",
    "FIELD_ENCRYPTION_KEYS": "3q2-7wFwVtmz1yC9Cv6nYQnNLgk7gpnK7Pq9ySOpQ1Y=",
    "FIELD_HASH_KEY": "a-production-blind-index-key",
}


def run(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VAR_DIR"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "console.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def probe(env: dict[str, str]) -> dict[str, object]:
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_older_redis_channel_layer_can_still_be_chosen() -> None:
    found = probe({"REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNELS_BACKEND": "core"})
    assert found["layer"] == "channels_redis.core.RedisChannelLayer"


def test_embedded_defaults_are_sqlite_in_memory_layer_and_eager_celery() -> None:
    found = probe({})
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db_name"].endswith("var/db.sqlite3")
    assert found["transaction_mode"] == "IMMEDIATE"
    assert found["layer"] == "channels.layers.InMemoryChannelLayer"
    assert found["eager"] is True


def test_database_and_redis_urls_switch_to_the_production_parts() -> None:
    found = probe(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/console",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "console"
    assert found["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/0"


def test_production_refuses_to_start_without_a_real_secret_key() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = run(["-c", PROBE], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_secret_key() -> None:
    result = run(["-c", PROBE], {**PROD_ENV, "SECRET_KEY": "django-insecure-" + "x" * 60})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_encryption_keys() -> None:
    env = {k: v for k, v in PROD_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"}
    result = run(["-c", PROBE], env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_mode_passes_check_deploy_with_no_warnings(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PROD_ENV, "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert probe({**PROD_ENV, "VAR_DIR": str(tmp_path)})["debug"] is False


@pytest.mark.parametrize("value", ["1", "true", "yes", "on"])
def test_debug_can_be_turned_on_by_the_environment(value: str) -> None:
    assert probe({"DEBUG": value})["debug"] is True


SITE_URL_PROBE = """
import django
from django.conf import settings
django.setup()
print(settings.SITE_URL)
"""


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"PORT": "8123", "SITE_URL": "https://salon.example.com/"}, "https://salon.example.com"),
    ],
)
def test_links_in_messages_follow_the_port_served_unless_site_url_is_set(
    env: dict[str, str], site_url: str
) -> None:
    result = run(["-c", SITE_URL_PROBE], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == site_url
