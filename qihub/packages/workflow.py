"""Every change of a package goes through here (DEM-12), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009).

The enterprise requests; a platform or station staff member takes the request and becomes its
coordinator (the first responsible person, as for demands) and draws up the plan within the
declared clock `package_plan`; the enterprise accepts the plan (each line then becomes an order
through the orders' own `place`) or returns it; the package completes when every order has ended.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import rules

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import is_client, is_handler
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.institutions.models import InstitutionService
from qihub.notifications.outbox import notify
from qihub.orders import workflow as orders
from qihub.orders.models import OrderStatus
from qihub.packages.models import (
    Package,
    PackageEvaluation,
    PackageEvent,
    PackageLine,
    PackageStatus,
    Recognition,
    Stage,
)
from qihub.workcal.calendar import TZ

PLAN_CLOCK = "package_plan"
S = PackageStatus
ENDED_ORDERS = frozenset({OrderStatus.COMPLETED, OrderStatus.REFUSED, OrderStatus.CANCELLED})


@rules.predicate
def is_package_client(user: User, package: Package | None) -> bool:
    return package is not None and user.pk == package.client_id


@rules.predicate
def is_coordinator(user: User, package: Package | None) -> bool:
    return package is not None and user.pk == package.coordinator_id


FLOW: Workflow[Package] = Workflow(
    Package,
    events=PackageEvent,
    subject="package",
    stale="该申请已有新的办理记录，请刷新页面查看最新状态后再操作",
    claim_clocks=is_handler,
    moves=[
        move(
            "request",
            "提交一揽子服务申请",
            is_client,
            {None},
            S.REQUESTED,
            starts=(PLAN_CLOCK,),
            event="requested",
            refusal="只有企业或个人用户可以申请定制服务",
        ),
        move(
            "take",
            "受理并担任协调人",
            is_handler,
            {S.REQUESTED},
            S.PLANNING,
            event="taken",
            refusal="只有平台或站点工作人员可以受理定制服务申请",
        ),
        move(
            "add_line",
            "添加方案条目",
            is_coordinator,
            {S.PLANNING},
            event="line_added",
            refusal="只有该申请的协调人可以编制方案",
        ),
        move(
            "remove_line",
            "删除方案条目",
            is_coordinator,
            {S.PLANNING},
            event="line_removed",
            refusal="只有该申请的协调人可以编制方案",
        ),
        move(
            "propose",
            "提交方案",
            is_coordinator,
            {S.PLANNING},
            S.PROPOSED,
            stops=(PLAN_CLOCK,),
            event="proposed",
            refusal="只有该申请的协调人可以提交方案",
        ),
        move(
            "return_plan",
            "退回方案修改",
            is_package_client,
            {S.PROPOSED},
            S.PLANNING,
            starts=(PLAN_CLOCK,),
            event="returned",
            refusal="只有申请人可以退回方案",
        ),
        move(
            "accept",
            "确认方案",
            is_package_client,
            {S.PROPOSED},
            S.IN_SERVICE,
            event="accepted",
            refusal="只有申请人可以确认方案",
        ),
        move(
            "withdraw",
            "撤回申请",
            is_package_client,
            {S.REQUESTED, S.PLANNING, S.PROPOSED},
            S.WITHDRAWN,
            stops=(PLAN_CLOCK,),
            event="withdrawn",
            refusal="只有申请人可以撤回申请",
        ),
        move(
            "complete",
            "全部服务完成",
            is_coordinator | is_package_client,
            {S.IN_SERVICE},
            S.COMPLETED,
            event="completed",
            refusal="定制服务随全部订单结束自动完成",
        ),
        move(
            "evaluate",
            "整体评价",
            is_package_client,
            {S.COMPLETED},
            event="evaluated",
            refusal="只有申请人可以评价定制服务",
        ),
    ],
)


def request(
    *,
    client: User,
    product: str,
    recognitions: Iterable[Recognition],
    stages: list[str],
    description: str,
    at: dt.datetime | None = None,
) -> Package:
    """The enterprise's one request for the services a product needs for several recognitions."""
    recognitions = list(recognitions)
    with FLOW.create("request", by=client, at=at) as step:
        if not client.verified_at:
            raise WorkflowError("申请人：须为已通过实名认证的企业或个人用户")
        if not product.strip():
            raise WorkflowError("产品：必须填写")
        if len(recognitions) < 1:
            raise WorkflowError("所需认可用途：至少选择一项")
        if not stages:
            raise WorkflowError("服务环节：至少选择一项")
        package = Package.objects.create(
            number=next_number("DZ", step.at),
            client=client,
            client_organisation=Organisation.objects.filter(account=client).first(),
            product=product.strip(),
            stages=[s for s in Stage.values if s in stages],
            description=description.strip(),
            status=step.target,
            created_at=step.at,
        )
        package.recognitions.set(recognitions)
        step.record = package
        step.note = f"{package.product}：{'、'.join(r.name for r in recognitions)}"
    return package


