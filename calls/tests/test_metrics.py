from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from calls.metrics.charts import bar_chart
from calls.metrics.selectors import metrics_compute
from calls.tests.review_calls import ANGRY, BOOKING, PRICES, finished_call

BOOK = {"name": "book_appointment", "result": {"reference": "GB-1"}}
FAIL = {"name": "check_availability", "ok": False, "result": {"error": "timeout"}}


@pytest.fixture
def calls(business):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)
    finished_call(
        business,
        "a",
        BOOKING,
        agent="Ava",
        start=yesterday,
        tools=[BOOK, FAIL],
        turns=[(500, False), (700, False), (900, True)],
    )
    finished_call(
        business, "b", ANGRY, agent="Max", start=yesterday, tools=[FAIL, FAIL], turns=[(1500, True)]
    )
    finished_call(
        business, "c", PRICES, agent="Ava", start=now - timedelta(minutes=30), turns=[(600, False)]
    )
    finished_call(business, "d", [], agent="Ava", start=now - timedelta(minutes=20), duration_s=3)
    return business


def test_it_counts_per_day_and_per_agent(calls) -> None:
    business = calls
    today = datetime.now(business.tz).date()
    m = metrics_compute(business=business, since=today - timedelta(days=6), until=today)
    assert (m.total.calls, m.total.answered, m.total.booked, m.total.escalated) == (4, 3, 1, 1)
    assert len(m.days) == 7
    by_agent = {row.key: row for row in m.agents}
    assert (by_agent["Ava"].calls, by_agent["Ava"].booked) == (3, 1)
    assert (by_agent["Max"].calls, by_agent["Max"].escalated) == (1, 1)


def test_turn_latency_percentiles_and_barge_in_rate(calls) -> None:
    business = calls
    today = datetime.now(business.tz).date()
    m = metrics_compute(business=business, since=today - timedelta(days=6), until=today)
    assert m.total.turns == 5 and m.total.barge_ins == 2
    assert m.total.latency_median in (700, 700.0)
    assert 900 < m.total.latency_p95 <= 1500
    max_row = next(row for row in m.agents if row.key == "Max")
    assert (max_row.latency_median, max_row.barge_in_rate) == (1500, 1.0)


def test_tool_success_rate_by_tool(calls) -> None:
    business = calls
    today = datetime.now(business.tz).date()
    m = metrics_compute(business=business, since=today - timedelta(days=6), until=today)
    tools = {t.name: (t.calls, t.ok) for t in m.tools}
    assert tools == {"book_appointment": (1, 1), "check_availability": (3, 0)}


def test_lead_score_distribution_counts_every_analysed_call(calls) -> None:
    business = calls
    today = datetime.now(business.tz).date()
    m = metrics_compute(business=business, since=today - timedelta(days=6), until=today)
    assert sum(n for _, n in m.lead_buckets) == 4


def test_one_agent_only(calls) -> None:
    business = calls
    today = datetime.now(business.tz).date()
    m = metrics_compute(business=business, since=today, until=today, agent="Ava")
    assert m.total.calls == 2 and [row.key for row in m.agents] == ["Ava"]


def test_the_page_renders_charts_as_inline_svg(client_for, owner, calls) -> None:
    response = client_for(owner).get(reverse("calls_metrics"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 2 and "Calls per day" in body
    assert "check_availability" in body and "0%" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )


def test_bad_dates_are_explained(client_for, owner, calls) -> None:
    response = client_for(owner).get(
        reverse("calls_metrics"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert (
        response.status_code == 200
        and "The end date is before the start date." in response.content.decode()
    )
    assert client_for(owner).get(reverse("calls_metrics"), {"since": "soon"}).status_code == 200


def test_another_business_calls_are_not_counted(client_for, outsider, calls) -> None:
    response = client_for(outsider).get(reverse("calls_metrics"))
    assert response.context["metrics"].total.calls == 0


def test_bars_scale_to_the_biggest_value() -> None:
    chart = bar_chart([("a", 5), ("b", 10)], title="t", height=136)
    assert [b.height for b in chart.bars] == [50.0, 100.0]
    assert chart.bars[1].y == 14
