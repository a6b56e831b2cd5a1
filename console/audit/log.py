"""The audit log: one function writes it; nothing edits it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from console.audit.models import AuditEntry
from console.privacy.client_address import client_ip

if TYPE_CHECKING:  # the audit log sits below tenancy: it names its models, never imports them
    from console.tenancy.models import ApiKey, Business, User


def audit_log_write(
    *,
    action: str,
    business: Business | None,
    actor: User | None = None,
    api_key: ApiKey | None = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    request_user = getattr(request, "user", None)
    if actor is None and request_user is not None and request_user.is_authenticated:
        actor = request_user
    if actor is not None:
        label = actor.email
    elif api_key is not None:
        label = f"API key {api_key.name} ({api_key.prefix}…)"
    else:
        label = "system"
    return AuditEntry.objects.create(
        business=business,
        actor=actor,
        actor_label=label[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip_address=client_ip(request),
        data=data or {},
    )
