"""Demo ledger of the demo enterprise: ten instruments (some due, one overdue, one compulsory
15 days from due) and three pieces of special equipment, relative to today so the demo always
shows every status."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.equipment import engine
from qihub.equipment.models import Item, ItemKind, ScheduleKind

V, C, H = ScheduleKind.VERIFICATION, ScheduleKind.CALIBRATION, ScheduleKind.INTERNAL
# name, model, serial, range, accuracy, location, compulsory, [(kind, months, days to due)]
INSTRUMENTS = [
    ("一般压力表", "Y-100", "YB-001", "0～1.6 MPa", "1.6级", "锅炉房", True, [(V, 6, 15)]),
    ("一般压力表", "Y-100", "YB-002", "0～2.5 MPa", "1.6级", "空压站", True, [(V, 6, 28)]),
    ("电子天平", "XS-205", "TP-001", "0～220 g", "Ⅰ级", "理化室", False, [(C, 12, -5), (H, 3, 40)]),
    ("数显卡尺", "0-150", "KC-001", "0～150 mm", "0.01 mm", "质检室", False, [(C, 12, 120)]),
    ("外径千分尺", "0-25", "QF-001", "0～25 mm", "0级", "质检室", False, [(C, 12, 200)]),
    ("电能表", "DDS-1", "DN-001", "5(60) A", "2级", "配电房", True, [(V, 60, 300)]),
    ("加油机", "JY-2", "JY-001", "5～50 升/分钟", "0.3级", "厂区加油点", True, [(V, 6, 0)]),
    ("温度计", "WNG-11", "WD-001", "0～150 ℃", "1.5级", "反应釜", False, [(C, 12, 90)]),
    ("砝码", "M-20", "FM-001", "20 kg", "M₁等级", "仓库", True, [(V, 12, 60)]),
    ("血压计", "XJ-11", "XY-001", "0～40 千帕", "±0.5 千帕", "医务室", True, [(V, 6, 150)]),
]
SPECIAL = [
    (ItemKind.BOILER, "燃气蒸汽锅炉", "11103202112026000001", "锅11苏00001", "锅炉房", 12, 25),
    (ItemKind.LIFT, "货梯一号", "31103202112026000002", "梯11苏00002", "成品仓库", 12, 55),
    (ItemKind.VEHICLE, "叉车", "51103202112026000003", "车11苏00003", "装卸区", 12, 180),
]


@transaction.atomic
def furnish(username: str = "demo_enterprise") -> int:
    """Add the demo ledger once; returns how many items were created."""
    owner = User.objects.filter(username=username).first()
    if owner is None or Item.objects.filter(owner=owner).exists():
        return 0
    organisation = Organisation.objects.filter(account=owner).first()
    today = timezone.localdate()
    created = 0
    for name, model, serial, rng, acc, where, compulsory, plans in INSTRUMENTS:
        item = Item.objects.create(
            owner=owner,
            organisation=organisation,
            kind=ItemKind.INSTRUMENT,
            name=name,
            model=model,
            serial=serial,
            measuring_range=rng,
            accuracy=acc,
            location=where,
            keeper="【演示】张工",
            compulsory=compulsory,
        )
        for kind, months, days in plans:
            engine.new_schedule(
                item, kind=kind, cycle_months=months, due_on=today + dt.timedelta(days=days)
            ).save()
        created += 1
    for kind, name, registration, certificate, where, months, days in SPECIAL:
        item = Item.objects.create(
            owner=owner,
            organisation=organisation,
            kind=kind,
            name=name,
            registration_no=registration,
            use_certificate_no=certificate,
            location=where,
            keeper="【演示】赵师傅",
        )
        engine.new_schedule(
            item,
            kind=ScheduleKind.INSPECTION,
            cycle_months=months,
            due_on=today + dt.timedelta(days=days),
        ).save()
        created += 1
    _green_channel_demo(owner)
    return created


def _green_channel_demo(owner: User) -> None:
    """One urgent demand from the boiler's 申请绿色通道检验, so the queues show a 加急 row."""
    from qihub.core.workflow import WorkflowError
    from qihub.equipment.due import green_channel

    boiler = Item.objects.filter(owner=owner, kind=ItemKind.BOILER).first()
    if boiler is None:
        return
    try:
        green_channel(owner, boiler.pk, "【演示】锅炉检修后需尽快复检恢复供汽")
    except WorkflowError:
        pass  # the demo enterprise has no region yet: the ledger still stands without it
