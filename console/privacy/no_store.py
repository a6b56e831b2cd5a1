"""Pages and API replies with personal data are not kept by browsers or proxies.

Every page a signed-in user gets shows a business's data (calls, transcripts, customers'
names and numbers), and every reply of the API's v1 is a business's data or an error
about it: they are `Cache-Control: no-store` (with Django's never-cache set: private,
no-cache, max-age=0), so the back button after signing out, a shared computer's disk cache
or a proxy keep none of it. Public pages (pricing, the trial form) stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PRIVATE_API = "/api/v1/"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_API) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
