from typing import Any

from django.db import models

from qihub.core import pii
from qihub.core.middleware import current_request_id
from qihub.core.models import AuditEvent


def record(
    actor: Any, action: str, target: models.Model, *, field: str = "", reason: str = ""
) -> None:
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label,
        target_id=str(target.pk),
        field=field,
        reason=reason[:200],
        request_id=current_request_id.get(),
    )


def reveal(target: models.Model, field: str, *, by: Any, reason: str) -> str:
    """The full value of a sealed field (`<field>_cipher`), with the read written to the audit log."""
    cipher = getattr(target, f"{field}_cipher")
    if not cipher:
        return ""
    record(by, "reveal", target, field=field, reason=reason)
    return pii.decrypt(cipher)
