"""The metrics page: per day and per agent, with server-rendered SVG charts."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from calls.analysis.agreement import reviewer_agreement_compute
from calls.metrics.charts import bar_chart
from calls.metrics.selectors import metrics_compute
from calls.review.selectors import call_agents
from console.tenancy.access import business_view

DEFAULT_DAYS = 14
MAX_DAYS = 366


class MetricsForm(forms.Form):
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    agent = forms.ChoiceField(required=False, choices=[])

    def __init__(self, *args: object, agents: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agent"].choices = [("", "All agents"), *((a, a) for a in agents)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:  # type: ignore[operator]
                self.add_error("until", "The end date is before the start date.")
            elif (until - since).days > MAX_DAYS:  # type: ignore[operator]
                self.add_error("since", f"Pick at most {MAX_DAYS} days.")
        return data


@require_GET
@business_view()
def calls_metrics(request: HttpRequest) -> HttpResponse:
    business = request.access.business  # type: ignore[attr-defined]
    form = MetricsForm(request.GET, agents=call_agents(business=business))
    today = timezone.localtime(timezone.now(), business.tz).date()
    since, until, agent = today - timedelta(days=DEFAULT_DAYS - 1), today, ""
    if form.is_valid():
        until = form.cleaned_data["until"] or until
        since = form.cleaned_data["since"] or until - timedelta(days=DEFAULT_DAYS - 1)
        agent = form.cleaned_data["agent"] or ""
    metrics = metrics_compute(business=business, since=since, until=until, agent=agent)
    charts = [
        bar_chart(
            [(d.key.strftime("%b %-d"), d.calls) for d in metrics.days],
            second=[d.booked for d in metrics.days],
            title="Calls per day",
            legend=("calls", "booked"),
        ),
        bar_chart(metrics.lead_buckets, title="Lead score distribution", width=400),
    ]
    agreement = reviewer_agreement_compute(business=business, since=since, until=until, agent=agent)
    context = {
        "form": form,
        "metrics": metrics,
        "charts": charts,
        "agent": agent,
        "agreement": agreement,
    }
    return render(request, "calls/review/metrics.html", context)
