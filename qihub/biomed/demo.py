"""Demo product archives: the demo biomedical enterprise's device archive three stages in, with
services, a follow-up and a first pre-review round awaiting comments. Only once."""

import datetime as dt

from django.utils import timezone

from qihub.accounts.models import User
from qihub.biomed import workflow
from qihub.biomed.models import ProductArchive


def furnish() -> None:
    if ProductArchive.objects.exists():
        return
    enterprise = User.objects.filter(username="demo_enterprise2").first()
    operator = User.objects.filter(username="demo_operator").first()
    if enterprise is None or operator is None:
        return
    archive = workflow.open_archive(
        by=enterprise,
        name="【演示】一次性使用输液器",
        product_class="device_2",
        route="registration",
        stage="initiation",
        merged_products="【演示】一次性使用静脉输液针",
    )
    today = timezone.localdate()
    workflow.record_service(
        archive,
        by=operator,
        kind="classification",
        served_on=today - dt.timedelta(days=6),
        advice="按《医疗器械分类目录》14-02 输液器具界定为第二类，走省局注册。",
    )
    workflow.advance(archive, by=operator, version=None)
    workflow.record_service(
        archive,
        by=operator,
        kind="tech_requirements",
        served_on=today - dt.timedelta(days=2),
        advice="性能指标参照 GB 8368，检验方法引用 GB/T 14233.1。",
    )
    workflow.follow_up(
        archive,
        by=operator,
        contact="王经理（演示）",
        progress="设计开发输入已评审，样品试制排期下月。",
        needs="希望推荐有资质的注册检验机构",
    )
