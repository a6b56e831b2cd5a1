from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from calls.review.services import review_save
from calls.tests.review_calls import ANGRY, BOOKING, PRICES, finished_call

URL = "/calls/"
SECRETS = ("4155550199", "415 555 0199", "628 555 0143", "6285550143", "Jenny", "Park")


@pytest.fixture
def calls(business, owner):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    booked = finished_call(
        business,
        "gw-book",
        BOOKING,
        agent="Ava",
        start=now - timedelta(days=1),
        duration_s=120,
        tools=[{"name": "book_appointment", "result": {"reference": "GB-1"}}],
    )
    angry = finished_call(
        business,
        "gw-angry",
        ANGRY,
        agent="Max",
        channel="webrtc",
        start=now - timedelta(hours=2),
        duration_s=40,
    )
    prices = finished_call(
        business, "gw-prices", PRICES, agent="Ava", start=now - timedelta(days=3), duration_s=25
    )
    return {"booked": booked, "angry": angry, "prices": prices}


def rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.call.call_id for row in response.context["page"]]


def test_it_lists_finished_calls_newest_first(client_for, owner, calls) -> None:
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    assert rows(response) == ["gw-angry", "gw-book", "gw-prices"]


def test_a_call_in_progress_is_not_listed(client_for, owner, business, calls) -> None:
    finished_call(business, "gw-live", BOOKING, ended=False)
    assert "gw-live" not in rows(client_for(owner).get(URL))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"intent": "book"}, ["gw-book"]),
        ({"intent": "complaint"}, ["gw-angry"]),
        ({"agent": "Ava"}, ["gw-book", "gw-prices"]),
        ({"channel": "webrtc"}, ["gw-angry"]),
        ({"sentiment": "negative"}, ["gw-angry"]),
        ({"escalated": "yes"}, ["gw-angry"]),
        ({"escalated": "no"}, ["gw-book", "gw-prices"]),
        ({"min_lead": 80}, ["gw-book"]),
        ({"max_lead": 30}, ["gw-angry"]),
        ({"min_duration": 30, "max_duration": 60}, ["gw-angry"]),
        ({"sort": "lead"}, ["gw-book", "gw-prices", "gw-angry"]),
        ({"sort": "duration"}, ["gw-book", "gw-angry", "gw-prices"]),
        ({"sort": "oldest"}, ["gw-prices", "gw-book", "gw-angry"]),
    ],
)
def test_it_filters_and_sorts(client_for, owner, calls, query, expected) -> None:  # type: ignore[no-untyped-def]
    assert rows(client_for(owner).get(URL, query)) == expected


def test_the_date_range_is_in_the_business_zone(client_for, owner, business, calls) -> None:
    today = datetime.now(business.tz).date()
    since = (today - timedelta(days=1)).isoformat()
    response = client_for(owner).get(URL, {"since": since, "until": today.isoformat()})
    assert set(rows(response)) == {"gw-book", "gw-angry"}


def test_a_reviewers_correction_is_what_the_filters_see(client_for, owner, calls) -> None:
    review_save(call=calls["prices"], by=owner, corrections={"intent": "book"}, reviewed=True)
    client = client_for(owner)
    assert rows(client.get(URL, {"intent": "book"})) == ["gw-book", "gw-prices"]
    assert rows(client.get(URL, {"reviewed": "yes"})) == ["gw-prices"]
    assert rows(client.get(URL, {"reviewed": "no"})) == ["gw-angry", "gw-book"]


def test_search_finds_words_in_the_redacted_transcripts(client_for, owner, calls) -> None:
    client = client_for(owner)
    assert rows(client.get(URL, {"q": "manicure"})) == ["gw-book"]
    assert rows(client.get(URL, {"q": "refund"})) == ["gw-angry"]


def test_search_never_finds_what_was_redacted(client_for, owner, calls) -> None:
    client = client_for(owner)
    for secret in ("Jenny", "0199", "628 555 0143"):
        assert rows(client.get(URL, {"q": secret})) == [], secret


def test_the_list_never_shows_a_phone_number_or_name(client_for, owner, calls) -> None:
    body = client_for(owner).get(URL).content.decode()
    for secret in SECRETS:
        assert secret not in body, secret
    assert "[PHONE]" in body or "[NAME]" in body  # the snippet shows placeholders


