"""What each role may do. Views ask these; templates only show what views allow."""

from __future__ import annotations

from console.tenancy.models import Role

MANAGERS = frozenset({Role.OWNER, Role.MANAGER})


def can_manage_business(role: str | None, *, platform_staff: bool = False) -> bool:
    """Business settings, services, staff, hours, booking rules."""
    return platform_staff or role in MANAGERS


def can_manage_members(role: str | None, *, platform_staff: bool = False) -> bool:
    return platform_staff or role == Role.OWNER


def can_manage_api_keys(role: str | None, *, platform_staff: bool = False) -> bool:
    return platform_staff or role == Role.OWNER


def can_set_provider_baa(role: str | None, *, platform_staff: bool = False) -> bool:
    """Declare that the analysis model's provider is covered by the business's BAA."""
    return platform_staff or role == Role.OWNER


def can_read_audit_log(role: str | None, *, platform_staff: bool = False) -> bool:
    return platform_staff or role == Role.OWNER


def can_reveal_personal_data(role: str | None, *, platform_staff: bool = False) -> bool:
    """See an unredacted transcript or a full phone number (each look is audited)."""
    return platform_staff or role in MANAGERS


def can_review_calls(role: str | None, *, platform_staff: bool = False) -> bool:
    return platform_staff or role in MANAGERS


def can_acknowledge_alerts(role: str | None, *, platform_staff: bool = False) -> bool:
    """Take a live alert off the "needs attention" list: the business's own people, who
    deal with the caller. Platform staff watch; they do not answer for the business."""
    return role is not None
