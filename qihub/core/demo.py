"""Demo data: a believable, clearly marked (演示数据) set of accounts for every role.

Idempotent: existing accounts are kept as they are (their passwords too). Staff accounts are
created the way the admin creates them; individuals, enterprises and institutions register
through the same forms, SMS code and review workflow that real members go through, and the
demo operator approves them.
"""

import base64
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.accounts.models import Role, User

if TYPE_CHECKING:
    from qihub.accounts.models import Station

DEMO_PASSWORD = "Demo@2026qihub"  # noqa: S105 - printed to the operator on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    registration: dict | None = None  # fields of the registration form, for members


DEMO_PDF = b"%PDF-1.4\n% demo material / \xe6\xbc\x94\xe7\xa4\xba\xe6\x9d\x90\xe6\x96\x99\n%%EOF\n"


def _uscc(first17: str) -> str:
    from qihub.accounts.identifiers import uscc_check_character

    return first17 + uscc_check_character(first17)


def _id_number(first17: str) -> str:
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


def _organisation(name: str, code: str, mobile: str, region: str) -> dict:
    return {
        "name": name,
        "uscc": _uscc(code),
        "mobile": mobile,
        "region": region,
        "address": f"江苏省无锡市示例路 {mobile[-2:]} 号（演示地址）",
        "legal_representative": "演示法人",
        "contact_name": "演示联系人",
    }


def _scope(*rows: tuple[str, str, str, str, str]) -> dict[str, list[str]]:
    """Scope lines as the registration page's row editor posts them (one list per column)."""
    columns = ("category", "object", "parameter", "standard", "limits")
    return {f"line_{c}": [row[i] for row in rows] for i, c in enumerate(columns)}


QUALIFIED = {
    "qualification_type": "CMA",
    "qualification_issuer": "江苏省市场监督管理局（演示）",
    "valid_from": "2024-01-01",
    "valid_until": "2029-12-31",
}


DEMO_ACCOUNTS = [
    DemoAccount(
        "demo_individual",
        Role.INDIVIDUAL,
        "【演示】张晓明",
        {
            "real_name": "张晓明",
            "id_number": _id_number("32010219880512123"),
            "mobile": "19900000001",
        },
    ),
    DemoAccount(
        "demo_enterprise",
        Role.ENTERPRISE,
        "【演示】江南精密机械有限公司",
        _organisation("江南精密机械有限公司（演示）", "91320211MA1QHD001", "19900000002", "320211"),
    ),
    DemoAccount(
        "demo_enterprise2",
        Role.ENTERPRISE,
        "【演示】太湖生物医药科技有限公司",
        _organisation(
            "太湖生物医药科技有限公司（演示）", "91320214MA1QHD002", "19900000003", "320214"
        ),
    ),
    DemoAccount(
        "demo_institution",
        Role.INSTITUTION,
        "【演示】江南计量检测研究院",
        {
            **_organisation(
                "江南计量检测研究院（演示）", "12320200MB1QHD003", "19900000004", "320200"
            ),
            **QUALIFIED,
            "qualification_number": "240000000001",
            "qualification_scope": "长度、热学、力学、电学计量器具检定校准",
            **_scope(
                ("计量", "压力表", "示值误差", "JJG 52-2013", "0~60 MPa"),
                ("计量", "电子天平", "称量误差", "JJG 1036-2022", ""),
                ("检验检测", "电线电缆", "导体电阻", "GB/T 3048.4-2007", ""),
                ("检验检测", "塑料管材", "静液压强度", "GB/T 6111-2018", ""),
            ),
        },
    ),
    DemoAccount(
        "demo_institution2",
        Role.INSTITUTION,
        "【演示】滨湖质量认证中心",
        {
            **_organisation(
                "滨湖质量认证中心（演示）", "12320211MB1QHD004", "19900000005", "320211"
            ),
            **QUALIFIED,
            "qualification_type": "CNCA",
            "qualification_number": "CNCA-R-2024-0001",
            "qualification_issuer": "国家认证认可监督管理委员会（演示）",
            "qualification_scope": "质量管理体系认证",
            **_scope(
                ("认证认可", "质量管理体系认证", "GB/T 19001-2016", "", ""),
                ("认证认可", "环境管理体系认证", "GB/T 24001-2016", "", ""),
            ),
        },
    ),
    DemoAccount("demo_expert", Role.EXPERT, "【演示】李工（计量专家）"),
    DemoAccount("demo_station", Role.STATION_STAFF, "【演示】高新区服务站 王敏"),
    DemoAccount("demo_operator", Role.OPERATOR, "【演示】平台运营中心"),
    DemoAccount("demo_supervisor", Role.SUPERVISOR, "【演示】市场监督管理局质量发展处"),
    DemoAccount("demo_admin", Role.ADMIN, "【演示】系统管理员"),
]


