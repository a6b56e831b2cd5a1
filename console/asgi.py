"""One ASGI application for HTTP and WebSocket (CONTRACTS §6), served by gunicorn with
uvicorn workers (deploy/gunicorn.conf.py) behind the reverse proxy (deploy/nginx.conf)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from bookings.book.routing import websocket_urlpatterns as bookings_ws  # noqa: E402
from calls.live.routing import websocket_urlpatterns as calls_ws  # noqa: E402
from console.http.chunked_body import ChunkedBodyLength  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ChunkedBodyLength(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*calls_ws, *bookings_ws]))
        ),
    }
)
