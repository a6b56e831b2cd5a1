"""The live calls page and a call's live transcript page."""

from __future__ import annotations

from calls.tests.factories import call_start, hang_up, say


def test_the_live_page_shows_calls_in_progress_with_their_last_line(
    business, front_desk, client_for
):
    call_start(business, "gw-1")
    say(business, "gw-1", 0, "I'd like a haircut on Friday")
    response = client_for(front_desk).get("/calls/live/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-call-id="gw-1"' in html
    assert "+1 ••• ••• 0123" in html
    assert "+14155550123" not in html  # only the masked number in lists
    assert "I&#x27;d like a haircut on Friday" in html
    assert 'ws-connect="/ws/live/"' in html


def test_an_ended_call_is_listed_as_recently_ended(business, front_desk, client_for):
    call_start(business, "gw-1")
    hang_up(business, "gw-1")
    html = client_for(front_desk).get("/calls/live/").content.decode()
    assert 'id="ended-' in html
    assert 'id="call-' not in html


def test_the_live_page_never_shows_another_business_calls(
    business, other_business, outsider, client_for
):
    call_start(business, "ours")
    call_start(other_business, "theirs")
    html = client_for(outsider).get("/calls/live/").content.decode()
    assert "theirs" in html and "ours" not in html


def test_the_live_page_needs_a_sign_in(client):
    response = client.get("/calls/live/")
    assert response.status_code == 302


def test_the_live_page_keeps_its_query_count_with_many_calls(
    business, front_desk, client_for, django_assert_num_queries
):
    for i in range(12):
        call_start(business, f"gw-{i}")
        say(business, f"gw-{i}", 0, "hello")
    client = client_for(front_desk)
    client.get("/calls/live/")
    # Session, user, memberships, the two lists, the lines said in their calls (names masked
    # in the cards), the business switcher, and the alerts (open, recently acknowledged):
    # not one per call.
    with django_assert_num_queries(9):
        client.get("/calls/live/")


def test_the_transcript_page_shows_the_lines_in_order_with_speakers(
    business, front_desk, client_for
):
    call = call_start(business, "gw-1")
    say(business, "gw-1", 1, "Sure, which day?", speaker="agent")
    say(business, "gw-1", 0, "I need a cut", speaker="caller")
    html = client_for(front_desk).get(f"/calls/live/{call.pk}/").content.decode()
    assert html.index("I need a cut") < html.index("Sure, which day?")
    assert 'class="line caller"' in html and 'class="line agent"' in html
    assert f'ws-connect="/ws/calls/{call.pk}/"' in html


def test_another_business_call_is_not_found(business, other_business, outsider, client_for):
    call = call_start(business, "gw-1")
    client = client_for(outsider)
    assert client.get(f"/calls/live/{call.pk}/").status_code == 404
    assert client.get(f"/calls/live/{call.pk}/body/").status_code == 404


def test_the_reconnect_redraw_renders_the_lists_from_the_database(business, front_desk, client_for):
    call_start(business, "gw-1")
    html = client_for(front_desk).get("/calls/live/lists/").content.decode()
    assert html.strip().startswith('<div id="live-lists">')
    assert 'data-call-id="gw-1"' in html
