"""Server-rendered SVG bar charts (no chart library, nothing from a CDN): geometry here,
markup in templates/calls/review/_bar_chart.html. The SVG scales with its viewBox, so it
reads on a phone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    alt: bool = False  # the second series


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x, text under the axis
    max_value: int
    title: str
    legend: tuple[str, ...] = ()


def bar_chart(
    points: list[tuple[str, int]],
    *,
    second: list[int] | None = None,
    title: str,
    legend: tuple[str, ...] = (),
    width: int = 600,
    height: int = 180,
) -> BarChart:
    """One bar per point (a second, lighter bar beside it when `second` is given)."""
    top, bottom = 14, 22
    plot = height - top - bottom
    peak = max([v for _, v in points] + (second or []) + [1])
    slot = width / max(1, len(points))
    per = 2 if second else 1
    bar_w = max(1.0, slot * 0.8 / per)
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    every = max(1, len(points) // 10)  # at most ~10 axis labels
    for index, (label, value) in enumerate(points):
        x0 = index * slot + slot * 0.1
        series = [(value, False)] + ([(second[index], True)] if second else [])
        for offset, (v, alt) in enumerate(series):
            h = plot * v / peak
            bars.append(
                Bar(
                    x=round(x0 + offset * bar_w, 1),
                    y=round(top + plot - h, 1),
                    width=round(bar_w, 1),
                    height=round(h, 1),
                    label=label,
                    value=v,
                    alt=alt,
                )
            )
        if index % every == 0:
            labels.append((round(index * slot + slot / 2, 1), label))
    return BarChart(
        width=width,
        height=height,
        bars=bars,
        labels=labels,
        max_value=peak,
        title=title,
        legend=legend,
    )
