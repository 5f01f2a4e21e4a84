"""Demo data for custom packages (DEM-12): the demo enterprise's request for a product that needs
CCC and the EU market, taken by the demo station's staff, with a plan in which the safety test
serves both, proposed and waiting for the enterprise's confirmation."""

from decimal import Decimal

from qihub.accounts.models import User
from qihub.institutions.models import InstitutionService
from qihub.orders.workflow import why_not_orderable
from qihub.packages import workflow
from qihub.packages.models import Recognition


def load_demo_packages() -> None:
    client = User.objects.filter(username="demo_enterprise").first()
    coordinator = User.objects.filter(username="demo_station").first()
    ccc = Recognition.objects.filter(name="强制性产品认证（CCC）").first()
    ce = Recognition.objects.filter(name="出口欧盟（CE）").first()
    services = [
        s
        for s in InstitutionService.objects.filter(published=True).select_related("organisation")[
            :20
        ]
        if not why_not_orderable(s)
    ][:2]
    if client is None or coordinator is None or ccc is None or ce is None or not services:
        return
    package = workflow.request(
        client=client,
        product="【演示】智能电热水壶",
        recognitions=[ccc, ce],
        stages=["research", "production"],
        description="新款电热水壶上市前办理 CCC 认证，同时准备出口欧盟，希望一次检测两处使用。",
    )
    package = workflow.take(package, by=coordinator)
    first, second = services[0], services[-1]
    workflow.add_line(
        package,
        by=coordinator,
        stage="production",
        service=first,
        standard="GB 4706.1-2005 / EN 60335-1",
        price=Decimal("3000"),
        recognitions=[ccc, ce],
    )
    workflow.add_line(
        package,
        by=coordinator,
        stage="production",
        service=second,
        standard="GB 4343.1-2018",
        price=Decimal("2000"),
        recognitions=[ccc],
    )
    workflow.add_line(
        package,
        by=coordinator,
        stage="production",
        service=second,
        standard="EN 55014-1",
        price=Decimal("1500"),
        recognitions=[ce],
    )
    workflow.propose(package, by=coordinator, note="【演示】安全检测一次完成，CCC 与欧盟两处使用")
