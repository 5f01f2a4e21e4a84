"""A record's versions as people read them: who, when, and each changed field in Chinese."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from qihub.core import regions

CHANGE_TYPES = {"+": "新建", "~": "修改", "-": "删除"}
EMPTY = "（空）"


@dataclass
class Version:
    at: dt.datetime
    by: str
    change: str
    reason: str
    edits: list[tuple[str, str, str]] = field(default_factory=list)  # (字段, 原值, 新值)


def _skipped(f: models.Field) -> bool:
    """Fields that change on every save or are machinery, not content; internal codes (slugs,
    unit codes) are not shown to people (issue 15), their records' names are."""
    return (
        bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        or not f.editable
        or f.name in {"version", "id", "password", "last_login"}
        or isinstance(f, models.SlugField)
        or "code" in f.name
    )


def _list_labels(f: models.Field) -> dict[str, str]:
    """Labels of the codes a list field holds (an organisation's service categories)."""
    if f.name == "categories":
        from qihub.catalog.models import Category

        return dict(Category.choices)
    return {}


def label_of(f: models.Field) -> str:
    # The page shows a region by its name, so the label does not say 代码.
    if "region" in f.name:
        return "所在地区"
    if str(f.verbose_name) == f.name.replace("_", " ") and f.related_model is not None:
        return str(f.related_model._meta.verbose_name)  # a link to its owner, unnamed
    return str(f.verbose_name)


def shown(f: models.Field, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.FileField):
        return "已上传文件"  # the stored path is internal
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if f.is_relation and f.related_model is not None:
        if f.related_model._meta.label == "accounts.Document":
            return "已上传文件"  # its stored and original names are not for the page
        related = f.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else "（已删除的记录）"
    if "region" in f.name and isinstance(value, str) and value.isdigit():
        return regions.full_name(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        labels = _list_labels(f)
        return "、".join(str(labels.get(v, v)) for v in value)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def versions_of(instance: models.Model) -> list[Version]:
    """Newest first; the first version lists every filled field, later ones what changed."""
    model = type(instance)
    records = list(instance.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    out: list[Version] = []
    previous = None
    for record in records:
        edits: list[tuple[str, str, str]] = []
        if previous is None:
            for f in model._meta.concrete_fields:
                if _skipped(f) or f.primary_key:
                    continue
                value = getattr(record, f.attname, None)
                if value not in (None, "", [], {}):
                    edits.append((label_of(f), EMPTY, shown(f, value)))
        else:
            for change in record.diff_against(previous).changes:
                f = model._meta.get_field(change.field)
                if _skipped(f):
                    continue
                edits.append((label_of(f), shown(f, change.old), shown(f, change.new)))
        previous = record
        if record.history_type == "~" and not edits:
            continue  # saved without a change people would see
        user = record.history_user
        out.append(
            Version(
                at=record.history_date,
                by=user.shown_name if user is not None else "系统",
                change=CHANGE_TYPES.get(record.history_type, "修改"),
                reason=record.history_change_reason or "",
                edits=edits,
            )
        )
    return list(reversed(out))