# (name, category, description, working days, pricing, price, unit)
DEMO_SERVICES = {
    "demo_institution": [
        (
            "压力表检定",
            "metrology",
            "一般压力表、精密压力表首次及后续检定，出具检定证书",
            3,
            "fixed",
            "35",
            "台件",
        ),
        (
            "电子天平校准",
            "metrology",
            "电子天平称量误差、重复性、偏载校准",
            5,
            "fixed",
            "120",
            "台件",
        ),
        ("电线电缆导体电阻检测", "testing", "按 GB/T 3048.4 检测导体直流电阻", 7, "quote", "", ""),
    ],
    "demo_institution2": [
        (
            "质量管理体系认证",
            "certification",
            "GB/T 19001 初次认证、监督审核与再认证",
            30,
            "quote",
            "",
            "",
        ),
        ("体系认证政策咨询", "certification", "认证流程与材料准备的免费咨询", 1, "free", "", ""),
    ],
}


def _publish_demo_services(account: DemoAccount) -> None:
    from qihub.institutions.forms import ServiceForm

    if account.username not in DEMO_SERVICES:
        return
    organisation = User.objects.get(username=account.username).organisation
    for name, category, description, days, pricing, price, unit in DEMO_SERVICES[account.username]:
        data = {
            "name": name,
            "category": category,
            "description": description,
            "period_days": days,
            "pricing": pricing,
            "price": price,
            "price_unit": unit,
        }
        form = ServiceForm(data, organisation=organisation)
        if not form.is_valid():
            raise ValueError(f"demo service {name} is invalid: {form.errors.as_json()}")
        form.instance.organisation = organisation
        form.save()


def _register_member(account: DemoAccount) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.core import pii
    from qihub.notifications.models import DeliveredMessage
    from qihub.onboarding import workflow
    from qihub.onboarding.forms import FORMS
    from qihub.onboarding.mobile import send_code

    data = {
        **account.registration,
        "username": account.username,
        "password": DEMO_PASSWORD,
        "password_again": DEMO_PASSWORD,
        "display_name": account.display_name,
        "email": f"{account.username}@demo.invalid",
        "consent": "on",
    }
    # The code is read from the SMS outbox, as the person would read it on the phone.
    send_code(data["mobile"], None)
    sms = DeliveredMessage.objects.filter(address=pii.mask(data["mobile"], 3, 4)).latest("id")
    data["mobile_code"] = sms.text.split("验证码是 ")[1][:6]
    form_class = FORMS[account.role]
    files = {
        field: SimpleUploadedFile(f"{field}.pdf", DEMO_PDF, "application/pdf")
        for field in form_class.materials
    }
    form = form_class(data, files)
    if not form.is_valid():
        raise ValueError(
            f"demo registration {account.username} is invalid: {form.errors.as_json()}"
        )
    application = workflow.register(form)
    User.objects.filter(pk=application.applicant_id).update(is_demo=True)
    workflow.approve(application, by=User.objects.get(username="demo_operator"), note="演示数据")
    _publish_demo_services(account)


