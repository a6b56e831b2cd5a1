"""Every page carries a Content-Security-Policy (scripts and styles from this origin only,
the one inline script by nonce) and a Permissions-Policy; pages and API replies with
personal data are `Cache-Control: no-store`. e2e/test_csp.py checks in Chromium that the
main pages raise no CSP violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PUBLIC = ["/pricing/", "/trial/", "/affiliates/", "/accounts/login/"]
SIGNED_IN = ["/calls/live/", "/calls/", "/calls/metrics/", "/book/", "/settings/"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.fixture
def owner_client(owner, business) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.mark.parametrize("path", PUBLIC + SIGNED_IN)
def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, owner_client, path):
    response = (owner_client if path in SIGNED_IN else client).get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "microphone=()" in permissions


def test_the_trial_pages_scripts_come_from_our_own_files(db, client):
    # Its time-zone suggestion used to be an inline script with a nonce; it is a static file.
    response = client.get("/trial/")
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all("src=" in tag for tag in scripts)
    assert "js/trial-timezone.js" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_template_has_an_inline_handler_or_an_inline_script_without_a_nonce():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and "nonce=" not in tag:
                offenders.append(f"{template}: {tag}")
        offenders += [f"{template}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [f"{template}: javascript:" for _ in re.findall(r"javascript:", text)]
        offenders += [f"{template}: <style>" for _ in re.findall(r"<style\b", text)]
    assert offenders == []


@pytest.mark.parametrize("path", SIGNED_IN)
def test_signed_in_pages_are_not_stored_by_browsers(owner_client, path):
    cache_control = owner_client.get(path)["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


@pytest.mark.parametrize(
    "path", ["/api/v1/customers", "/api/v1/appointments", "/api/v1/calls", "/api/v1/nothing"]
)
def test_api_replies_are_not_stored(business, api_client_for, path):
    response = api_client_for(business, "admin").get(path)
    assert "no-store" in response["Cache-Control"]


def test_public_pages_stay_cacheable(db, client):
    assert "no-store" not in client.get("/pricing/").get("Cache-Control", "")
