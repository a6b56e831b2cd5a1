"""The trial form takes its time zone from the browser, with no inline script."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from console.tests.billing_fixtures import catalogue_fixture  # noqa: F401


def test_a_fresh_trial_form_asks_the_browser_for_its_zone_from_a_static_file(
    catalogue: None,
) -> None:
    html = Client().get(reverse("trial")).content.decode()
    assert 'data-browser-zone="suggest"' in html
    assert "js/trial-timezone.js" in html
    assert "<script>" not in html  # CSP-friendly: no inline script


def test_a_form_sent_back_with_errors_keeps_the_zone_chosen(catalogue: None) -> None:
    response = Client().post(reverse("trial"), {"timezone": "Europe/Madrid"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-browser-zone" not in html
    assert '<option value="Europe/Madrid" selected>' in html