def take(package: Package, *, by: User) -> Package:
    """The taker becomes the coordinator and answers for the plan's clock."""
    with FLOW.step(package, "take", by=by) as step:
        step.set(coordinator=by)
        clocks_for(step.record).filter(code=PLAN_CLOCK, state=ClockState.RUNNING).update(owner=by)
        step.note = f"协调人：{by.party_name}"
        notify(
            [step.record.client],
            f"定制服务申请 {step.record.number} 已受理",
            f"协调人 {by.party_name} 将与机构编制服务方案。",
            now=step.at,
        )
    return step.record


def add_line(
    package: Package,
    *,
    by: User,
    stage: str,
    service: InstitutionService,
    standard: str,
    price: Decimal,
    recognitions: Iterable[Recognition],
) -> PackageLine:
    recognitions = list(recognitions)
    with FLOW.step(package, "add_line", by=by) as step:
        wanted = set(step.record.recognitions.values_list("pk", flat=True))
        if not recognitions:
            raise WorkflowError("服务的认可用途：至少选择一项")
        if any(r.pk not in wanted for r in recognitions):
            raise WorkflowError("服务的认可用途：只能选择申请中所需的认可用途")
        if stage not in Stage.values:
            raise WorkflowError("服务环节：请选择")
        if not standard.strip():
            raise WorkflowError("依据标准：必须填写")
        if price < 0:
            raise WorkflowError("价格（元）：不能为负数")
        reason = orders.why_not_orderable(service, step.at.astimezone(TZ).date())
        if reason:
            raise WorkflowError(f"服务项目：{reason}")
        line = PackageLine.objects.create(
            package=step.record,
            stage=stage,
            service=service,
            standard=standard.strip(),
            price=price,
        )
        line.recognitions.set(recognitions)
        step.note = (
            f"{service.organisation.name}：{service.name}（{line.standard}，{price} 元）"
            f"→ {'、'.join(r.name for r in recognitions)}"
        )
    return line


def remove_line(package: Package, *, by: User, line: PackageLine) -> Package:
    with FLOW.step(package, "remove_line", by=by) as step:
        if line.package_id != step.record.pk:
            raise WorkflowError("方案条目：不属于该申请")
        step.note = f"删除：{line.service.name}（{line.standard}）"
        line.delete()
    return step.record


def propose(package: Package, *, by: User, note: str = "") -> Package:
    from qihub.packages.plan import figures

    with FLOW.step(package, "propose", by=by) as step:
        if not step.record.lines.exists():
            raise WorkflowError("方案：至少添加一项检测")
        served = set(step.record.lines.values_list("recognitions", flat=True))
        missing = [r.name for r in step.record.recognitions.all() if r.pk not in served]
        if missing:
            raise WorkflowError(f"方案：认可用途“{'、'.join(missing)}”还没有对应的检测")
        step.set(proposed_at=step.at, return_reason="")
        shown = figures(step.record)
        step.note = (
            f"方案共 {step.record.lines.count()} 项检测，套餐价 {shown.package} 元，"
            f"节省 {shown.saving} 元" + (f"；{note.strip()[:200]}" if note.strip() else "")
        )
        step.clock_note = "方案已提交"
        notify(
            [step.record.client],
            f"定制服务方案待确认：{step.record.number}",
            step.note,
            now=step.at,
        )
    return step.record


