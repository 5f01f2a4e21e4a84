"""The disposal decisions' one action table: page routes under /ops/filing/items/<number>/ and
API routes under /api/v1/filing/items/<number>/ from the same rows (ADR 0009)."""

from typing import Any

from qihub.accounts.roles import BACK_OFFICE
from qihub.core.actions import Action, ActionTable
from qihub.filing import services, workflow
from qihub.filing.forms import DestroyForm, ExtendForm
from qihub.filing.models import ArchiveItem


def visible(user: Any, number: str) -> ArchiveItem | None:
    """The archive is the back office's: operators decide, the supervisor reads."""
    if not getattr(user, "is_authenticated", False) or user.role not in BACK_OFFICE:
        return None
    return ArchiveItem.objects.filter(number=number).first()


def describe(item: ArchiveItem, user: Any) -> dict:
    return {
        "number": item.number,
        "fonds": item.fonds,
        "year": item.year,
        "retention": item.retention,
        "retention_label": item.get_retention_display(),
        "unit_code": item.unit_code,
        "unit_name": item.unit_name,
        "serial": item.serial,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "case_number": item.case_number,
        "title": item.title,
        "closed_at": item.closed_at.isoformat(),
        "keep_until": item.keep_until.isoformat() if item.keep_until else None,
        "status": item.status,
        "status_label": item.get_status_display(),
        "version": item.version,
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="filing:item",
    describe=describe,
    actions=[
        Action(
            "destroy",
            DestroyForm,
            services.destroy,
            "已记录鉴定销毁决定，目录中保留该文件的条目",
            summary="到期文件鉴定销毁（opinion=鉴定意见）",
        ),
        Action(
            "extend",
            ExtendForm,
            services.extend,
            "已延长保管期限",
            summary="到期文件延长保管（years=延长年数，opinion=鉴定意见）",
        ),
    ],
)
