"""Every reply under /api/ is JSON (CONTRACTS §2), whoever produced it.

DRF views answer their own errors in JSON (console.api.errors), but some replies under
/api/ come from elsewhere: Django's CSRF refusal (HTML 403), a 405 from the schema and docs
views (rendered by their own HTML and OpenAPI renderers), a 400 from Django's request
parsing. This middleware, near the top of the stack, turns any such error reply into the
contract's JSON body, keeping its status and headers (Allow, Retry-After, ...).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from console.api.errors import ERROR_CODES, error_body

_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def _is_json(response: HttpResponse) -> bool:
    media_type = (response.get("Content-Type") or "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ApiJsonRepliesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400 or _is_json(response):
            return response
        status = response.status_code
        code = ERROR_CODES.get(status, "server_error" if status >= 500 else "error")
        message = response.reason_phrase or "Error"
        if status == 403:  # Django's CSRF refusal: DRF's own 403s are JSON already
            message = "Forbidden. API clients authenticate with 'Authorization: Bearer <key>'."
        replaced = JsonResponse(error_body(code, message), status=status)
        for name in _KEPT_HEADERS:
            if name in response:
                replaced[name] = response[name]
        return replaced