def ensure_demo_totp(user: User) -> TOTPDevice:
    """Staff log in with a TOTP code (ACC-9); demo staff get a device whose secret is printed."""
    device = TOTPDevice.objects.filter(user=user, name="演示验证器").first()
    return device or TOTPDevice.objects.create(user=user, name="演示验证器", confirmed=True)


def current_totp(username: str) -> str:
    """The code a demo staff member's authenticator would show now (demo accounts only)."""
    device = TOTPDevice.objects.get(user__username=username, user__is_demo=True, name="演示验证器")
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def load_demo_data() -> int:
    """Create the missing demo accounts; return how many were created."""
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    # Staff first: the demo operator approves the members' registrations.
    for account in sorted(DEMO_ACCOUNTS, key=lambda a: a.registration is not None):
        if account.username in existing:
            continue
        if account.registration is not None:
            _register_member(account)
            continue
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            display_name=account.display_name,
            # .invalid never resolves: demo mail can only land in the platform's own outbox.
            email=f"{account.username}@demo.invalid",
            is_demo=True,
            is_superuser=account.role == Role.ADMIN,
            verified_at=timezone.now(),
        )
        if user.needs_second_factor:
            ensure_demo_totp(user)
    if "demo_enterprise" not in existing:
        _publish_demo_demand()
    if "demo_station" not in existing:
        _open_demo_station()
        from qihub.agency.demo import load_demo_agency

        load_demo_agency()
        from qihub.packages.demo import load_demo_packages

        load_demo_packages()
    if "demo_operator" not in existing:
        _publish_demo_notice()
    _publish_demo_guidance()
    if "demo_expert" not in existing:
        _demo_diagnosis()
    from qihub.clinic.demo import furnish as furnish_clinic

    furnish_clinic()  # once: three experts and a few questions, one in the library
    from qihub.standards.demo import load_demo_standards

    load_demo_standards()
    from qihub.equipment.demo import furnish

    furnish()  # once: the demo enterprise's instrument and special-equipment ledgers
    from qihub.workstation import demo as workstation_demo

    workstation_demo.furnish()  # once: the manual, towns, directories and a key project
    from qihub.biomed.demo import furnish as furnish_archives

    furnish_archives()  # once: a device archive of the demo biomedical enterprise
    __import__("qihub.training.demo").training.demo.furnish()  # once: pledge, events, hours
    import_module("qihub.bulletins.demo").furnish()  # once: policies, alerts, a defect report
    import_module("qihub.finance.demo").furnish()  # once: finance products and a referral
    import_module("qihub.support.demo").furnish()  # once: two support requests, one answered
    if "demo_institution" not in existing:
        _open_demo_resources()
    if "demo_institution" not in existing:
        _list_demo_instruments()
    _demo_flow_run()
    from qihub.improvement.demo import furnish as furnish_plan

    furnish_plan()  # once: this year's published improvement plan, one action under way
    from qihub.archive.demo import furnish as furnish_archive_access

    furnish_archive_access()  # once: the operator head and a granted, used archive access
    from qihub.filing.demo import furnish as furnish_filing

    furnish_filing()  # once: the retention rules and two filed cases, one past retention
    from qihub.demands.demo import furnish_follow_up
    from qihub.evaluations.demo import furnish_visits

    furnish_follow_up()  # once: the demo demand in service with a follow-up logged (DEM-7)
    furnish_visits()  # once: one return visit recorded in the archive (EVAL-2)
    from qihub.pooling.demo import furnish as furnish_pooling

    furnish_pooling()  # once: two enterprises' gauge demands pooled and offered
    from qihub.ops.demo import furnish as furnish_monitoring

    furnish_monitoring()  # once: the clock sweep's last run (OPS-1)
    return len(DEMO_ACCOUNTS) - len(existing)


