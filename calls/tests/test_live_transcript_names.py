"""The live transcript (its page and the body a page redraws from) shows every role the
call redacted as a whole: a name said once, or sent to a booking tool, is [NAME] on every
line. The original is only the audited reveal on the review page (calls.review)."""

from __future__ import annotations

import pytest

from calls.models import Call
from calls.tests.factories import call_start, hang_up, ingest, raw_event, say
from console.audit.models import AuditEntry


def _call_with_names(business) -> int:
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "Hi, this is Priya Patel, I have chest pain")
    say(business, "gw-1", 1, "Priya again, born 3 March 1980")
    ingest(
        business,
        raw_event(
            "gw-1",
            "tool.invoked",
            {
                "name": "book_appointment",
                "arguments": {"customer": {"name": "Marguerite Okafor", "phone": "+14155550123"}},
                "result": {},
                "ok": True,
                "latency_ms": 5,
            },
        ),
    )
    say(business, "gw-1", 2, "Okafor, it is for my mother", final=False)
    return Call.objects.get(call_id="gw-1").pk


@pytest.mark.parametrize("persona", ["front_desk", "manager", "owner"])
@pytest.mark.parametrize("ended", [True, False])
def test_the_live_call_body_never_shows_a_name_the_call_gave(
    business, persona, ended, request, client_for
) -> None:
    pk = _call_with_names(business)
    if ended:
        hang_up(business, "gw-1")
    response = client_for(request.getfixturevalue(persona)).get(f"/calls/live/{pk}/body/")
    html = response.content.decode()
    assert response.status_code == 200
    for said in ("Priya", "Patel", "Okafor", "Marguerite", "1980"):
        assert said not in html
    assert "[NAME]" in html and "chest pain" in html
    assert not AuditEntry.objects.filter(action="call.transcript_revealed").exists()


def test_the_live_call_page_never_shows_a_name_the_call_gave(
    business, front_desk, client_for
) -> None:
    pk = _call_with_names(business)
    html = client_for(front_desk).get(f"/calls/live/{pk}/").content.decode()
    assert "Priya" not in html and "Okafor" not in html
    assert "[NAME]" in html
