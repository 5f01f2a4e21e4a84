"""Demo data of return visits (EVAL-2): services closed by the other demo data already scheduled
their visits; one is recorded here so the 回访记录 archive is not empty."""


def furnish_visits() -> None:
    """Once: while no visit has a result yet."""
    from django.contrib.auth import get_user_model

    from qihub.evaluations import workflow
    from qihub.evaluations.models import ReturnVisit, ReturnVisitStatus

    if ReturnVisit.objects.filter(status=ReturnVisitStatus.DONE).exists():
        return
    operator = get_user_model().objects.filter(username="demo_operator").first()
    visit = ReturnVisit.objects.filter(status=ReturnVisitStatus.SCHEDULED).first()
    if operator is None or visit is None:
        return
    workflow.record_return_visit(
        visit,
        by=operator,
        method="电话",
        result="【演示】客户表示服务及时，报告已用于年度审核",
        satisfied=True,
        problems="【演示】希望报告能同时提供电子版",
    )
