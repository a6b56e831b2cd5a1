from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from console.audit.models import AuditEntry
from console.tenancy.models import Business, User


def sign_in(client: Client, email: str, password: str) -> object:
    return client.post(reverse("login"), {"username": email, "password": password})


def test_a_member_signs_in_with_email_and_password(business: Business, owner: User) -> None:
    client = Client()
    response = sign_in(client, "Owner@Salon.test", PASSWORD)
    assert response.status_code == 302
    page = client.get(reverse("settings_business"))
    assert page.status_code == 200
    assert b"Salon One" in page.content


def test_a_sign_in_is_written_to_the_audit_log(business: Business, owner: User) -> None:
    sign_in(Client(REMOTE_ADDR="203.0.113.9"), owner.email, PASSWORD)
    entry = AuditEntry.objects.get(action="auth.signed_in")
    assert entry.actor == owner
    assert entry.business == business
    assert entry.ip_address == "203.0.113.9"


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(owner: User) -> None:
    client = Client()
    response = sign_in(client, owner.email, "wrong-password")
    assert response.status_code == 200
    assert b"correct email" in response.content or b"Please enter a correct" in response.content
    assert client.get(reverse("settings_business")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(owner: User) -> None:
    client = Client()
    for _ in range(3):
        sign_in(client, owner.email, "wrong-password")
    response = sign_in(client, owner.email, PASSWORD)
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert client.get(reverse("settings_business")).status_code == 302


def test_pages_ask_an_anonymous_visitor_to_sign_in(db: None) -> None:
    response = Client().get(reverse("settings_business"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session(business: Business, owner: User, client_for) -> None:
    client = client_for(owner)
    client.post(reverse("logout"))
    assert client.get(reverse("settings_business")).status_code == 302


def test_a_password_reset_sends_a_link_that_sets_a_new_password(owner: User) -> None:
    client = Client()
    client.post(reverse("password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-passphrase")


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/"])
def test_sign_in_pages_render_for_anyone(db: None, path: str) -> None:
    assert Client().get(path).status_code == 200