def _demo_flow_run() -> None:
    """One running drug-testing flow (附录 B) of the demo enterprise, its first step done and the
    team's matching step on the clock (BIO-2). Only once: any run is the marker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.catalog.models import ServiceItem
    from qihub.flows import workflow as flows
    from qihub.flows.models import FlowRun, FlowTemplate

    template = FlowTemplate.current("B")
    if FlowRun.objects.exists() or template is None:
        return
    firm = User.objects.get(username="demo_enterprise")
    operator = User.objects.get(username="demo_operator")
    run = flows.start(
        template,
        by=firm,
        enterprise=firm.organisation,
        subject="【演示】阿莫西林胶囊含量与溶出度检验",
        item=ServiceItem.objects.filter(code="drug-testing").first(),
    )
    letter = SimpleUploadedFile("检验委托书.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    letter.sniffed_type = "application/pdf"
    flows.tick(
        run,
        by=operator,
        version=run.version,
        position=1,
        note="【演示】窗口代收检验委托书",
        upload=letter,
    )


def _publish_demo_guidance() -> None:
    """Declaration windows open, upcoming and closed, the demo enterprise's standards (one past
    its review date) and one declaration it follows (ENT-4, ENT-5). Dates count from today, so
    the calendar always has each phase. Only once: windows are the marker."""
    import datetime as dt

    from qihub.guidance import workflow
    from qihub.guidance.models import DeclarationWindow, Declared, EnterpriseStandard

    if DeclarationWindow.objects.exists():
        return
    operator = User.objects.filter(username="demo_operator").first()
    enterprise = User.objects.filter(username="demo_enterprise").first()
    if operator is None or enterprise is None:
        return
    today = timezone.localdate()
    day = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    windows = [
        (
            "quality_award",
            "【演示】市长质量奖申报",
            "市市场监督管理局",
            day(-10),
            day(8),
            "在本市依法注册登记满三年\n近三年未发生重大质量、安全、环保事故\n实施卓越绩效管理满两年",
            "申报表\n卓越绩效自评报告\n近三年财务报表",
            "《市长质量奖管理办法》",
        ),
        (
            "pilot",
            "【演示】省级标准化试点示范项目申报",
            "省市场监督管理局",
            day(-3),
            day(30),
            "标准体系基本建立\n有专门的标准化工作机构和人员",
            "项目申报书\n标准体系表",
            "《江苏省标准化试点示范项目管理办法》",
        ),
        (
            "credit_grade",
            "【演示】质量信用 AAA 级企业评定",
            "省市场监督管理局",
            day(15),
            day(60),
            "近三年产品监督抽查合格\n无严重失信记录",
            "评定申请表\n质量信用报告",
            "江苏省质量信用 A 级及以上企业等级评定办法",
        ),
        (
            "jiangsu_fine",
            "【演示】“江苏精品”认证申报",
            "省市场监督管理局",
            day(-90),
            day(-30),
            "产品质量达到国内先进水平",
            "申请书",
            "《“江苏精品”评价通则》",
        ),
        (
            "geo_indication",
            "【演示】地理标志产品保护申报咨询",
            "市市场监督管理局",
            day(-5),
            day(45),
            "产品具有地域特色",
            "产地范围说明\n质量技术要求",
            "",
        ),
    ]
    made = [
        DeclarationWindow.objects.create(
            kind=kind,
            level={"quality_award": "city", "geo_indication": ""}.get(kind, "province"),
            title=title,
            department=dept,
            opens_on=opens,
            closes_on=closes,
            eligibility=items,
            materials=materials,
            basis=basis,
            apply_url="https://www.jszwfw.gov.cn/",
            published_by=operator,
        )
        for kind, title, dept, opens, closes, items, materials, basis in windows
    ]
    workflow.start(made[0], by=enterprise, met=made[0].checklist[:2])
    for number, title, declared, declared_on in [
        ("Q/320214 001—2022", "不锈钢真空保温容器", Declared.DECLARED, day(-3 * 365 - 20)),
        ("Q/320214 002—2025", "食品接触用硅橡胶密封圈", Declared.DECLARED, day(-200)),
        ("Q/320214 003—2026", "便携式电热水杯", Declared.NOT_DECLARED, None),
    ]:
        EnterpriseStandard.objects.create(
            owner=enterprise,
            number=number,
            title=f"【演示】{title}",
            product=title,
            issued_on=declared_on or day(-30),
            declared=declared,
            declared_on=declared_on,
        )


# Two labs (one 公益, one paid) and a few published results, so 资源开放 has something to show.
DEMO_LABS = [
    (
        "demo_institution",
        "【演示】力学性能开放实验室",
        "120",
        "万能材料试验机、冲击试验机，可做金属材料拉伸、弯曲、冲击试验",
        8,
        True,
        None,
    ),
    (
        "demo_institution2",
        "【演示】电磁兼容开放实验室",
        "85.5",
        "三米法半电波暗室，传导骚扰、静电放电与浪涌抗扰度测试",
        6,
        False,
        "300",
    ),
]
DEMO_RESULTS = [
    (
        "demo_institution",
        "research",
        "【演示】压力仪表快速校准方法",
        "计量",
        "free",
        "一种在现场快速校准一般压力表的方法，已在本地企业试用。",
    ),
    (
        "demo_institution",
        "standard",
        "【演示】压力表检定规程要点解读",
        "计量",
        "free",
        "对 JJG 52-2013 弹性元件式一般压力表检定要点的说明。",
    ),
    (
        "demo_institution2",
        "technical",
        "【演示】电子产品电磁兼容整改指南",
        "检验检测",
        "paid",
        "常见电磁兼容问题的定位与整改方法，附典型案例。",
    ),
]


DEMO_INSTRUMENTS = [
    # (owner, name, model, maker, capabilities, modes, free, per sample, per hour, approval)
    (
        "demo_institution",
        "电感耦合等离子体发射光谱仪",
        "ICP-5110",
        "安捷伦科技（演示）",
        "金属元素含量分析：铅、镉、铬、汞等重金属；检出限 0.1 微克每升",
        ["test", "operate"],
        False,
        "200",
        "300",
        True,
    ),
    (
        "demo_institution",
        "万能材料试验机",
        "WDW-100",
        "济南试验机厂（演示）",
        "拉伸、压缩、弯曲试验；最大试验力 100 千牛",
        ["test", "operate", "project"],
        False,
        "150",
        "120",
        False,
    ),
    (
        "demo_institution",
        "恒温恒湿试验箱",
        "HS-225",
        "无锡环境试验设备（演示）",
        "温度 -40~150 摄氏度，湿度 20%~98%；电子电器环境适应性试验",
        ["test"],
        True,
        None,
        None,
        True,
    ),
    (
        "demo_institution2",
        "气相色谱质谱联用仪",
        "GCMS-2020",
        "岛津（演示）",
        "挥发性有机物、甲醛、农药残留分析",
        ["test", "project"],
        False,
        "350",
        None,
        True,
    ),
]


def _open_demo_resources() -> None:
    from decimal import Decimal

    from qihub.accounts.models import Organisation
    from qihub.opening import services
    from qihub.opening.models import Laboratory, OpenResult

    def organisation_of(username: str) -> Organisation | None:
        return Organisation.objects.filter(account__username=username).first()

    for username, name, area, equipped, capacity, free, price in DEMO_LABS:
        organisation = organisation_of(username)
        if organisation is None:
            continue
        services.create_lab(
            organisation,
            Laboratory(
                name=name,
                area=Decimal(area),
                equipped_for=equipped,
                capacity=capacity,
                free=free,
                price_per_hour=Decimal(price) if price else None,
                rules="首次使用须参加安全培训；按预约时间使用，结束后清理场地。",
            ),
        )
    for username, kind, title, field, terms, summary in DEMO_RESULTS:
        organisation = organisation_of(username)
        if organisation is None:
            continue
        OpenResult.objects.create(
            kind=kind,
            title=title,
            field=field,
            organisation=organisation,
            contact_name="王工",
            contact_phone="0510-85550000",
            terms=terms,
            summary=summary,
            created_by=organisation.account,
        )


def _list_demo_instruments() -> None:
    """Three or four listed instruments of the demo institutions, open on working days."""
    import datetime as dt
    from decimal import Decimal

    from qihub.bookings.models import Resource, ResourceKind, WeeklyHour
    from qihub.instruments.models import Instrument
    from qihub.instruments.services import search_text

    for owner, name, model, maker, text, modes, free, sample, hour, approval in DEMO_INSTRUMENTS:
        organisation = User.objects.get(username=owner).organisation
        resource = Resource.objects.create(
            kind=ResourceKind.INSTRUMENT,
            organisation=organisation,
            name=name,
            slot_minutes=60,
            max_slots=8,
            needs_approval=approval,
        )
        for weekday in range(5):
            WeeklyHour.objects.create(
                resource=resource, weekday=weekday, opens=dt.time(9), closes=dt.time(17)
            )
        instrument = Instrument(
            resource=resource,
            owner=organisation,
            name=name,
            model=model,
            maker=maker,
            capabilities=text,
            location=f"{organisation.name}仪器室",
            modes=modes,
            free=free,
            price_per_sample=Decimal(sample) if sample else None,
            price_per_hour=Decimal(hour) if hour else None,
            rules="自主上机须经本机构培训并登记上机资格；送样请附样品信息单。",
        )
        instrument.search_text = search_text(instrument)
        instrument.save()


def _publish_demo_notice() -> None:
    """One notice so the home page's 通知公告 is not empty on a demo."""
    from qihub.catalog import workflow

    workflow.publish(
        by=User.objects.get(username="demo_operator"),
        title="【演示】质量基础设施一站式服务平台试运行公告",
        body="平台试运行期间，检验检测、计量、认证等服务可在线查询机构、发布需求和下单；"
        "如遇问题请拨打页面底部的服务热线。",
    )


