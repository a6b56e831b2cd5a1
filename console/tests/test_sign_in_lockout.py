"""Failed sign-ins are counted per account, not only per account and address (django-axes):
a guesser spreading attempts over many addresses still locks the account."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from console.tenancy.models import User


def sign_in(address: str, email: str, password: str):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(reverse("login"), {"username": email, "password": password})


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_from_many_addresses_lock_the_account(owner: User) -> None:
    for n in range(3):
        sign_in(f"198.51.100.{n + 1}", owner.email, "wrong-password")
    client, response = sign_in("203.0.113.50", owner.email, PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("settings_business")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_for_other_accounts_do_not_lock_this_one(owner: User) -> None:
    for n in range(3):
        sign_in(f"198.51.100.{n + 1}", f"someone{n}@else.test", "wrong-password")
    _client, response = sign_in("203.0.113.50", owner.email, PASSWORD)
    assert response.status_code == 302
