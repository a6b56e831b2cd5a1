"""A refused booking operation as the API answers it (CONTRACTS §2, §4): the tools API and the
admin API map the write path's errors in this one place."""

from __future__ import annotations

from typing import Any

from bookings.api.representations import slot_json
from bookings.services import BookingError, SlotUnavailable
from console.api.errors import ApiError


def booking_api_error(exc: BookingError, *, tz: Any) -> ApiError:
    """The error's own status and code; a taken time carries the nearest free ones."""
    extra: dict[str, Any] = {}
    if isinstance(exc, SlotUnavailable):
        extra["alternatives"] = [slot_json(s, tz=tz) for s in exc.alternatives]
    fields = {exc.field_name: exc.message} if exc.field_name else {}
    return ApiError(exc.status, exc.code, exc.message, fields=fields, extra=extra)
