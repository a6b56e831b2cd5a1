"""Every path under /api/ answers JSON, for every method (CONTRACTS §2), with a key or
without, on known and unknown paths: the list of paths comes from the URLconf, so a new
endpoint is covered the day it is added."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

METHODS = ["get", "post", "put", "patch", "delete", "options", "head"]
# Pages for people, under /api/ by convention: their GET is the documentation itself.
DOCUMENTS = {"/api/docs/", "/api/schema/"}


def _api_paths() -> list[str]:
    paths: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                full = prefix + route
                if not full.startswith("api/") or full.startswith("^"):
                    continue
                full = re.sub(r"<int:[^>]+>", "1", full)
                full = re.sub(r"<(?:str:|slug:)?[^>]+>", "x", full)
                paths.append("/" + full)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


PATHS = [*_api_paths(), "/api/v1/nothing-here", "/api/nothing", "/api/v2/events"]


def test_the_urlconf_walk_finds_the_api() -> None:
    assert {"/api/v1/events", "/api/v1/appointments", "/api/v1/tools/book_appointment"} <= set(
        PATHS
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("with_key", [False, True], ids=["anonymous", "with a key"])
def test_every_api_path_answers_json_for_every_method(business, api_client_for, path, with_key):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    headers = {}
    if with_key:
        key = api_client_for(business, "admin")._credentials["HTTP_AUTHORIZATION"]
        headers["HTTP_AUTHORIZATION"] = key
    for method in METHODS:
        if path in DOCUMENTS and method in ("get", "head"):
            continue
        if method in ("post", "put", "patch", "delete"):
            headers_and_body = {"data": "{}", "content_type": "application/json", **headers}
        else:
            headers_and_body = headers
        response = getattr(client, method)(path, **headers_and_body)
        assert response.status_code < 500, (method, path, response.status_code)
        content_type = response.get("Content-Type", "")
        assert content_type.startswith("application/json"), (method, path, content_type)
        if method != "head" and response.status_code >= 400:
            body = response.json()
            assert isinstance(body["error"], str) and isinstance(body["message"], str)


def test_a_post_to_an_unknown_api_path_is_a_json_404_not_a_csrf_page(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/nothing", "{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
