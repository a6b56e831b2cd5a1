from django.urls import path

from calls.api import EventsView

urlpatterns = [
    path("events", EventsView.as_view(), name="api_events"),
]
