"""OpenAPI schema generation for our API views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """Lets a plain APIView say that its GET returns a list (`is_list_view = True`).

    drf-spectacular infers lists from ListModelMixin or viewset actions; our list views are
    thin APIViews over selectors, which it would otherwise name `*_retrieve` and collide
    with the detail view's operation id.
    """

    def _is_list_view(self, serializer: Any = None) -> bool:
        if self.method == "GET" and getattr(self.view, "is_list_view", False):
            return True
        return bool(super()._is_list_view(serializer))