def _open_demo_station() -> None:
    """The demo station staff work at a station, so the window checklist has something to check."""
    from qihub.accounts.models import Station, StationKind

    station, _ = Station.objects.get_or_create(
        name="【演示】高新区质量基础设施一站式服务站",
        defaults={
            "region": "320214",
            "address": "无锡市新吴区",
            "kind": StationKind.TOWN,
            "unified_name": "质量基础设施一站式服务站",
            "mark": "质量服务站统一标识（红底白字）",
            "phone": "0510-80000000",
        },
    )
    User.objects.filter(username="demo_station").update(station=station)
    _furnish_demo_station(station)


def _furnish_demo_station(station: "Station") -> None:
    """Hours with a late Wednesday, the head of operations, areas, the board and two upkeep
    items (one due within its reminder window) so every station page has something to show."""
    import datetime as dt

    from qihub.catalog.models import ServiceItem
    from qihub.stations.models import Area, AreaKind, Membership, Period, Profile, UpkeepItem

    for day in range(5):
        Period.objects.create(station=station, weekday=day, opens=dt.time(9), closes=dt.time(17))
    Period.objects.create(
        station=station, weekday=2, opens=dt.time(18), closes=dt.time(20), extended=True
    )
    head = User.objects.get(username="demo_station")
    Membership.objects.create(station=station, user=head, full_time=True, is_head=True)
    for kind, name in [
        (AreaKind.RECEPTION, "接待区"),
        (AreaKind.CONSULTATION, "咨询窗口"),
        (AreaKind.TERMINAL, "自助服务终端"),
        (AreaKind.DISPLAY, "产品展示区"),
    ]:
        Area.objects.create(station=station, kind=kind, name=name)
    profile = Profile.objects.create(
        station=station,
        organisation="站长（运营负责人）一名，专职服务人员若干",
        duties="受理企业质量技术服务需求，推荐服务机构，跟踪办理结果",
        rules="首问负责制、一次性告知制、限时办结制",
        service_list="检验检测、计量、认证认可、标准、质量管理咨询",
        process="登记需求—一个工作日内响应—三个工作日内推荐机构—跟踪办结",
        complaint_phone="12315",
    )
    # The first guides of the catalogue, so the station's page lists services it offers.
    profile.services.set(ServiceItem.objects.order_by("position", "pk")[:6])
    today = timezone.localdate()
    UpkeepItem.objects.create(
        station=station,
        name="消防通道与安全出口",
        cycle_days=30,
        responsible=head,
        remind_days=7,
        due_on=today + dt.timedelta(days=3),
    )
    UpkeepItem.objects.create(
        station=station,
        name="标识标牌",
        cycle_days=180,
        responsible=head,
        remind_days=14,
        due_on=today + dt.timedelta(days=90),
    )


