"""manage.py create_connector (CONTRACTS §1)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from calls.models import Connector
from calls.tests.connector_deliveries import deliver, fixture

pytestmark = pytest.mark.django_db

SECRET = "vapi-server-secret-0123456789"


def test_it_prints_the_webhook_url_that_works(business, settings):
    settings.SITE_URL = "https://console.example.test"
    out = StringIO()
    call_command(
        "create_connector", business.slug, "--platform", "vapi", "--secret", SECRET, stdout=out
    )
    url = out.getvalue().strip().splitlines()[-1]
    connector = Connector.objects.get(business=business)
    assert url == f"https://console.example.test/api/v1/connectors/{connector.public_id}/vapi"
    assert deliver(connector, fixture("vapi_status_update"), secret=SECRET).status_code == 202


def test_the_secret_is_stored_encrypted(business):
    call_command(
        "create_connector",
        business.slug,
        "--platform",
        "retell",
        "--secret",
        SECRET,
        stdout=StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM calls_connector")
        (stored,) = cursor.fetchone()
    assert SECRET not in stored


def test_an_unknown_business_or_a_short_secret_is_an_error(business):
    with pytest.raises(CommandError):
        call_command("create_connector", "nope", "--platform", "vapi", "--secret", SECRET)
    with pytest.raises(CommandError):
        call_command("create_connector", business.slug, "--platform", "vapi", "--secret", "short")
    assert not Connector.objects.exists()
