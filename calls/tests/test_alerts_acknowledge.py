"""Acknowledging a live alert: a POST with CSRF by one of the business's people; it leaves
the "needs attention" list with who and when, is audited, and is heard by every dashboard.
Another business's alert is not found."""

from __future__ import annotations

from django.test import Client

from calls.models.alert import CallAlert
from calls.tests.factories import call_start, say
from console.audit.models import AuditEntry


def _alert(business, call_id="gw-1", line="I want to talk to a real person") -> CallAlert:
    call_start(business, call_id)
    say(business, call_id, 0, line)
    return CallAlert.objects.get(call__business=business, call__call_id=call_id)


def test_the_live_page_lists_what_needs_attention(business, front_desk, client_for):
    alert = _alert(business)
    html = client_for(front_desk).get("/calls/live/").content.decode()
    assert f'id="alert-{alert.pk}"' in html
    assert 'data-alert="human_request"' in html and 'data-call-id="gw-1"' in html
    assert "Asks for a person" in html and "Acknowledge" in html
    assert 'data-can-acknowledge="true"' in html
    assert "live-alerts.js" in html


def test_the_list_is_redrawn_from_the_database_after_a_reconnect(business, front_desk, client_for):
    alert = _alert(business)
    html = client_for(front_desk).get("/calls/live/lists/").content.decode()
    assert f'id="alert-{alert.pk}"' in html and 'id="attention"' in html


def test_front_desk_acknowledges_an_alert_with_who_and_when_audited(
    business, front_desk, client_for
):
    alert = _alert(business)
    client = client_for(front_desk)
    response = client.post(f"/calls/alerts/{alert.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="alert-{alert.pk}"' not in html  # off the list
    assert "desk@salon.test" in html  # "acknowledged by …"
    alert.refresh_from_db()
    assert alert.acknowledged_by == front_desk and alert.acknowledged_at is not None
    entry = AuditEntry.objects.get(action="call_alert.acknowledge")
    assert entry.business == business and entry.actor == front_desk
    assert entry.object_id == str(alert.pk) and entry.data["kind"] == "human_request"
    # and the page no longer lists it as needing attention
    page = client.get("/calls/live/").content.decode()
    assert f'id="alert-{alert.pk}"' not in page and f'id="acknowledged-{alert.pk}"' in page


def test_acknowledging_twice_keeps_the_first_who_and_when(
    business, front_desk, manager, client_for
):
    alert = _alert(business)
    client_for(front_desk).post(f"/calls/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    first = alert.acknowledged_at
    response = client_for(manager).post(f"/calls/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 302  # without htmx: back to the live page
    alert.refresh_from_db()
    assert alert.acknowledged_by == front_desk and alert.acknowledged_at == first
    assert AuditEntry.objects.filter(action="call_alert.acknowledge").count() == 1


def test_another_business_alert_is_not_found(business, other_business, outsider, client_for):
    alert = _alert(business)
    response = client_for(outsider).post(f"/calls/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert not AuditEntry.objects.filter(action="call_alert.acknowledge").exists()
    html = client_for(outsider).get("/calls/live/").content.decode()
    assert f'id="alert-{alert.pk}"' not in html


def test_platform_staff_may_watch_but_not_acknowledge(business, platform_staff, client_for):
    alert = _alert(business)
    client = client_for(platform_staff)
    page = client.get("/calls/live/").content.decode()
    assert f'id="alert-{alert.pk}"' in page
    assert 'data-can-acknowledge="false"' in page  # the page hides their buttons
    response = client.post(f"/calls/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_needs_a_post_with_csrf_and_a_sign_in(business, front_desk):
    alert = _alert(business)
    url = f"/calls/alerts/{alert.pk}/acknowledge/"
    assert Client().post(url).status_code == 302  # to the sign-in page
    client = Client(enforce_csrf_checks=True)
    client.force_login(front_desk)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    client.get("/calls/live/")  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == front_desk


def test_every_dashboard_hears_the_acknowledgement(
    business, front_desk, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from calls.alerts import live

    alert = _alert(business)
    sent: list[str] = []
    monkeypatch.setattr(
        live, "broadcast_call_fragments", lambda **kwargs: sent.append(kwargs["dashboard_html"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(front_desk).post(f"/calls/alerts/{alert.pk}/acknowledge/")
    assert len(sent) == 1
    assert 'id="attention"' in sent[0] and f'id="alert-{alert.pk}"' not in sent[0]
    assert 'data-call-id="gw-1"' in sent[0]
