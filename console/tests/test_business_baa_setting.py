"""The business's "provider covered by our BAA" switch: the owner's to set, audited; and the
settings that choose the analysis engine."""

from __future__ import annotations

import pytest
from django.urls import reverse

from console.audit.models import AuditEntry
from console.tenancy.models import Business
from console.tests.test_settings import PROBE, run

FORM = {"name": "Salon One", "timezone": "America/New_York", "default_region": "US"}


def test_the_owner_switches_it_on_and_the_change_is_audited(
    business: Business, owner, client_for
) -> None:
    client = client_for(owner)
    page = client.get(reverse("settings_business"))
    assert b'name="llm_baa_covered"' in page.content
    response = client.post(reverse("settings_business"), {**FORM, "llm_baa_covered": "on"})
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.llm_baa_covered is True
    entry = AuditEntry.objects.get(action="business.updated", business=business)
    assert entry.data == {"llm_baa_covered": ["False", "True"]}
    assert entry.actor_id == owner.pk


def test_the_owner_switches_it_off_again(business: Business, owner, client_for) -> None:
    business.llm_baa_covered = True
    business.save(update_fields=["llm_baa_covered"])
    client_for(owner).post(reverse("settings_business"), FORM)
    business.refresh_from_db()
    assert business.llm_baa_covered is False
    entry = AuditEntry.objects.get(action="business.updated", business=business)
    assert entry.data == {"llm_baa_covered": ["True", "False"]}


def test_a_manager_edits_the_business_but_cannot_switch_it_on(
    business: Business, manager, client_for
) -> None:
    client = client_for(manager)
    assert b'name="llm_baa_covered"' not in client.get(reverse("settings_business")).content
    form = {**FORM, "name": "Salon Uno", "llm_baa_covered": "on"}
    assert client.post(reverse("settings_business"), form).status_code == 302
    business.refresh_from_db()
    assert business.name == "Salon Uno"
    assert business.llm_baa_covered is False


def test_the_page_says_what_the_analysis_model_is_sent(
    business: Business, owner, client_for, settings
) -> None:
    client = client_for(owner)
    assert "offline engine" in client.get(reverse("settings_business")).content.decode()
    settings.ANALYSIS_ENGINE = "llm"
    settings.LLM_MODEL = "gpt-test"
    page = client.get(reverse("settings_business")).content.decode()
    assert "gpt-test" in page and "redacted transcript" in page


def test_the_llm_engine_refuses_to_start_without_its_key() -> None:
    result = run(["-c", PROBE], {"ANALYSIS_ENGINE": "llm", "LLM_MODEL": "m"})
    assert result.returncode != 0
    assert "LLM_API_KEY" in result.stderr


@pytest.mark.parametrize("engine", ["gpt", "LLM "])
def test_an_unknown_engine_refuses_to_start(engine: str) -> None:
    result = run(["-c", PROBE], {"ANALYSIS_ENGINE": engine})
    assert result.returncode != 0
    assert "ANALYSIS_ENGINE" in result.stderr


def test_the_llm_engine_starts_with_its_settings() -> None:
    env = {"ANALYSIS_ENGINE": "llm", "LLM_API_KEY": "k", "LLM_BASE_URL": "http://127.0.0.1:9/v1"}
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr


def test_a_change_made_through_the_settings_form_is_audited_with_its_old_value(
    business: Business, owner, client_for
) -> None:
    """The bound form writes onto the business before business_update sees it: the old value
    comes from the database, or nothing would ever be audited from this form."""
    client_for(owner).post(reverse("settings_business"), {**FORM, "name": "Salon Uno"})
    entry = AuditEntry.objects.get(action="business.updated", business=business)
    assert entry.data == {"name": ["Salon One", "Salon Uno"]}
