"""A NUL character in a query string or a posted form is bad input: 400, never a 500.

PostgreSQL text cannot hold NUL, so a view that filters on a raw parameter (the book's
search, `?q=%00`) raised DataError. Forms refuse NUL field by field (Django's CharField);
this catches the parameters a view reads itself. JSON bodies are the API's parsers' concern.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

from console.api.errors import json_error

MESSAGE = "The request contains a NUL character (%00), which no field accepts."


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class NulInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not under /api/: a DRF view reads its body itself (and refuses a form with 415).
        posted_form = not request.path.startswith("/api/") and request.method == "POST"
        posted_form = posted_form and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        if _has_nul(request.GET) or (posted_form and _has_nul(request.POST)):
            if request.path.startswith("/api/"):
                return json_error(400, "invalid", MESSAGE)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