def return_plan(package: Package, *, by: User, reason: str) -> Package:
    with FLOW.step(package, "return_plan", by=by) as step:
        if not reason.strip():
            raise WorkflowError("退回原因：必须填写")
        step.set(return_reason=reason.strip()[:300])
        step.note = f"申请人退回方案：{reason.strip()[:200]}"
        notify(
            [step.record.coordinator] if step.record.coordinator else [],
            f"定制服务方案被退回：{step.record.number}",
            reason.strip(),
            now=step.at,
        )
    return step.record


def accept(package: Package, *, by: User) -> Package:
    """Each plan line becomes an order placed through the orders' own step; one refused line
    refuses the whole acceptance (nothing half-placed)."""
    with FLOW.step(package, "accept", by=by) as step:
        lines = list(step.record.lines.select_related("service__organisation"))
        if not lines:
            raise WorkflowError("方案：没有检测条目，不能确认")
        numbers = []
        for line in lines:
            names = "、".join(r.name for r in line.recognitions.all())
            order = orders.place(
                client=step.record.client,
                service=line.service,
                description=(
                    f"定制服务 {step.record.number}（{step.record.product}）："
                    f"依据 {line.standard}，方案价格 {line.price} 元，结果用于{names}"
                ),
                at=step.at,
            )
            line.order = order
            line.save(update_fields=["order"])  # a save, not an update: the line keeps its versions
            numbers.append(order.number)
        step.set(accepted_at=step.at)
        step.note = f"已生成订单 {'、'.join(numbers)}"
    return step.record


def ended(package: Package, *, at: dt.datetime | None = None) -> Package | None:
    """Completes the package once every linked order has ended (called after an order's step)."""
    if package.status != S.IN_SERVICE:
        return None
    statuses = list(package.lines.values_list("order__status", flat=True))
    if not statuses or any(s not in ENDED_ORDERS for s in statuses):
        return None
    by = package.coordinator or package.client
    with FLOW.step(package, "complete", by=by, at=at) as step:
        step.set(completed_at=step.at)
        done = statuses.count(OrderStatus.COMPLETED)
        step.note = f"全部 {len(statuses)} 个订单已结束（完成 {done} 个）"
        notify(
            [step.record.client],
            f"定制服务 {step.record.number} 已完成",
            "欢迎对整个定制服务进行评价。",
            now=step.at,
        )
    return step.record


def withdraw(package: Package, *, by: User, reason: str = "") -> Package:
    with FLOW.step(package, "withdraw", by=by) as step:
        step.note = "申请人撤回申请" + (f"：{reason.strip()[:200]}" if reason.strip() else "")
        step.clock_note = "申请人已撤回"
    return step.record


def evaluate(package: Package, *, by: User, data: dict[str, Any]) -> PackageEvaluation:
    with FLOW.step(package, "evaluate", by=by) as step:
        if PackageEvaluation.objects.filter(package=step.record).exists():
            raise WorkflowError("该定制服务已评价")
        evaluation = PackageEvaluation.objects.create(
            package=step.record,
            overall=data["overall"],
            coordination=data["coordination"],
            saving=data["saving"],
            comment=data.get("comment", "").strip()[:500],
            at=step.at,
        )
        step.note = (
            f"整体满意度 {evaluation.overall} 分，协调服务 {evaluation.coordination} 分，"
            f"节省费用与时间 {evaluation.saving} 分"
        )
    return evaluation
