"""Demo policies, alerts, a subscription and a defect report (CAT-7, CMP-5), added once."""

import datetime as dt

from qihub.accounts.models import User
from qihub.bulletins import alerts, workflow
from qihub.bulletins.models import AlertSubscription, DefectReport, Policy

POLICIES = [
    (
        "中华人民共和国计量法",
        "全国人民代表大会常务委员会",
        "",
        dt.date(2018, 10, 26),
        "metrology",
        "为了加强计量监督管理，保障国家计量单位制的统一和量值的准确可靠……",
    ),
    (
        "关于加强电梯质量安全工作的意见",
        "国务院办公厅",
        "国办发〔2018〕8号",
        dt.date(2018, 2, 6),
        "special_equipment",
        "为进一步加强电梯质量安全工作，保障人民群众生命财产安全……",
    ),
    (
        "检验检测机构资质认定管理办法",
        "国家市场监督管理总局",
        "总局令第39号",
        dt.date(2021, 4, 2),
        "testing",
        "为了规范检验检测机构资质认定工作，优化准入程序……",
    ),
    (
        "企业标准化促进办法",
        "国家市场监督管理总局",
        "总局令第86号",
        dt.date(2023, 8, 31),
        "standards",
        "为了促进企业标准化工作，提升产品和服务质量……",
    ),
]


def furnish() -> None:
    operator = User.objects.filter(username="demo_operator").first()
    enterprise = User.objects.filter(username="demo_enterprise").first()
    if operator is None or Policy.objects.exists():
        return
    for title, issuer, number, issued_on, field, text in POLICIES:
        Policy.objects.create(
            title=title,
            issuer=issuer,
            number=number,
            issued_on=issued_on,
            field=field,
            text=text,
            created_by=operator,
        )
    if enterprise is not None:
        AlertSubscription.objects.create(enterprise=enterprise, field="device", keywords="输液泵")
    alerts.publish(
        by=operator,
        data={
            "kind": "device_event",
            "field": "device",
            "title": "关于输液泵流速异常的风险提示",
            "product": "输液泵",
            "published_on": dt.date.today(),
            "text": "监测发现部分型号输液泵存在流速偏差，请使用单位核对并加强巡检。",
            "source": "国家药品不良反应监测中心",
        },
    )
    if not DefectReport.objects.exists():
        workflow.submit(
            by=enterprise,
            files=[],
            data={
                "contact_name": "张经理",
                "contact_phone": "0510-81234567",
                "product": "电动自行车充电器",
                "maker": "某电器有限公司",
                "model_spec": "CD-48V",
                "field": "consumer",
                "defect": "充电时外壳严重发热并伴有焦味。",
            },
        )
