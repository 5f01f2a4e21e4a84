"""Demo trainings: a pledge every demo staff member has signed, two upcoming events (one full,
with a waiter) and the demo station worker's outside training. Only once."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.roles import ALL_STAFF, EXPERTS
from qihub.training import pledges, staff, workflow
from qihub.training.models import PledgeVersion

PLEDGE = (
    "一、对工作中知悉的企业商业秘密、技术资料和个人信息严格保密，不泄露、不复制、不擅自使用。\n"
    "二、仅在授权范围内查阅企业档案，查阅事由如实登记。\n"
    "三、离岗后继续履行保密义务。"
)


def furnish() -> None:
    if PledgeVersion.objects.exists():
        return
    operator = User.objects.filter(username="demo_operator").first()
    if operator is None:
        return
    pledges.publish(PLEDGE, by=operator)
    for person in User.objects.filter(username__startswith="demo_", role__in=ALL_STAFF | EXPERTS):
        pledges.sign(person)
    now = timezone.now()
    institution = User.objects.filter(username="demo_institution").first()
    first = workflow.publish_event(
        by=operator,
        kind="training",
        topic="【演示】窗口服务规范与质量基础设施政策解读",
        field="service",
        description="面向各服务站点工作人员和企业质量负责人。",
        hours=Decimal(6),
        starts_at=now + dt.timedelta(days=10),
        online=False,
        place="市市场监管局三楼报告厅",
        capacity=60,
        fee=Decimal(0),
        enrol_by=now + dt.timedelta(days=8),
    )
    if institution is not None:
        visit = workflow.publish_event(
            by=institution,
            kind="visit",
            topic="【演示】计量标杆企业对标参观",
            field="metrology",
            description="参观计量管理体系认证企业的测量实验室。",
            hours=Decimal(4),
            starts_at=now + dt.timedelta(days=14),
            online=False,
            place="高新区标杆企业",
            capacity=1,
            fee=Decimal(0),
            enrol_by=now + dt.timedelta(days=12),
        )
        for name in ("demo_enterprise", "demo_enterprise2"):
            member = User.objects.filter(username=name).first()
            if member is not None:
                workflow.enrol(visit, by=member)
    member = User.objects.filter(username="demo_enterprise").first()
    if member is not None:
        workflow.enrol(first, by=member)
    worker = User.objects.filter(username="demo_station", role__in=ALL_STAFF).first()
    if worker is not None:
        staff.record_outside(
            worker,
            by=worker,
            held_on=timezone.localdate() - dt.timedelta(days=20),
            topic="【演示】市场监管业务知识培训",
            organiser="市市场监管局",
            hours=Decimal(8),
        )
