"""Optimistic versions for records several people act on (demands, orders, complaints): the
actor states the version they saw, and a stale one means someone else got there first."""

from typing import TypeVar

from django.db import models

Record = TypeVar("Record", bound=models.Model)


def lock_at_version(record: Record, version: int | None, conflict: type[Exception]) -> Record:
    """The row, locked for the rest of the transaction; `conflict` if it moved on meanwhile."""
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if version is not None and locked.version != version:  # type: ignore[attr-defined]
        raise conflict()
    return locked


def save_next_version(record: models.Model, *fields: str) -> None:
    record.version += 1  # type: ignore[attr-defined]
    record.save(update_fields=[*fields, "version"])