def test_bad_filters_are_shown_not_crashed_on(client_for, owner, calls) -> None:
    response = client_for(owner).get(
        URL, {"min_lead": "lots", "since": "yesterday", "intent": "nonsense", "page": "x"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"min_lead", "since", "intent"}
    assert len(rows(response)) == 3


def test_another_business_calls_are_never_listed(
    client_for, outsider, other_owner, other_business, calls
) -> None:
    finished_call(other_business, "gw-theirs", PRICES)
    response = client_for(outsider).get(URL)
    assert rows(response) == ["gw-theirs"]
    export = client_for(other_owner).get(reverse("calls_review_export"))
    assert b"gw-book" not in b"".join(export.streaming_content)


def test_the_query_count_does_not_grow_with_the_page(
    client_for, owner, business, django_assert_num_queries
) -> None:
    for n in range(30):
        finished_call(business, f"gw-{n}", BOOKING if n % 2 else ANGRY)
    client = client_for(owner)
    client.get(URL)  # warm the session
    # session, user, memberships, count, the switcher, the rows (their calls joined)
    with django_assert_num_queries(6):
        assert len(client.get(URL, {"per_page": 25}).context["page"]) == 25
    with django_assert_num_queries(6):
        assert len(client.get(URL, {"per_page": 100, "q": "refund"}).context["page"]) == 15


def test_htmx_requests_get_just_the_table(client_for, owner, calls) -> None:
    response = client_for(owner).get(URL, {"intent": "book"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="calls-table"') and "<html" not in body


def test_csv_export_has_the_filtered_rows_redacted(client_for, owner, calls) -> None:
    response = client_for(owner).get(reverse("calls_review_export"), {"agent": "Ava"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["call_id"] for r in table] == ["gw-book", "gw-prices"]
    assert table[0]["intent"] == "book" and table[0]["callback"] == "'+1 ••• ••• 0199"
    assert "[NAME]" in table[0]["transcript_redacted"]
    for secret in SECRETS:
        assert secret not in text, secret


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client_for, owner, business) -> None:
    finished_call(business, "=HYPERLINK(1)", PRICES, agent="@evil")
    text = b"".join(
        client_for(owner).get(reverse("calls_review_export")).streaming_content
    ).decode()
    row = next(iter(csv.DictReader(io.StringIO(text))))
    assert row["call_id"] == "'=HYPERLINK(1)" and row["agent"] == "'@evil"


def test_front_desk_staff_can_read_the_redacted_list(client_for, front_desk, calls) -> None:
    assert len(rows(client_for(front_desk).get(URL))) == 3


def test_signed_out_visitors_are_sent_to_sign_in(client, calls) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL).status_code == 302


def test_a_long_list_says_more_than_the_cap_and_still_pages(
    client_for, owner, calls, monkeypatch
) -> None:
    monkeypatch.setattr("calls.review.pagination.COUNT_CAP", 2)
    client = client_for(owner)
    response = client.get(URL, {"per_page": 25})
    assert "More than 2 analysed calls" in response.content.decode()
    assert rows(response) == ["gw-angry", "gw-book", "gw-prices"][:3]


def test_pages_are_cut_in_the_sort_order(client_for, owner, business) -> None:
    for n in range(30):
        finished_call(business, f"gw-{n:02d}", PRICES, duration_s=100 + n)
    client = client_for(owner)
    first = rows(client.get(URL, {"per_page": 25, "sort": "duration"}))
    second = rows(client.get(URL, {"per_page": 25, "sort": "duration", "page": 2}))
    assert first == [f"gw-{n:02d}" for n in range(29, 4, -1)]
    assert second == [f"gw-{n:02d}" for n in range(4, -1, -1)]


def test_a_new_analysis_keeps_the_reviewers_corrections_in_the_list(
    client_for, owner, calls
) -> None:
    from calls.analysis.pipeline import call_analyze

    review_save(call=calls["prices"], by=owner, corrections={"intent": "book"}, reviewed=True)
    call_analyze(call_pk=calls["prices"].pk, version="rules-2")
    assert rows(client_for(owner).get(URL, {"intent": "book", "reviewed": "yes"})) == ["gw-prices"]


def test_times_are_shown_in_the_business_zone(client_for, owner, business) -> None:
    start = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # 10:30 in New York
    finished_call(business, "gw-tz", PRICES, start=start)
    client = client_for(owner)
    assert "Nov 20, 10:30" in client.get(URL).content.decode()
    assert "Nov 20, 10:30" in client.get(URL, HTTP_HX_REQUEST="true").content.decode()
