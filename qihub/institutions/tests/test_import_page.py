"""Staff import institutions from the Excel template, with progress (MATCH-1: the institutions
users search come in this way too); searches that found nothing are listed for staff."""

import io

import pytest
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from qihub.accounts.models import Organisation
from qihub.institutions.import_excel import template
from qihub.institutions.models import ImportJob
from qihub.onboarding.tests import helpers


@pytest.fixture
def run_tasks_now():
    HUEY.immediate = True
    yield
    HUEY.immediate = False


def workbook(institutions, qualifications, scope) -> bytes:
    book = load_workbook(io.BytesIO(template()))
    for title, rows in (("机构", institutions), ("资质", qualifications), ("能力范围", scope)):
        sheet = book[title]
        sheet.delete_rows(2, sheet.max_row)  # the example row
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "机构.xlsx"
    return out


def upload(client, data, **extra):
    return client.post("/ops/institutions/import/", {"workbook": data, **extra})


A = helpers.uscc("12320211MB1QH0301")
B = helpers.uscc("12320211MB1QH0302")
GOOD = (
    [
        [A, "锡山电子天平计量站", "320205", "无锡市锡山区示例路 1 号", "0510-1", "计量"],
        [B, "惠山塑料管材检测中心", "320206", "无锡市惠山区示例路 2 号", "0510-2", "检验检测"],
    ],
    [[A, "LEGAL_METROLOGY", "JL-1", "2030-12-31"], [B, "CMA", "CMA-2", "2030-12-31"]],
    [
        [A, "JL-1", "计量", "电子天平", "称量误差", "JJG 1036-2022"],
        [B, "CMA-2", "检验检测", "塑料管材", "静液压强度", "GB/T 6111-2018"],
    ],
)


@pytest.mark.req("MATCH-1")
def test_staff_import_an_excel_workbook_and_the_institutions_are_found(
    client_as, operator, client, run_tasks_now, django_capture_on_commit_callbacks
):
    staff = client_as(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff, workbook(*GOOD))
    job = ImportJob.objects.get()
    page = staff.get(response["Location"]).content.decode()
    progress = staff.get(response["Location"], headers={"HX-Request": "true"}).content.decode()

    assert job.status == "done" and (job.created, job.total, job.done) == (2, 2, 2)
    assert "导入完成：新增 2 家" in page and 'value="100"' in page
    assert "<html" not in progress and 'data-status="done"' in progress
    assert [r["name"] for r in client.get("/api/v1/institutions", {"q": "天平"}).json()] == [
        "锡山电子天平计量站"
    ]
    assert client.get("/api/v1/institutions", {"q": "gb/t6111"}).json()[0]["uscc"] == B


@pytest.mark.req("MATCH-1")
def test_a_workbook_with_errors_imports_nothing_and_names_sheet_and_row(
    client_as, operator, run_tasks_now, django_capture_on_commit_callbacks
):
    institutions, qualifications, scope = GOOD
    bad = workbook(
        [*institutions, ["123", "坏代码", "3202", "", "", "计量"]],
        [*qualifications, [A, "ISO", "X-1", "2030-02-30"]],
        [*scope, [B, "NOPE", "检验检测", "钢筋", "", ""]],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_as(operator), bad)
    page = client_as(operator).get(response["Location"]).content.decode()

    assert ImportJob.objects.get().status == "refused"
    assert "“能力范围”表第 4 行：找不到该机构的证书 NOPE" in page
    assert Organisation.objects.count() == 0


@pytest.mark.req("MATCH-1")
def test_skip_invalid_imports_the_good_rows(
    client_as, operator, run_tasks_now, django_capture_on_commit_callbacks
):
    institutions, qualifications, scope = GOOD
    data = workbook(
        [*institutions, ["123", "坏代码", "320211", "", "", "计量"]], qualifications, scope
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as(operator), data, skip_invalid="on")
    job = ImportJob.objects.get()

    assert job.status == "done" and job.created == 2
    assert any("“机构”表第 4 行" in e and "uscc" in e for e in job.errors)


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("机构.csv", b"a,b", "只接受 .xlsx 格式"),
        ("机构.xlsx", b"not a zip file", "不是有效的 Excel 文件"),
    ],
)
def test_a_file_that_is_not_the_workbook_is_refused(client_as, operator, name, content, message):
    data = io.BytesIO(content)
    data.name = name

    response = upload(client_as(operator), data)

    assert response.status_code == 400 and message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.req("MATCH-1")
def test_a_workbook_without_the_template_sheets_is_refused_by_name(
    client_as, operator, run_tasks_now, django_capture_on_commit_callbacks
):
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    out.seek(0)
    out.name = "空.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_as(operator), out)

    page = client_as(operator).get(response["Location"]).content.decode()
    assert "文件缺少工作表：机构、资质、能力范围" in page


@pytest.mark.req("MATCH-1")
def test_searches_that_find_nothing_are_counted_for_staff_and_exported(
    client, client_as, operator, listed_institution
):
    for _ in range(3):
        client.get("/api/v1/institutions", {"q": "火箭发动机"})
    client.get("/search/", {"q": "压力表", "region": "11"})
    client.get("/api/v1/institutions", {"q": "压力表"})  # found: not listed

    page = client_as(operator).get("/ops/search-misses/").content.decode()
    export = client_as(operator).get("/ops/search-misses/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=2)]

    assert page.index("火箭发动机") < page.index("地区：北京市")
    assert rows == [["火箭发动机", None, 3], ["压力表", "region=11", 1]]
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_reindex_command_rebuilds_the_term_index(client, listed_institution):
    from django.core.management import call_command

    from qihub.institutions.models import SearchTerm

    SearchTerm.objects.all().delete()
    before = client.get("/api/v1/institutions", {"q": "压力表"}).json()
    out = io.StringIO()
    call_command("search", "--reindex", stdout=out)

    assert before == []
    assert "已重建 1 家机构的检索索引" in out.getvalue()
    assert (
        client.get("/api/v1/institutions", {"q": "压力表"}).json()[0]["name"] == "无锡市示例计量院"
    )
