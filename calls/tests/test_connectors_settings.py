"""Settings → Connectors: owners and managers create, see the secret once, rotate, revoke."""

from __future__ import annotations

import pytest

from calls.models import Connector
from calls.tests.connector_deliveries import connector_make, deliver, fixture
from console.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/settings/connectors/"


def test_a_manager_creates_a_vapi_connector_and_sees_its_secret_once(business, manager, client_for):
    client = client_for(manager)
    response = client.post(URL, {"platform": "vapi", "secret": ""})
    assert response.status_code == 302
    connector = Connector.objects.get(business=business)
    page = client.get(URL).content.decode()
    assert connector.secret in page
    assert f"/api/v1/connectors/{connector.public_id}/vapi" in page
    assert connector.secret not in client.get(URL).content.decode()  # once
    assert (
        deliver(connector, fixture("vapi_status_update"), secret=connector.secret).status_code
        == 202
    )
    assert AuditEntry.objects.filter(action="connector.created", business=business).exists()


def test_retell_needs_its_api_key(business, owner, client_for):
    response = client_for(owner).post(URL, {"platform": "retell", "secret": ""})
    assert response.status_code == 200
    assert "paste it here" in response.content.decode()
    assert not Connector.objects.exists()


def test_rotating_makes_the_old_secret_stop_working(business, owner, client_for):
    connector = connector_make(business, "vapi")
    client = client_for(owner)
    new = "a-brand-new-secret-0123456789"
    response = client.post(f"{URL}{connector.pk}/rotate/", {"secret": new})
    assert response.status_code == 302
    assert new in client.get(URL).content.decode()
    assert deliver(connector, fixture("vapi_status_update")).status_code == 401
    assert deliver(connector, fixture("vapi_status_update"), secret=new).status_code == 202
    connector.refresh_from_db()
    assert connector.rotated_at is not None


def test_revoking_turns_the_webhook_off(business, owner, client_for):
    connector = connector_make(business, "retell")
    assert client_for(owner).post(f"{URL}{connector.pk}/revoke/").status_code == 302
    assert deliver(connector, fixture("retell_call_started")).status_code == 404


def test_front_desk_may_not_manage_connectors(business, front_desk, client_for):
    client = client_for(front_desk)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"platform": "vapi"}).status_code == 403
    assert not Connector.objects.exists()


def test_another_business_connector_is_a_404(business, other_business, owner, client_for):
    theirs = connector_make(other_business, "vapi")
    client = client_for(owner)
    assert client.post(f"{URL}{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/rotate/", {"secret": ""}).status_code == 404
    assert theirs.public_id not in client.get(URL).content.decode()
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_settings_tabs_link_to_connectors_for_managers(business, manager, client_for):
    assert 'href="/settings/connectors/"' in client_for(manager).get("/settings/").content.decode()
