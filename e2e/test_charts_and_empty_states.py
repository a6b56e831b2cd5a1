"""Metrics charts draw each bar from its axis up to its value (an empty bucket draws nothing),
and a new business's live page says what is empty instead of showing a blank."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from calls.tests.review_calls import BOOKING, finished_call

pytestmark = pytest.mark.e2e


def test_bars_stand_on_their_axis_and_empty_buckets_are_empty(
    business, manager, signed_in_page
) -> None:
    finished_call(business, "gw-one", BOOKING, agent="Ava")
    page = signed_in_page(manager)
    page.goto("/calls/metrics/")
    chart = page.locator("svg.chart").first
    expect(chart).to_be_visible()
    geometry = chart.evaluate(
        """svg => {
          const axis = svg.querySelector('line').getBoundingClientRect().top;
          return Array.from(svg.querySelectorAll('rect')).map(r => {
            const box = r.getBoundingClientRect();
            return {bottom: box.bottom, height: box.height,
                    value: Number(r.querySelector('title').textContent.split(': ').pop())};
          }).concat([{axis}]);
        }"""
    )
    axis = geometry.pop()["axis"]
    assert geometry
    for bar in geometry:
        assert bar["bottom"] <= axis + 1.5, (bar, axis)  # never below the axis, over labels
        if bar["value"] == 0:
            assert bar["height"] <= 0.5, bar  # an empty bucket looks empty
    assert any(bar["value"] > 0 and bar["height"] > 5 for bar in geometry)


def test_a_new_business_sees_its_empty_states(business, front_desk, signed_in_page) -> None:
    page = signed_in_page(front_desk)
    page.goto("/calls/live/")
    expect(page.locator("#conn-status")).to_have_text("Live")
    for list_id in ("live-calls", "ended-calls", "attention-list"):
        element = page.locator(f"#{list_id}")
        shown = element.evaluate("el => getComputedStyle(el, '::before').content")
        assert shown.strip('"') == element.get_attribute("data-empty"), (list_id, shown)
