from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.parsers import JSONParser

from console.api.endpoint import json_decode


class LimitedJSONParser(JSONParser):
    """JSON with a hard 1 MiB cap, also for bodies sent without a Content-Length."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        return json_decode(stream.read(limit + 1) if stream is not None else b"")
