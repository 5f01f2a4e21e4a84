"""Demo data for pooled demands (DEM-13): the two demo enterprises' pressure-gauge demands pooled
for the demo institution, which has offered a batch price; both enterprises have yet to answer."""

from decimal import Decimal

from qihub.accounts.models import Organisation, User
from qihub.core.workflow import WorkflowError
from qihub.demands import workflow as demands
from qihub.demands.models import Demand
from qihub.demands.workflow import POOLABLE
from qihub.pooling import workflow
from qihub.pooling.models import Batch


def furnish() -> None:
    """Once: any batch is the marker."""
    if Batch.objects.exists():
        return
    first = User.objects.filter(username="demo_enterprise").first()
    second = User.objects.filter(username="demo_enterprise2").first()
    operator = User.objects.filter(username="demo_operator").first()
    lab = Organisation.objects.filter(account__username="demo_institution").first()
    if None in (first, second, operator, lab):
        return
    # The first enterprise's own gauge demand, unless another demo (DEM-7 follow-up) has already
    # taken it into service: then a second one of the same kind.
    mine = Demand.objects.filter(
        client=first, title="车间压力表年度检定", status__in=POOLABLE
    ).first() or demands.publish(
        client=first,
        data={
            "category": "metrology",
            "title": "库房压力表年度检定",
            "description": "【演示】库房 8 块一般压力表需要年度检定",
            "product": "压力表",
            "standard": "JJG 52-2013",
            "region": "320211",
        },
        allow_similar=True,
    )
    theirs = demands.publish(
        client=second,
        data={
            "category": "metrology",
            "title": "一般压力表周期检定",
            "description": "【演示】生产线 12 块一般压力表需要周期检定",
            "product": "压力表",
            "standard": "JJG 52-2013",
            "region": "320211",
        },
        allow_similar=True,
    )
    batch = workflow.create(
        by=operator,
        title="【演示】压力表检定批量委托",
        institution=lab,
        demands=[mine, theirs],
        note="两家企业的压力表检定需求，集中交一家机构",
    )
    service = lab.services.filter(published=True, category="metrology").first()
    if service is None:
        return
    try:
        workflow.offer(batch, by=lab.account, service=service, price=Decimal("30"), period_days=7)
    except WorkflowError:
        pass  # the demo institution cannot take orders now: the batch waits for its offer
