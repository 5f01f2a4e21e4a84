"""A standards table loaded the way operators load it: the portal's export through the page."""

import csv
import io

import pytest
from huey.contrib.djhuey import HUEY
from openpyxl import Workbook

HEADER = [
    "序号",
    "标准号",
    "标准名称",
    "标准性质",
    "发布日期",
    "实施日期",
    "状态",
    "代替标准",
    "被代替标准",
]

ROWS = [
    [
        "GB/T 19001-2016",
        "质量管理体系 要求",
        "推荐性",
        "2016-12-30",
        "2017-07-01",
        "现行",
        "GB/T 19001-2008",
        "",
    ],
    [
        "GB/T 19001-2008",
        "质量管理体系 要求",
        "推荐性",
        "2008-10-29",
        "2009-03-01",
        "被代替",
        "",
        "GB/T 19001-2016",
    ],
    [
        "GB/T 24001-2016",
        "环境管理体系 要求及使用指南",
        "推荐性",
        "2016-10-13",
        "2017-05-01",
        "现行",
        "GB/T 24001-2004",
        "",
    ],
    [
        "GB/T 24001-2004",
        "环境管理体系 要求及使用指南",
        "推荐性",
        "2004-11-30",
        "2005-05-15",
        "被代替",
        "",
        "GB/T 24001-2016",
    ],
    [
        "GB/T 6111-2018",
        "流体输送用热塑性塑料管道系统 耐内压性能的测定",
        "推荐性",
        "2018-05-14",
        "2018-12-01",
        "现行",
        "GB/T 6111-2003",
        "",
    ],
    [
        "GB/T 6111-2003",
        "流体输送用热塑性塑料管材 耐内压试验方法",
        "推荐性",
        "2003-01-01",
        "2003-06-01",
        "被代替",
        "",
        "GB/T 6111-2018",
    ],
    [
        "GB 4806.7-2016",
        "食品安全国家标准 食品接触用塑料材料及制品",
        "强制性",
        "2016-10-19",
        "2017-10-19",
        "现行",
        "",
        "",
    ],
    ["JB/T 1234-2010", "示例机械 通用技术条件", "", "2010-02-01", "2010-07-01", "废止", "", ""],
    [
        "DB32/T 3000-2016",
        "示例地方标准 电梯维护保养规范",
        "",
        "2016-03-01",
        "2016-04-01",
        "现行",
        "",
        "",
    ],
    [
        "T/CAS 115-2022",
        "示例团体标准 家具甲醛释放量快速检测",
        "",
        "2022-01-10",
        "2022-02-01",
        "现行",
        "",
        "",
    ],
    [
        "GB/T 46000-2026",
        "示例标准 智能电能表 远程校验方法",
        "推荐性",
        "2026-06-01",
        "2027-07-01",
        "即将实施",
        "GB/T 36000-2018",
        "",
    ],
    [
        "GB/T 36000-2018",
        "示例标准 电能表 远程校验方法",
        "推荐性",
        "2018-03-01",
        "2018-10-01",
        "现行",
        "",
        "",
    ],
] + [
    [
        f"GB/T {31000 + i}-2020",
        f"示例产品{i} 检验规则",
        "推荐性",
        "2020-03-01",
        "2020-10-01",
        "现行",
        "",
        "",
    ]
    for i in range(40)
]


def xlsx(rows: list[list], header: list[str] = HEADER, name: str = "标准.xlsx") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["全国标准信息公共服务平台 导出"])  # the title row the export starts with
    sheet.append(header)
    for index, row in enumerate(rows, 1):
        sheet.append([index, *row])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def gbk_csv(header: list[str], rows: list[list], name: str = "标准.csv") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    out = io.BytesIO(text.getvalue().encode("gb18030"))
    out.name = name
    return out


@pytest.fixture
def run_tasks_now():
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture
def load(client_as, operator, run_tasks_now, django_capture_on_commit_callbacks):
    """load(file) → the job page's response after the background load ran."""
    staff = client_as(operator)

    def run(upload: io.BytesIO, **extra: object):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post("/ops/standards/load/", {"upload": upload, **extra})
        assert response.status_code == 302, response.content.decode()[:2000]
        return staff.get(response["Location"])

    return run


@pytest.fixture
def table(load):
    page = load(xlsx(ROWS))
    assert "导入完成：新增 52 条" in page.content.decode()
    return page
