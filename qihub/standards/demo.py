"""Demo standards (marked 演示数据): a few hundred rows in the portal's layout, loaded through the
same loader as an operator's file, and a demo enterprise watching some of them."""

import datetime as dt

from django.db import transaction

from qihub.accounts.models import User
from qihub.standards.loader import load_rows
from qihub.standards.models import Standard, Watch

KNOWN = [
    ("GB/T 19001-2016", "质量管理体系 要求", "现行", "GB/T 19001-2008", ""),
    ("GB/T 19001-2008", "质量管理体系 要求", "被代替", "", "GB/T 19001-2016"),
    ("GB/T 24001-2016", "环境管理体系 要求及使用指南", "现行", "GB/T 24001-2004", ""),
    ("GB/T 24001-2004", "环境管理体系 要求及使用指南", "被代替", "", "GB/T 24001-2016"),
    ("GB/T 45001-2020", "职业健康安全管理体系 要求及使用指南", "现行", "GB/T 28001-2011", ""),
    ("GB/T 28001-2011", "职业健康安全管理体系 要求", "被代替", "", "GB/T 45001-2020"),
    ("GB/T 27025-2019", "检测和校准实验室能力的通用要求", "现行", "GB/T 27025-2008", ""),
    ("GB/T 27025-2008", "检测和校准实验室能力的通用要求", "被代替", "", "GB/T 27025-2019"),
    (
        "GB/T 6111-2018",
        "流体输送用热塑性塑料管道系统 耐内压性能的测定",
        "现行",
        "GB/T 6111-2003",
        "",
    ),
    ("GB/T 6111-2003", "流体输送用热塑性塑料管材 耐内压试验方法", "被代替", "", "GB/T 6111-2018"),
    ("GB 4806.7-2016", "食品安全国家标准 食品接触用塑料材料及制品", "现行", "", ""),
    ("GB 2763-2021", "食品安全国家标准 食品中农药最大残留限量", "现行", "GB 2763-2019", ""),
    ("GB 2763-2019", "食品安全国家标准 食品中农药最大残留限量", "被代替", "", "GB 2763-2021"),
    ("GB 18580-2017", "室内装饰装修材料 人造板及其制品中甲醛释放限量", "现行", "GB 18580-2001", ""),
    (
        "GB 18580-2001",
        "室内装饰装修材料 人造板及其制品中甲醛释放限量",
        "被代替",
        "",
        "GB 18580-2017",
    ),
    ("GB 7588.1-2020", "电梯制造与安装安全规范 第1部分：乘客电梯和载货电梯", "现行", "", ""),
    (
        "GB/T 2828.1-2012",
        "计数抽样检验程序 第1部分：按接收质量限检索的逐批检验抽样计划",
        "现行",
        "",
        "",
    ),
    ("JB/T 7041-2006", "液压齿轮泵", "废止", "", ""),
    ("QB/T 1952.1-2012", "软体家具 沙发", "现行", "", ""),
    ("DB32/T 3916-2020", "建筑地基基础检测规程", "现行", "", ""),
    ("DB32/T 2919-2016", "电梯维护保养规范", "现行", "", ""),
    ("T/CAS 115-2022", "家具甲醛释放量快速检测方法", "现行", "", ""),
]
PRODUCTS = [
    "电线电缆",
    "塑料管材",
    "电能表",
    "压力表",
    "电子天平",
    "安全帽",
    "儿童玩具",
    "家用电冰箱",
    "燃气灶具",
    "电动自行车",
    "锂离子电池",
    "纺织面料",
    "瓷砖",
    "涂料",
    "胶粘剂",
    "不锈钢餐具",
    "食品包装袋",
    "空气净化器",
    "照明灯具",
    "水泥",
    "钢筋",
    "混凝土外加剂",
    "化肥",
    "润滑油",
    "轮胎",
    "门窗",
    "木质家具",
    "电热水器",
    "电风扇",
    "充电器",
]
ASPECTS = [
    "通用技术条件",
    "试验方法",
    "检验规则",
    "安全要求",
    "标志、包装、运输和贮存",
    "能效限定值",
    "有害物质限量",
    "术语",
]


def rows(today: dt.date) -> list[tuple[int, dict[str, object]]]:
    out = []
    for number, title, status, replaces, replaced_by in KNOWN:
        year = number[-4:]
        out.append(
            (number, title, status, replaces, replaced_by, f"{year}-03-01", f"{year}-10-01", "")
        )
    serial = 33000
    for p, product in enumerate(PRODUCTS):
        for a, aspect in enumerate(ASPECTS):
            serial += 1
            index = p * len(ASPECTS) + a
            title = f"{product} {aspect}"
            year = 2012 + index % 12
            if index % 11 == 0:  # an older edition replaced by a newer one
                old, new = f"GB/T {serial}-{year - 6}", f"GB/T {serial}-{year}"
                out.append(
                    (old, title, "被代替", "", new, f"{year - 6}-03-01", f"{year - 6}-10-01", "")
                )
                out.append((new, title, "现行", old, "", f"{year}-03-01", f"{year}-10-01", ""))
            elif index % 17 == 0:
                out.append(
                    (
                        f"GB/T {serial}-{year}",
                        title,
                        "废止",
                        "",
                        "",
                        f"{year}-03-01",
                        f"{year}-10-01",
                        f"{today.year - 1}-06-01",
                    )
                )
            elif index % 23 == 0:
                effective = dt.date(today.year + 1, 7, 1).isoformat()
                out.append(
                    (
                        f"GB/T {serial}-{today.year}",
                        title,
                        "即将实施",
                        "",
                        "",
                        f"{today.year}-06-01",
                        effective,
                        "",
                    )
                )
            else:
                out.append(
                    (
                        f"GB/T {serial}-{year}",
                        title,
                        "现行",
                        "",
                        "",
                        f"{year}-03-01",
                        f"{year}-10-01",
                        "",
                    )
                )
    names = (
        "number",
        "title",
        "status",
        "replaces",
        "replaced_by",
        "issued_on",
        "effective_on",
        "withdrawn_on",
    )
    return [(line, dict(zip(names, row, strict=True))) for line, row in enumerate(out, 2)]


@transaction.atomic
def load_demo_standards() -> int:
    """Load the demo rows once; the demo enterprise watches a few, one of which has changed."""
    if Standard.objects.filter(demo=True).exists():
        return 0
    today = dt.date.today()
    report = load_rows(rows(today), demo=True, today=today)
    enterprise = User.objects.filter(username="demo_enterprise").first()
    if enterprise is not None:
        for number in ("GB/T 19001-2016", "GB 18580-2017", "GB/T 6111-2018", "GB/T 28001-2011"):
            standard = Standard.objects.filter(number=number).first()
            if standard is not None:
                Watch.objects.get_or_create(user=enterprise, standard=standard)
        Watch.objects.filter(user=enterprise, standard__number="GB/T 28001-2011").update(
            change="状态由“现行”变为“被代替”，被 GB/T 45001-2020 代替",
            changed_at=dt.datetime.now(dt.UTC),
            unread=True,
        )
    return report.created
