"""WebSocket routes of this app, joined in console/asgi.py."""

from django.urls import path

from bookings.book.consumers import BookConsumer

websocket_urlpatterns = [
    path("ws/book/", BookConsumer.as_asgi()),
]
