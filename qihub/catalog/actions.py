"""The notice's actions, one table for the pages (/notices/<pk>/<page>/) and the API
(/api/v1/notices/<pk>/<api>): same form, same workflow call, same decision (ADR 0009)."""

from typing import Any

from qihub.accounts.roles import is_decider
from qihub.catalog import forms, workflow
from qihub.catalog.models import Notice, NoticeStatus
from qihub.core.actions import Action, ActionTable


def visible(user: Any, key: str) -> Notice | None:
    """Everyone sees a published notice; a withdrawn one only the operators who may publish."""
    if not str(key).isdigit():
        return None
    notice = Notice.objects.filter(pk=int(key)).first()
    if notice is None:
        return None
    if notice.status == NoticeStatus.PUBLISHED or is_decider(user):
        return notice
    return None


def describe(notice: Notice, user: Any) -> dict:
    return {
        "id": notice.pk,
        "title": notice.title,
        "body": notice.body,
        "pinned": notice.pinned,
        "status": notice.status,
        "status_label": notice.get_status_display(),
        "published_at": notice.published_at.isoformat(),
        "version": notice.version,
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="catalog:notice",
    describe=describe,
    key="pk",
    actions=[
        Action(
            "withdraw",
            forms.WithdrawNoticeForm,
            lambda n, u, c: workflow.withdraw(n, by=u, version=c["version"]),
            "通知公告已撤回，首页不再显示",
            summary="撤回通知公告（version）",
        ),
    ],
)
