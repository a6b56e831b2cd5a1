from __future__ import annotations

import pytest

from conftest import PASSWORD
from console.tenancy.models import ApiKey, Business, User

pytestmark = pytest.mark.e2e


def test_an_owner_signs_in_and_creates_an_api_key(
    business: Business, owner: User, page, asgi_live_server
) -> None:
    page.goto(f"{asgi_live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name").fill("Voice gateway")
    page.get_by_label("ingest (call events)").check()
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_test_id("new-secret").inner_text()
    assert secret.startswith("vak_")
    assert ApiKey.objects.get(business=business).name == "Voice gateway"


def test_a_wrong_password_is_refused_in_the_browser(owner: User, page, asgi_live_server) -> None:
    page.goto(f"{asgi_live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
