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


ADMIN_ACTIONS = {1: "admin_add", 2: "admin_change", 3: "admin_delete"}


def record_admin_change(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every change made in the back office (Django admin) lands in the platform's audit log too,
    with what was changed; Django's own LogEntry can be edited by whoever holds its permission."""
    if not created:
        return
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin"),
        target_type=instance.content_type.model_class()._meta.label
        if instance.content_type and instance.content_type.model_class()
        else "",
        target_id=str(instance.object_id or "")[:64],
        reason=str(instance.get_change_message() or instance.object_repr)[:200],
        request_id=current_request_id.get(),
    )
