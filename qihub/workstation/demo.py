"""Demo data for the workstation (BIO-7, BIO-8, CAT-5): a few towns' figures, five hospitals,
five alliance members, a little talent, one key project and a service manual. Only once: the
manual is the marker."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qihub.accounts.models import User
from qihub.workstation import workflow
from qihub.workstation.models import (
    AllianceMember,
    Hospital,
    IndustryFigure,
    ManualVersion,
    Talent,
    Town,
)

MANUAL_ITEMS = "\n".join(
    [
        "产品引进：注册路径设计、政策导入、落地选址推荐",
        "立项与设计：产品属性界定与分类界定、项目分析",
        "试制与生产：厂房设计指导与合规性评价、质量管理体系建立",
        "注册检验：产品技术要求编写指导、检验协调",
        "临床评价：临床评价路径评估、临床试验医院对接",
        "注册与许可：申报资料预审、现场模拟检查",
        "上市后：质量管理体系周期性评估、医保收费编码申报指导、培训与宣传",
        "重点项目：创新通道推荐及答辩指导、第二类医疗器械优先审批推荐",
    ]
)


def furnish() -> None:
    if ManualVersion.objects.exists():
        return
    operator = User.objects.filter(username="demo_operator").first()
    today = timezone.localdate()
    ManualVersion.objects.create(
        number=1,
        updated_on=today - dt.timedelta(days=180),
        items=MANUAL_ITEMS.rsplit("\n", 1)[0],
        contacts="生物医药产品注册指导服务工作站 电话 021-00000000（工作日 9:00–17:00）",
        how_to_apply="来电、到工作站窗口或在本平台发布服务需求提出申请，工作站在 2 个工作日内联系。",
        created_by=operator,
    )
    ManualVersion.objects.create(
        number=2,
        updated_on=today - dt.timedelta(days=10),
        items=MANUAL_ITEMS,
        contacts="生物医药产品注册指导服务工作站 电话 021-00000000（工作日 9:00–17:00）",
        how_to_apply="来电、到工作站窗口或在本平台发布服务需求提出申请，工作站在 2 个工作日内联系。",
        change_note="新增重点项目服务",
        created_by=operator,
    )
    for index, name in enumerate(["九亭镇", "新桥镇", "车墩镇", "洞泾镇"]):
        town = Town.objects.create(name=name)
        for quarter in (1, 2):
            IndustryFigure.objects.create(
                town=town,
                year=today.year,
                quarter=quarter,
                enterprises=20 + 5 * index + quarter,
                above_scale=5 + index,
                output=Decimal(8000 + 1500 * index + 300 * quarter),
                tax=Decimal(500 + 90 * index + 20 * quarter),
                reported_by=operator,
            )
    hospitals = [
        ("松江区示例中心医院", "心血管内科\n骨科\n医学影像科"),
        ("松江区示例人民医院", "内分泌科\n检验科"),
        ("示例大学附属第一医院松江院区", "神经内科\n肿瘤科"),
        ("松江区示例妇幼保健院", "妇产科\n儿科"),
        ("松江区示例中医医院", "中医科\n康复医学科"),
    ]
    for number, (name, specialties) in enumerate(hospitals, 1):
        Hospital.objects.create(
            name=name,
            filing_number=f"药械临床试验备案 示例{number:03d}",
            specialties=specialties,
            contact=f"临床试验机构办公室 021-0000{number:04d}",
        )
    members = [
        ("松江示例医疗器械有限公司", "一次性使用输液器\n一次性使用注射器"),
        ("示例精密模具有限公司", "医用导管模具加工\n精密注塑"),
        ("示例灭菌技术服务有限公司", "环氧乙烷灭菌服务\n辐照灭菌服务"),
        ("示例生物材料科技有限公司", "医用高分子材料\n可吸收缝合线"),
        ("示例医学检验所", "体外诊断试剂性能评估\n临床检验服务"),
    ]
    for number, (organisation, offers) in enumerate(members, 1):
        AllianceMember.objects.create(
            organisation=organisation, offers=offers, contact=f"联系人 021-1000{number:04d}"
        )
    Talent.objects.create(
        name="钱工", field="有源医疗器械注册", title="高级工程师", organisation="示例大学"
    )
    Talent.objects.create(name="孙工", field="医疗器械质量管理体系", title="工程师")
    if operator is not None:
        project = workflow.open_project(
            by=operator,
            kind="innovation",
            enterprise="松江示例医疗器械有限公司",
            product="药物洗脱冠脉支架",
        )
        workflow.check(project, by=operator, version=None, met=project.checklist[:2])
