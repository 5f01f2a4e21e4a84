"""Standards information and watch (ENT-3): operators load the portal's export; anyone looks a
number up in any spelling and searches by words; an enterprise checks its list of executed
standards and watches standards, and is told when a load changes one."""

import io

import pytest
from openpyxl import load_workbook

from qihub.notifications.models import Notification
from qihub.standards.models import Standard
from qihub.standards.tests.conftest import ROWS, gbk_csv, xlsx

pytestmark = pytest.mark.req("ENT-3")


def test_operators_load_the_portal_export_with_a_row_report_and_the_changes(load, table):
    text = table.content.decode()
    assert 'data-testid="load-progress"' in text and "<progress" in text
    assert 'value="100"' in text
    assert "GB/T 19001-2016" in text and "新增" in text  # the list of what changed
    gb = Standard.objects.get(number="GB 4806.7-2016")
    assert gb.get_kind_display() == "国家标准"
    assert Standard.objects.get(number="GB/T 19001-2016").get_kind_display() == "推荐性国家标准"
    assert Standard.objects.get(number="DB32/T 3000-2016").get_kind_display() == "地方标准"
    assert Standard.objects.get(number="T/CAS 115-2022").get_kind_display() == "团体标准"
    assert Standard.objects.get(number="JB/T 1234-2010").get_kind_display() == "行业标准"

    # The second load: a CSV in GBK with the usual header variants, a status change, a
    # replacement, a new standard and bad rows that are reported and leave nothing behind.
    header = [
        "标准编号",
        "中文标准名称",
        "发布时间",
        "实施时间",
        "标准状态",
        "被替代标准",
        "作废日期",
    ]
    rows = [
        [
            "GB/T 36000-2018",
            "示例标准 电能表 远程校验方法",
            "2018-03-01",
            "2018-10-01",
            "被代替",
            "GB/T 46000-2026",
            "",
        ],
        [
            "GB/T 31000-2020",
            "示例产品0 检验规则",
            "2020/3/1",
            "2020年10月1日",
            "废止",
            "",
            "2026-11-01",
        ],
        ["GB/T 31001-2020", "示例产品1 检验规则", "2020-03-01", "2020-10-01", "现行", "", ""],
        ["GB/T 50000-2025", "示例新标准 检验方法", "2025-01-01", "2025-06-01", "现行有效", "", ""],
        ["GB/T 50001-2025", "坏日期的新标准", "2025-13-01", "2025-06-01", "现行", "", ""],
        [
            "GB/T 31002-2020",
            "示例产品2 检验规则 改名",
            "2020-03-01",
            "2020-10-01",
            "不知道",
            "",
            "",
        ],
        ["", "没有标准号", "2020-03-01", "2020-10-01", "现行", "", ""],
    ]
    page = load(gbk_csv(header, rows))
    text = page.content.decode()
    assert "新增 1 条，更新 2 条，未变 1 条，3 处错误的行未导入" in text
    assert "第 6 行“发布日期”：“2025-13-01”不是有效的日期" in text
    assert "第 7 行“状态”：“不知道”不是可识别的状态" in text
    assert "第 8 行“标准号”：不能为空" in text
    assert not Standard.objects.filter(number="GB/T 50001-2025").exists()
    assert Standard.objects.get(number="GB/T 31002-2020").title == "示例产品2 检验规则"  # untouched
    changes = text[text.index('data-testid="load-changes"') :]
    assert "被 GB/T 46000-2026 代替" in changes
    assert "状态由“现行”变为“废止”" in changes
    assert "GB/T 50000-2025" in changes


def test_a_file_without_the_number_column_is_refused_whole(load, table):
    page = load(xlsx([["x", "y"]], header=["名称", "日期"]))
    assert "未导入：文件缺少“标准号”列" in page.content.decode()


def test_the_load_form_refuses_a_file_that_is_not_excel_or_csv(client_as, operator):
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "标准.pdf"
    response = client_as(operator).post("/ops/standards/load/", {"upload": upload})
    assert response.status_code == 400
    assert "标准文件：只接受 Excel（.xlsx）、CSV 文件" in response.content.decode()


