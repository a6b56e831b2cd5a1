"""WebSocket routes of this app, joined in console/asgi.py."""

from django.urls import path

from calls.live.consumers import CallTranscriptConsumer, LiveCallsConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveCallsConsumer.as_asgi()),
    path("ws/calls/<int:pk>/", CallTranscriptConsumer.as_asgi()),
]
