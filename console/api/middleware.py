from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from console.api.errors import BodyTooLarge, json_error


class ApiBodyLimitMiddleware:
    """Refuse an API body over 1 MiB with a JSON 413 before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return json_error(400, "invalid", "Content-Length is not a number.")
            if length > settings.API_MAX_BODY_BYTES:
                return JsonResponse(BodyTooLarge().body(), status=413)
        return self.get_response(request)