def test_the_progress_bar_is_polled_while_the_load_runs(client_as, operator):
    from qihub.standards.models import LoadJob

    job = LoadJob.objects.create(
        created_by=operator, filename="标准.xlsx", data=b"", total=400, done=100, status="running"
    )
    response = client_as(operator).get(f"/ops/standards/load/{job.pk}/", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'hx-trigger="every 1s"' in text and 'value="25"' in text and "100 / 400 行" in text


@pytest.mark.parametrize(
    "typed, number",
    [
        ("GB/T 19001-2016", "GB/T 19001-2016"),
        ("gbt19001—2016", "GB/T 19001-2016"),
        ("GB/T19001", "GB/T 19001-2016"),  # without the year: the current edition
        ("gb／t 19001－2008", "GB/T 19001-2008"),
        ("db32t3000-2016", "DB32/T 3000-2016"),
    ],
)
def test_look_up_a_number_in_any_spelling_on_the_page_and_through_the_api(
    client, table, typed, number
):
    page = client.get("/standards/", {"number": typed})
    result = page.content.decode().split('data-testid="lookup-result"')[1]
    assert number in result
    api = client.get("/api/v1/standards/lookup", {"number": typed})
    assert api.status_code == 200 and api.json()["number"] == number


def test_a_superseded_standard_says_by_what_and_an_unknown_one_gets_suggestions(client, table):
    answer = client.get("/api/v1/standards/lookup", {"number": "GB/T 19001-2008"}).json()
    assert answer["status"] == "被代替" and answer["replaced_by"] == ["GB/T 19001-2016"]
    missing = client.get("/api/v1/standards/lookup", {"number": "GB/T 6111-2010"})
    assert missing.status_code == 404
    assert "GB/T 6111-2018" in missing.json()["suggestions"]
    bad = client.get("/api/v1/standards/lookup", {"number": "质量手册"})
    assert bad.status_code == 422 and "标准号" in bad.json()["errors"]["number"][0]
    page = client.get("/standards/", {"number": "GB/T 6112-2018"}).content.decode()
    assert "平台标准库中没有" in page and "GB/T 6111-2018" in page


# A 50-line list as enterprises keep them: mixed spellings, titles after the numbers,
# superseded, withdrawn, to be implemented, unknown, duplicates and blank lines.
FIFTY = [
    ("GB/T 19001-2016", "现行有效", "现行版本 GB/T 19001-2016"),
    ("gbt19001—2016", "现行有效", "GB/T 19001-2016"),
    ("GB/T19001", "现行有效", "GB/T 19001-2016"),
    ("GB／T 19001－2016 质量管理体系 要求", "现行有效", "GB/T 19001-2016"),
    ("", None, None),
    ("GB/T 19001-2008", "已被代替", "被 GB/T 19001-2016 代替"),
    ("gb/t 24001-2004", "已被代替", "被 GB/T 24001-2016 代替"),
    (
        "GB/T 6111-2003 流体输送用热塑性塑料管材 耐内压试验方法",
        "已被代替",
        "被 GB/T 6111-2018 代替",
    ),
    ("JB/T 1234-2010", "已废止", "已废止"),
    ("GB/T 46000-2026", "即将实施", "将于 2027-07-01 实施，实施后代替 GB/T 36000-2018"),
    ("GB/T 99999-2020", "未找到", "平台标准库中没有该标准号"),
    ("GB/T 6111-2010", "未找到", "本标准现为 GB/T 6111-2018"),
    ("质量手册", "不是标准号", "请填写标准号"),
    ("GB/T 19001-2008", "已被代替", "与第 6 行重复"),
    ("   ", None, None),
    ("GB 4806.7-2016", "现行有效", "GB 4806.7-2016"),
    ("T/CAS 115—2022", "现行有效", "T/CAS 115-2022"),
    ("DB32/T3000-2016", "现行有效", "DB32/T 3000-2016"),
    ("1. GB/T 24001-2016", "现行有效", "GB/T 24001-2016"),
    ("", None, None),
] + [
    (spelling.format(31000 + i), "现行有效", f"GB/T {31000 + i}-2020")
    for i, spelling in zip(
        range(30),
        ["GB/T {}-2020", "gbt{}-2020", "GB/T{}", "GB/T {}—2020 示例"] * 8,
        strict=False,
    )
]


def test_a_fifty_line_list_is_checked_correctly_as_a_page_and_as_excel(
    client_as, enterprise, table
):
    assert len(FIFTY) == 50
    member = client_as(enterprise)
    text = "\n".join(line for line, _, _ in FIFTY)
    page = member.post("/standards/check/", {"lines": text})
    assert page.status_code == 200
    html = page.content.decode()
    for number, (typed, result, detail) in enumerate(FIFTY, 1):
        marker = f'data-line="{number}" '
        if result is None:
            assert marker not in html  # blank lines are skipped
            continue
        row = html.split(marker)[1].split("</tr>")[0]
        assert f'data-result="{result}"' in row, (number, typed, row)
        assert detail in row, (number, typed, row)

    excel = member.post("/standards/check/", {"lines": text, "format": "xlsx"})
    assert excel["Content-Disposition"].endswith(
        "%E6%A0%87%E5%87%86%E6%9C%89%E6%95%88%E6%80%A7%E6%A0%B8%E6%9F%A5%E6%8A%A5%E5%91%8A.xlsx"
    )
    sheet = load_workbook(io.BytesIO(excel.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("行号", "所填内容", "核查结果")
    expected = [(n, r) for n, (_, r, _) in enumerate(FIFTY, 1) if r is not None]
    assert [(row[0], row[2]) for row in rows[1:]] == expected
    assert rows[1 + [n for n, _ in expected].index(6)][5] == "被 GB/T 19001-2016 代替"
    assert rows[1 + [n for n, _ in expected].index(14)][6] == "与第 6 行相同"


def test_the_check_takes_an_uploaded_list_and_the_api_answers_the_same(client, table):
    upload = xlsx(
        [["GB/T 19001-2008", "质量管理体系"], ["JB/T 1234-2010", "机械"]],
        header=["标准号", "标准名称"],
    )
    # The helper writes a title row and a serial column; a plain list has its header first.
    book = load_workbook(upload)
    book.active.delete_rows(1)
    book.active.delete_cols(1)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "执行标准清单.xlsx"
    html = client.post("/standards/check/", {"upload": out}).content.decode()
    assert 'data-result="已被代替"' in html and 'data-result="已废止"' in html
    api = client.post("/api/v1/standards/check", {"lines": "GB/T 19001-2008\n\nXYZ 1"})
    lines = api.json()["lines"]
    assert [(x["line"], x["result"]) for x in lines] == [(1, "已被代替"), (3, "未找到")]
    empty = client.post("/standards/check/", {"lines": "\n \n"})
    assert (
        empty.status_code == 400
        and "标准清单：请粘贴标准号或上传清单文件" in empty.content.decode()
    )


def test_search_titles_and_numbers_by_words_in_any_order_with_filters(client, table):
    html = client.get("/standards/", {"q": "要求 质量管理"}).content.decode()
    assert 'data-number="GB/T 19001-2016"' in html and 'data-number="GB/T 19001-2008"' in html
    assert 'data-number="GB/T 24001-2016"' not in html
    current = client.get(
        "/standards/", {"q": "质量管理 要求", "status": "current"}
    ).content.decode()
    assert (
        'data-number="GB/T 19001-2016"' in current
        and 'data-number="GB/T 19001-2008"' not in current
    )
    kinds = client.get("/standards/", {"kind": "group"}).content.decode()
    assert 'data-number="T/CAS 115-2022"' in kinds and 'data-number="GB/T 19001-2016"' not in kinds
    pages = client.get("/api/v1/standards/search", {"q": "检验规则", "page": 2}).json()
    assert pages["count"] == 40 and pages["page"] == 2 and len(pages["results"]) == 20
    assert 'href="/standards/"' in client.get("/").content.decode()  # the footer's 标准查询
    bad = client.get("/standards/", {"status": "nonsense"})
    assert bad.status_code == 200 and "没有符合条件的记录" in bad.content.decode()


def test_a_watched_standard_that_a_load_changes_is_told_to_the_enterprise(
    client_as, enterprise, other_enterprise, table, load
):
    member = client_as(enterprise)
    # Watch from the look-up, and all of a batch report.
    member.post("/standards/watch/", {"number": "gbt36000-2018", "next": "/standards/"})
    member.post(
        "/standards/watch-all/", {"lines": "GB/T 19001-2016\nGB/T 99999-2020\nJB/T 1234-2010"}
    )
    watched = member.get("/standards/watches/").content.decode()
    for number in ("GB/T 36000-2018", "GB/T 19001-2016", "JB/T 1234-2010"):
        assert f'data-number="{number}"' in watched
    client_as(other_enterprise).post("/api/v1/standards/watches", {"number": "GB/T 19001-2016"})

    header = ["标准号", "标准名称", "状态", "被代替标准"]
    load(
        gbk_csv(
            header,
            [["GB/T 36000-2018", "示例标准 电能表 远程校验方法", "被代替", "GB/T 46000-2026"]],
        )
    )

    told = Notification.objects.filter(recipient=enterprise)
    assert [n.subject for n in told] == ["关注的标准有变化：GB/T 36000-2018"]
    assert "被 GB/T 46000-2026 代替" in told[0].body
    assert not Notification.objects.filter(recipient=other_enterprise).exists()
    page = member.get("/standards/watches/").content.decode()
    assert "有 1 项标准状态发生变化" in page
    assert "状态由“现行”变为“被代替”，被 GB/T 46000-2026 代替" in page
    workbench = member.get("/accounts/workbench/").content.decode()
    assert "标准查询与跟踪" in workbench
    assert member.get("/api/v1/standards/watches").json()[0]["unread"] is True
    member.post("/standards/watches/read/")
    assert "状态发生变化" not in member.get("/standards/watches/").content.decode()


def test_watching_an_unknown_number_says_so_and_institutions_cannot_watch(
    client_as, enterprise, institution, table
):
    answer = client_as(enterprise).post("/api/v1/standards/watches", {"number": "GB/T 99999-2020"})
    assert answer.status_code == 404 and "平台标准库中没有" in answer.json()["detail"]
    refused = client_as(institution).post(
        "/api/v1/standards/watches", {"number": "GB/T 19001-2016"}
    )
    assert refused.status_code == 403
    page = client_as(enterprise).post(
        "/standards/watch/", {"number": "质量手册", "next": "/standards/watches/"}, follow=True
    )
    assert "不是标准号" in page.content.decode()


def test_demo_standards_are_marked_on_every_page_that_shows_them(client, load):
    load(xlsx(ROWS[:2]), demo="on")
    html = client.get("/standards/", {"number": "GB/T 19001-2016"}).content.decode()
    assert "演示数据" in html.split('data-testid="lookup-result"')[1]
    standard = Standard.objects.get(number="GB/T 19001-2016")
    assert "演示数据" in client.get(f"/standards/{standard.pk}/").content.decode()
    report = client.post("/standards/check/", {"lines": "GB/T 19001-2016"}).content.decode()
    assert "演示数据" in report.split('data-testid="check-report"')[1]
    assert client.get("/api/v1/standards/lookup", {"number": "GB/T 19001-2016"}).json()["demo"]


def test_a_watched_standard_to_be_implemented_becomes_current_on_its_day(
    client_as, enterprise, table
):
    import datetime as dt

    from qihub.standards.workflow import implement_due

    member = client_as(enterprise)
    member.post("/standards/watch/", {"number": "GB/T 46000-2026", "next": "/standards/"})
    assert implement_due(dt.date(2027, 6, 30)) == 0
    assert implement_due(dt.date(2027, 7, 1)) == 1
    answer = client_as(None).get("/api/v1/standards/lookup", {"number": "GB/T 46000"}).json()
    assert answer["status"] == "现行"
    page = member.get("/standards/watches/").content.decode()
    assert "状态由“即将实施”变为“现行”（2027-07-01 起实施）" in page
    assert Notification.objects.filter(recipient=enterprise).count() == 1
