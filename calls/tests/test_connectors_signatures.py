"""Each platform's signature at the connector endpoints (CONTRACTS §8): the platform's own
scheme, constant-time compares, 401 JSON and an audit entry for anything else."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from calls.connectors.signatures import (
    BadSignature,
    retell_signature_make,
    retell_signature_verify,
    vapi_signature_make,
    vapi_signature_verify,
)
from calls.models import Call
from calls.tests.connector_deliveries import connector_make, deliver, fixture
from console.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def retell(business):
    return connector_make(business, "retell")


@pytest.fixture
def vapi(business):
    return connector_make(business, "vapi")


def assert_refused(response, business, connector) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "bad_signature" and "message" in body
    assert not Call.objects.filter(business=business).exists()
    entry = AuditEntry.objects.get(action="connector.signature_rejected")
    assert entry.business == business
    assert entry.object_id == str(connector.pk)
    assert set(entry.data) == {"platform", "reason"}  # never the body
    assert "gel manicure" not in json.dumps(entry.data)


def test_retell_signature_matches_retells_scheme():
    body = b'{"event":"call_started"}'
    header = retell_signature_make(secret="s" * 20, body=body, timestamp_ms=1_700_000_000_000)
    assert header.startswith("v=1700000000000,d=")
    retell_signature_verify(secret="s" * 20, body=body, header=header, now_ms=1_700_000_060_000)
    with pytest.raises(BadSignature):
        retell_signature_verify(secret="s" * 20, body=body, header="v=x,d=y", now_ms=0)


def test_vapi_signature_is_an_hmac_of_the_body():
    body = b'{"message":{}}'
    expected = hmac.new(b"k" * 20, body, hashlib.sha256).hexdigest()
    assert vapi_signature_make(secret="k" * 20, body=body) == expected
    vapi_signature_verify(secret="k" * 20, body=body, header=expected.upper())
    with pytest.raises(BadSignature):
        vapi_signature_verify(secret="k" * 20, body=body + b" ", header=expected)


def test_a_valid_retell_delivery_is_accepted(business, retell):
    response = deliver(retell, fixture("retell_call_started"))
    assert response.status_code == 202, response.content
    assert response.json()["accepted"] >= 1
    assert not AuditEntry.objects.filter(action="connector.signature_rejected").exists()


def test_a_tampered_retell_body_is_refused_and_audited(business, retell):
    payload = fixture("retell_call_started")
    signed = json.dumps(payload).encode()
    payload["call"]["from_number"] = "+14155550100"
    response = deliver(retell, payload, signed_body=signed)
    assert_refused(response, business, retell)


def test_a_retell_delivery_signed_with_another_secret_is_refused(business, retell):
    response = deliver(retell, fixture("retell_call_started"), secret="not-the-secret-at-all")
    assert_refused(response, business, retell)


def test_a_retell_signature_older_than_five_minutes_is_refused(business, retell):
    stale = int(time.time() * 1000) - 5 * 60 * 1000 - 1000
    response = deliver(retell, fixture("retell_call_started"), timestamp_ms=stale)
    assert_refused(response, business, retell)


def test_a_retell_signature_four_minutes_old_still_counts(business, retell):
    recent = int(time.time() * 1000) - 4 * 60 * 1000
    response = deliver(retell, fixture("retell_call_started"), timestamp_ms=recent)
    assert response.status_code == 202


def test_a_retell_delivery_without_a_signature_is_refused(business, retell):
    response = deliver(retell, fixture("retell_call_started"), headers={})
    assert_refused(response, business, retell)


def test_a_valid_vapi_delivery_is_accepted(business, vapi):
    response = deliver(vapi, fixture("vapi_status_update"))
    assert response.status_code == 202, response.content


def test_a_tampered_vapi_body_is_refused_and_audited(business, vapi):
    payload = fixture("vapi_status_update")
    signed = json.dumps(payload).encode()
    payload["message"]["customer"]["number"] = "+14155550100"
    assert_refused(deliver(vapi, payload, signed_body=signed), business, vapi)


def test_a_vapi_delivery_signed_with_another_secret_is_refused(business, vapi):
    response = deliver(vapi, fixture("vapi_status_update"), secret="not-the-secret-at-all")
    assert_refused(response, business, vapi)


def test_a_vapi_delivery_without_a_signature_is_refused(business, vapi):
    assert_refused(deliver(vapi, fixture("vapi_status_update"), headers={}), business, vapi)


def test_a_vapi_delivery_signed_the_retell_way_is_refused(business, vapi):
    body = json.dumps(fixture("vapi_status_update")).encode()
    header = retell_signature_make(secret="x" * 20, body=body, timestamp_ms=1)
    response = deliver(vapi, None, body=body, headers={"X-Vapi-Signature": header})
    assert_refused(response, business, vapi)


def test_a_flood_of_bad_signatures_is_throttled_but_good_deliveries_still_land(
    business, vapi, settings
):
    settings.CONNECTOR_BAD_SIGNATURE_RATE = "3/m"
    for _ in range(3):
        assert deliver(vapi, fixture("vapi_status_update"), secret="x" * 20).status_code == 401
    throttled = deliver(vapi, fixture("vapi_status_update"), secret="x" * 20)
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "rate_limited" and throttled["Retry-After"] == "60"
    assert AuditEntry.objects.filter(action="connector.signature_rejected").count() == 3
    assert deliver(vapi, fixture("vapi_status_update")).status_code == 202
