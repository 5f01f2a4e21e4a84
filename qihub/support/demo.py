"""Demo technical-support requests (OPS-1), added once: one waiting, one answered."""

from qihub.accounts.models import User
from qihub.support import workflow
from qihub.support.models import SupportRequest


def furnish() -> None:
    if SupportRequest.objects.exists():
        return
    enterprise = User.objects.filter(username="demo_enterprise").first()
    operator = User.objects.filter(username="demo_operator").first()
    if enterprise is None or operator is None:
        return
    workflow.submit(
        by=enterprise,
        data={
            "page": "/demands/",
            "error_number": "",
            "description": "发布需求时上传的检测报告显示“文件上传不完整”，换了浏览器也一样。",
        },
    )
    answered = workflow.submit(
        by=enterprise,
        data={
            "page": "/orders/",
            "error_number": "20261130-0042",
            "description": "打开订单列表时出现“系统繁忙”页面。",
        },
    )
    workflow.answer(
        answered,
        by=operator,
        version=answered.version,
        text="已定位为一次数据库维护造成的短暂故障，现已恢复，请刷新后再试。",
    )
