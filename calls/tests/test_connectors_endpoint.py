"""The connector endpoints as an API (CONTRACTS §2, §8): tenants kept apart, JSON for every
answer, and the live dashboard hearing connector calls like any other."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from calls.connectors.services import connector_revoke
from calls.connectors.signatures import vapi_signature_make
from calls.models import Call
from calls.tests.connector_deliveries import SECRET, connector_make, deliver, fixture, path_of
from conftest import websocket_headers
from console.asgi import application
from console.tenancy.models import Business


@pytest.mark.django_db
def test_another_business_connector_writes_only_into_that_business(business, other_business):
    theirs = connector_make(other_business, "retell", secret="their-own-secret-0123456789")
    response = deliver(theirs, fixture("retell_call_started"), secret="their-own-secret-0123456789")
    assert response.status_code == 202
    assert Call.objects.filter(business=other_business).count() == 1
    assert not Call.objects.filter(business=business).exists()


@pytest.mark.django_db
def test_our_connector_id_with_another_business_secret_is_refused(business, other_business):
    ours = connector_make(business, "vapi")
    connector_make(other_business, "vapi", secret="their-own-secret-0123456789")
    response = deliver(ours, fixture("vapi_status_update"), secret="their-own-secret-0123456789")
    assert response.status_code == 401
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_the_same_platform_call_id_in_two_businesses_is_two_calls(business, other_business):
    ours = connector_make(business, "retell")
    theirs = connector_make(other_business, "retell", secret="their-own-secret-0123456789")
    deliver(ours, fixture("retell_call_ended"))
    deliver(theirs, fixture("retell_call_started"), secret="their-own-secret-0123456789")
    assert Call.objects.get(business=business).status == Call.Status.ENDED
    assert Call.objects.get(business=other_business).status == Call.Status.RINGING


@pytest.mark.django_db
def test_an_unknown_connector_is_a_json_404():
    response = Client().post(
        "/api/v1/connectors/con_nope/retell", data=b"{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.django_db
def test_a_connector_on_the_other_platforms_path_is_a_404(business):
    vapi = connector_make(business, "vapi")
    path = "/" + path_of(vapi).replace("/vapi", "/retell")
    response = deliver(vapi, fixture("vapi_status_update"), path=path)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.django_db
def test_a_revoked_connector_is_a_404(business):
    vapi = connector_make(business, "vapi")
    connector_revoke(connector=vapi, by=None)
    response = deliver(vapi, fixture("vapi_status_update"))
    assert response.status_code == 404
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_every_answer_is_json(business):
    vapi = connector_make(business, "vapi")
    url = "/" + path_of(vapi)
    for method in ("get", "put", "delete"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 405 and response["Content-Type"] == "application/json"
        assert "error" in response.json()
    body = b"not json"
    signed = {"X-Vapi-Signature": vapi_signature_make(secret=SECRET, body=body)}
    plain = Client().post(url, data=body, content_type="text/plain", headers=signed)
    assert plain.status_code == 415 and plain.json()["error"] == "unsupported_media_type"
    broken = Client().post(url, data=body, content_type="application/json", headers=signed)
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_json"
    nested = json.dumps({"message": {"type": "transcript", "call": {"id": 5}}}).encode()
    bad = deliver(vapi, None, body=nested)
    assert bad.status_code == 400 and bad.json()["fields"]


async def _hear(connector, front_desk) -> None:
    headers = await sync_to_async(websocket_headers)(front_desk)
    socket = WebsocketCommunicator(application, "/ws/live/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    response = await sync_to_async(deliver)(connector, fixture("retell_transcript_updated"))
    assert response.status_code == 202
    html = await socket.receive_from(timeout=5)
    assert 'data-call-id="Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6"' in html
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
def test_the_live_dashboard_hears_a_connector_call(business, front_desk):
    connector = connector_make(business, "retell")
    asyncio.run(_hear(connector, front_desk))


@pytest.mark.django_db
def test_a_body_over_one_mebibyte_is_a_json_413(business):
    vapi = connector_make(business, "vapi")
    big = json.dumps({"message": {"type": "transcript", "pad": "x" * (1024 * 1024)}}).encode()
    response = deliver(vapi, None, body=big)
    assert response.status_code == 413
    assert response.json()["error"]
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_a_business_whose_trial_ended_unpaid_records_no_connector_calls(business):
    business.subscription_status = Business.Subscription.TRIALING
    business.trial_ends_at = timezone.now() - timedelta(hours=1)
    business.save(update_fields=["subscription_status", "trial_ends_at"])
    vapi = connector_make(business, "vapi")
    response = deliver(vapi, fixture("vapi_status_update"))
    assert response.status_code == 402 and response.json()["error"] == "trial_expired"
    assert not Call.objects.exists()
