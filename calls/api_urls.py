from django.urls import path

from calls.api import EventsView
from calls.review.api import CallDetailView, CallsView

urlpatterns = [
    path("events", EventsView.as_view(), name="api_events"),
    path("calls", CallsView.as_view(), name="api_calls"),
    path("calls/<str:call_id>", CallDetailView.as_view(), name="api_call"),
]
