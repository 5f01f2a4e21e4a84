"""Demo data for the improvement plan (EVAL-10): this year's plan drafted on demand by the demo
supervisor, two actions owned by the demo operator and the demo station, published, one under
way."""

import datetime as dt

from django.utils import timezone

from qihub.accounts.models import User
from qihub.improvement import workflow
from qihub.improvement.models import ImprovementPlan


def furnish() -> None:
    """Once: any plan is the marker."""
    supervisor = User.objects.filter(username="demo_supervisor").first()
    operator = User.objects.filter(username="demo_operator").first()
    station = User.objects.filter(username="demo_station").first()
    if supervisor is None or operator is None or station is None:
        return
    if ImprovementPlan.objects.exists():
        return
    today = timezone.localdate()
    plan = workflow.draft(today.year, by=supervisor)
    workflow.edit(
        plan,
        by=supervisor,
        version=plan.version,
        analysis=plan.analysis + "\n【演示】重点改进投诉处理时效和窗口等候时间。",
    )
    lines = [
        (
            "【演示】投诉处理超出 7 个工作日",
            "投诉受理后每周督办一次，超时前两日提醒承办人",
            operator,
            90,
        ),
        ("【演示】窗口高峰时段等候时间长", "高峰时段增开一个综合窗口，推行网上预约", station, 180),
    ]
    for problem, measure, owner, days in lines:
        workflow.add_action(
            plan,
            by=supervisor,
            version=None,
            problem=problem,
            measure=measure,
            owner=owner,
            due_on=today + dt.timedelta(days=days),
        )
    plan.refresh_from_db()
    workflow.publish(plan, by=supervisor, version=plan.version)
    first = plan.actions.order_by("due_on").first()
    workflow.record_progress(
        first, by=operator, version=first.version, percent=40, progress="【演示】已建立每周督办表"
    )
