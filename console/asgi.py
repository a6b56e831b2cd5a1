"""One ASGI application for HTTP and WebSocket (CONTRACTS §6)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import reverse  # noqa: E402

from bookings.book.routing import websocket_urlpatterns as bookings_ws  # noqa: E402
from calls.api import events_receive  # noqa: E402
from calls.routing import websocket_urlpatterns as calls_ws  # noqa: E402
from console.api.hot_routes import HotRoutes  # noqa: E402
from console.chunked_body import ChunkedBodyLength  # noqa: E402

# The gateway's event stream skips Django's request handler (see console.api.hot_routes).
# Its path is the URLconf's, which also routes it to the Django view for everything else.
hot_routes = HotRoutes(django_asgi_app, {("POST", reverse("api_events")): events_receive})

application = ProtocolTypeRouter(
    {
        "http": ChunkedBodyLength(hot_routes),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*calls_ws, *bookings_ws]))
        ),
    }
)