def _publish_demo_demand() -> None:
    """One open demand so the operator's queue and the enterprise's list are not empty."""
    from qihub.demands import workflow

    workflow.publish(
        client=User.objects.get(username="demo_enterprise"),
        data={
            "category": "metrology",
            "title": "车间压力表年度检定",
            "description": "【演示】车间 30 块一般压力表到期，需要按 JJG 52 检定，希望下月前完成",
            "product": "压力表",
            "standard": "JJG 52-2013",
            "region": "320211",
        },
    )


def _demo_diagnosis() -> None:
    """A diagnosis with an open problem, a published and an awaiting showcase entry, and two
    failed reports of one parameter, so the diagnosis, results and risk pages are not empty."""
    import datetime as dt
    import io

    from pypdf import PdfWriter

    from qihub.diagnosis import workflow as diagnosis
    from qihub.orders import workflow as orders

    expert = User.objects.get(username="demo_expert")
    operator = User.objects.get(username="demo_operator")
    first = User.objects.get(username="demo_enterprise")
    second = User.objects.get(username="demo_enterprise2")
    today = timezone.localdate()
    visit = diagnosis.record_visit(
        by=expert,
        enterprise=first.organisation,
        visited_on=today - dt.timedelta(days=3),
        kind="5s",
        visitors="李工（计量专家）",
        findings="【演示】机加工车间待检品与合格品混放，量具未定置管理。",
        problems=[
            {
                "description": "待检品与合格品混放",
                "severity": "major",
                "solution": "划分待检区、合格区、不合格区并挂牌标识",
                "due_date": today + dt.timedelta(days=30),
            }
        ],
    )
    entry = diagnosis.propose(
        by=operator,
        kind="enterprise",
        title="【演示】江南精密机械：精益质量管理标杆",
        enterprise=visit.enterprise,
        summary="推行 5S 与精益生产，产品一次交检合格率连续三年保持在 99% 以上。",
        year=today.year - 1,
        honours="市长质量奖提名奖",
    )
    diagnosis.decide(entry, "consent", by=first, version=entry.version)
    diagnosis.propose(
        by=operator,
        kind="product",
        title="【演示】太湖生物医药：一次性使用输液器",
        enterprise=second.organisation,
        summary="产品通过江苏精品认证。",
        year=today.year - 1,
        honours="江苏精品",
    )
    # Two reports failing the same parameter: a recurring failure the demo station sees.
    lab = User.objects.get(username="demo_institution")
    service = lab.organisation.services.filter(price__isnull=False).first()
    if service is None:
        return
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    for days_ago in (200, 20):
        order = orders.place(
            client=second,
            service=service,
            description="【演示】输液器用压力表送检",
            at=timezone.now() - dt.timedelta(days=days_ago),
        )
        order = orders.confirm(order, by=lab, version=order.version)
        report = orders.issue_report(
            order,
            by=lab,
            version=order.version,
            source=blank.getvalue(),
            filename="report.pdf",
            conclusion="【演示】示值误差不合格",
            verify_base="",
            results=[("压力表", "示值误差", False), ("压力表", "回程误差", True)],
        )
        # Demo only: spread the two reports over two quarters so the summary has a history.
        type(report).objects.filter(pk=report.pk).update(
            issued_at=timezone.now() - dt.timedelta(days=days_ago)
        )
