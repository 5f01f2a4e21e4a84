"""Notices through the API (OPS-3): the published list for apps and mini-programs, and the
withdraw action from the same table as the pages (`qihub.catalog.actions`)."""

from django.http import HttpRequest
from ninja import Router

from qihub.accounts.tokens import AUTH
from qihub.catalog.actions import ACTIONS, describe
from qihub.catalog.models import Notice, NoticeStatus

router = Router(tags=["通知公告"])
actions_router = Router(tags=["通知公告"], auth=AUTH)


@router.get("/notices", response=list[dict], summary="已发布的通知公告（置顶在前）")
def published_notices(request: HttpRequest) -> list[dict]:
    return [describe(n, request.user) for n in Notice.objects.filter(status=NoticeStatus.PUBLISHED)]


ACTIONS.register_api(actions_router, "/notices")
router.add_router("", actions_router)
