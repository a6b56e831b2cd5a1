"""WebSocket routes of this app, joined in console/asgi.py."""

from django.urls import path  # noqa: F401

websocket_urlpatterns: list = []
