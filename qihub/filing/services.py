"""Filing a closed case and deciding on it after its retention period (ARC-4)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from qihub.core.models import Counter
from qihub.core.numbering import TZ
from qihub.core.workflow import WorkflowError
from qihub.filing.models import (
    RETENTION_YEARS,
    ArchiveItem,
    CaseKind,
    Retention,
    RetentionRule,
)
from qihub.filing.workflow import FLOW

# The defaults an operator may change on the retention page (docs/filing.md gives the source).
DEFAULT_RULES: dict[str, tuple[str, str, str]] = {
    CaseKind.DEMAND: (Retention.D30, "XQ", "服务需求"),
    CaseKind.ORDER: (Retention.D30, "DD", "服务订单"),
    CaseKind.COMPLAINT: (Retention.D30, "TS", "投诉处理"),
    CaseKind.CONSULTATION: (Retention.D10, "ZX", "质量门诊"),
    CaseKind.ENTRUSTMENT: (Retention.D10, "DB", "全程代办"),
}


def fonds() -> str:
    """The platform's fonds code (全宗号), set by QIHUB_FONDS."""
    return str(getattr(settings, "FILING_FONDS", "QH"))


def rule_for(kind: str) -> RetentionRule:
    retention, code, name = DEFAULT_RULES[kind]
    rule, _ = RetentionRule.objects.get_or_create(
        kind=kind, defaults={"retention": retention, "unit_code": code, "unit_name": name}
    )
    return rule


def keep_until(year: int, retention: str) -> dt.date | None:
    """Counted from 1 January after the year of filing, so a D10 file of 2026 runs to 2036-12-31."""
    years = RETENTION_YEARS[retention]
    return None if years is None else dt.date(year + years, 12, 31)


def _next_serial(key: str) -> int:
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            Counter.objects.get_or_create(key=key, defaults={"value": 0})
            Counter.objects.filter(key=key).update(value=F("value") + 1)
        return Counter.objects.get(key=key).value


def file_case(kind: str, case_number: str, title: str, closed_at: dt.datetime) -> ArchiveItem:
    """File a closed case once; a case closed again (reopened, then closed) keeps its number."""
    existing = ArchiveItem.objects.filter(kind=kind, case_number=case_number).first()
    if existing is not None:
        return existing
    rule = rule_for(kind)
    year = closed_at.astimezone(TZ).year
    prefix = f"{fonds()}-{year}-{rule.retention}-{rule.unit_code}"
    with FLOW.create("file", by=None, at=closed_at) as step:
        serial = _next_serial(f"ARC:{prefix}")
        step.record = ArchiveItem.objects.create(
            number=f"{prefix}-{serial:04d}",
            fonds=fonds(),
            year=year,
            retention=rule.retention,
            unit_code=rule.unit_code,
            unit_name=rule.unit_name,
            serial=serial,
            kind=kind,
            case_number=case_number,
            title=title[:200],
            closed_at=closed_at,
            keep_until=keep_until(year, rule.retention),
            status=step.target,
        )
    return step.record


def due_items(today: dt.date | None = None) -> Any:
    """Cases past their retention period still waiting for a disposal decision."""
    today = today or timezone.localdate()
    return ArchiveItem.objects.filter(
        keep_until__lt=today, status__in=[s for s in FLOW["destroy"].sources or ()]
    ).order_by("keep_until", "number")


def destroy(item: ArchiveItem, by: Any, data: dict) -> None:
    with FLOW.step(item, "destroy", by=by, note=data["opinion"]) as step:
        if not step.record.past_retention(timezone.localdate()):
            raise WorkflowError("该文件尚未到保管期限，不能鉴定销毁")


def extend(item: ArchiveItem, by: Any, data: dict) -> None:
    with FLOW.step(item, "extend", by=by, note=data["opinion"]) as step:
        record = step.record
        if record.keep_until is None:
            raise WorkflowError("永久保管的文件无需延长")
        if not record.past_retention(timezone.localdate()):
            raise WorkflowError("该文件尚未到保管期限，不能延长保管")
        step.edit(keep_until=dt.date(record.keep_until.year + data["years"], 12, 31))
