"""From due to done (ENT-1): the due instruments an enterprise ticks become one demand on the
demands app's own publishing step; the report issued for an order placed from that demand
closes their schedules (see `receivers`)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.catalog.models import Category
from qihub.core.workflow import WorkflowError
from qihub.demands import workflow as demands
from qihub.demands.models import Demand
from qihub.equipment.models import Item, Schedule, ScheduleKind


def due_schedules(items: list[Item], today: dt.date) -> list[Schedule]:
    """The schedules of these items that are due soon or overdue and not yet requested."""
    return [
        s
        for item in items
        for s in item.schedules.all()
        if s.due_soon_from is not None
        and s.due_soon_from <= today
        and s.demand_id is None
        and s.kind != ScheduleKind.INTERNAL  # in-house checks need no institution
    ]


@transaction.atomic
def request_service(owner: User, item_ids: list[int], *, today: dt.date | None = None) -> Demand:
    """One demand for the verification/calibration of the ticked due items, in the enterprise's
    region, listing them; their schedules point at it until its report closes them."""
    today = today or timezone.localdate()
    items = list(
        Item.objects.filter(owner=owner, pk__in=item_ids, out_of_service=False)
        .prefetch_related("schedules")
        .order_by("id")
    )
    if not item_ids:
        raise WorkflowError("计量器具：请先勾选要送检的器具")
    schedules = due_schedules(items, today)
    if not schedules:
        raise WorkflowError("计量器具：勾选的器具没有即将到期或已超期、尚未提出需求的检定/校准")
    special = any(s.item.is_special for s in schedules)
    kinds = "、".join(sorted({s.get_kind_display() for s in schedules}))
    title = f"{'特种设备' if special else '计量器具'}{kinds}（{len(schedules)} 项）"
    return _publish(owner, schedules, title, "以下设备即将到期或已超期，请安排：")


def _region(owner: User) -> str:
    organisation = Organisation.objects.filter(account=owner).first()
    region = organisation.region if organisation else ""
    if not region:
        raise WorkflowError("所在地区：企业资料中没有所在地区，请先完善企业认证资料")
    return region


def _publish(
    owner: User, schedules: list[Schedule], title: str, lead: str, urgent_reason: str = ""
) -> Demand:
    """One demand in the owner's region listing these schedules' items, which then point at it
    until its report closes them; urgent (绿色通道) when a reason is given (DEM-14, ENT-2)."""
    region = _region(owner)
    special = any(s.item.is_special for s in schedules)
    # The model is left out: the recommender reads model codes such as XS205 as standard
    # numbers and would then find no institution "covering" them.
    lines = [
        f"{n}. {s.item.name} 出厂编号 {s.item.serial or '无'}"
        f"，测量范围 {s.item.measuring_range or '—'}，准确度 {s.item.accuracy or '—'}"
        f"，{s.get_kind_display()}，到期 {s.due_on:%Y-%m-%d}"
        + ("，强制检定" if s.item.compulsory else "")
        for n, s in enumerate(schedules, 1)
    ]
    names = "、".join(dict.fromkeys(s.item.name for s in schedules))
    demand = demands.publish(
        client=owner,
        data={
            "category": Category.SPECIAL_EQUIPMENT if special else Category.METROLOGY,
            "title": title[:100],
            "description": (lead + "\n" + "\n".join(lines))[:2000],
            "product": names[:200],
            "region": region,
            "wished_by": min(s.due_on for s in schedules),
            "urgent": bool(urgent_reason),
            "urgent_reason": urgent_reason,
        },
        allow_similar=True,  # each batch of due items is its own request
    )
    Schedule.objects.filter(pk__in=[s.pk for s in schedules]).update(demand=demand)
    return demand


@transaction.atomic
def green_channel(owner: User, item_id: int, reason: str) -> Demand:
    """申请绿色通道检验 (ENT-2, LYG 6.3.5.1): an urgent inspection demand for one special-equipment
    item, whether or not it is due yet, through the same path as the due items' requests."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("加急原因：必须填写")
    item = (
        Item.objects.filter(owner=owner, pk=item_id, out_of_service=False)
        .prefetch_related("schedules")
        .first()
    )
    if item is None or not item.is_special:
        raise WorkflowError("特种设备：没有该设备，或设备已停用")
    schedules = [
        s for s in item.schedules.all() if s.demand_id is None and s.kind != ScheduleKind.INTERNAL
    ]
    if not schedules:
        raise WorkflowError(
            "特种设备：该设备没有登记检验项目，或检验已在办理中（请在已提需求中查看）"
        )
    return _publish(
        owner,
        schedules,
        f"特种设备绿色通道检验：{item.name}",
        f"申请绿色通道快速上门检验（校验），原因：{reason}。设备：",
        urgent_reason=reason,
    )


@transaction.atomic
def ask_rectification_help(finding_id: int, owner: User) -> Demand:
    """A self-check finding handed to the platform: one demand for rectification help in the
    enterprise's region (the demands app's own publishing step)."""
    from qihub.equipment.models import Finding

    finding = (
        Finding.objects.select_for_update()
        .select_related("self_check__item")
        .get(pk=finding_id, self_check__item__owner=owner)
    )
    if finding.demand_id is not None or finding.fixed_on is not None:
        raise WorkflowError("隐患：已整改或已申请协助")
    organisation = Organisation.objects.filter(account=owner).first()
    region = organisation.region if organisation else ""
    if not region:
        raise WorkflowError("所在地区：企业资料中没有所在地区，请先完善企业认证资料")
    item = finding.self_check.item
    demand = demands.publish(
        client=owner,
        data={
            "category": Category.SPECIAL_EQUIPMENT,
            "title": f"特种设备隐患整改协助：{item.name}"[:100],
            "description": (
                f"{item.get_kind_display()} {item.name}（设备注册代码 {item.registration_no}，"
                f"使用地点 {item.location or '未填写'}）自查发现：{finding.point}。请协助整改。"
            )[:2000],
            "product": item.get_kind_display(),
            "region": region,
        },
        allow_similar=True,
    )
    finding.demand = demand
    finding.save(update_fields=["demand"])
    return demand
