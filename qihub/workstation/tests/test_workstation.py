"""The biomedical workstation (BIO-7, BIO-8, CAT-5) through its pages and API."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from qihub.workcal.calendar import TZ
from qihub.workstation.models import (
    AllianceMember,
    Hospital,
    IndustryFigure,
    KeyProject,
    ManualVersion,
    Talent,
    Town,
)

NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _page(response) -> str:
    return response.content.decode()


def _book(rows: list[list]) -> io.BytesIO:
    from qihub.workstation.industry import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.title = "产业数据"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "产业数据.xlsx"
    return out


# --- CAT-5: the service manual ----------------------------------------------------------------
MANUAL = {
    "updated_on": "2026-03-01",
    "items": "产品注册路径设计\n注册资料预审\n模拟检查",
    "contacts": "工作站 电话 021-00000000",
    "how_to_apply": "来电或到工作站窗口提出申请",
    "change_note": "",
}


@pytest.mark.req("CAT-5")
def test_operator_publishes_versions_and_the_public_reads_current_and_earlier(
    client_as, operator, visitor
):
    staff = client_as(operator)
    assert staff.post("/workstation/manual/edit/", MANUAL).status_code == 302
    second = {**MANUAL, "updated_on": "2026-03-04", "items": MANUAL["items"] + "\n临床试验医院对接"}
    second["change_note"] = "新增医院对接"
    assert staff.post("/workstation/manual/edit/", second).status_code == 302

    public = client_as(visitor)
    page = _page(public.get("/workstation/manual/"))
    assert "第 2 版，更新日期 2026-03-04" in page and "临床试验医院对接" in page
    old = _page(public.get("/workstation/manual/1/"))
    assert "第 1 版，更新日期 2026-03-01" in old and "这是历史版本" in old
    assert "临床试验医院对接" not in old
    api = public.get("/api/v1/workstation/manual").json()
    assert api["number"] == 2 and api["updated_on"] == "2026-03-04"
    assert [v["number"] for v in public.get("/api/v1/workstation/manual/versions").json()] == [2, 1]


@pytest.mark.req("CAT-5")
def test_manual_errors_name_the_field_and_only_operators_edit(client_as, operator, enterprise):
    staff = client_as(operator)
    staff.post("/workstation/manual/edit/", MANUAL)
    bad = staff.post(
        "/workstation/manual/edit/", {**MANUAL, "updated_on": "2026-02-01", "items": ""}
    )
    assert "服务项目：必须填写" in _page(bad)
    assert "更新日期：不能早于上一版的更新日期（2026-03-01）" in _page(bad)
    assert ManualVersion.objects.count() == 1
    assert client_as(enterprise).post("/workstation/manual/edit/", MANUAL).status_code == 403


# --- BIO-8: industry figures ---------------------------------------------------------------
@pytest.mark.req("BIO-8")
def test_town_figures_import_all_or_nothing_then_table_chart_and_export(client_as, station_staff):
    Town.objects.create(name="九亭镇")
    Town.objects.create(name="新桥镇")
    client = client_as(station_staff)
    template = client.get("/workstation/figures/template.xlsx")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "乡镇（街道）"

    bad = client.post(
        "/workstation/figures/",
        {
            "form": "import",
            "file": _book(
                [
                    ["九亭镇", 2026, 1, 30, 8, "12000", "800"],
                    ["泗泾镇", 2026, 5, 10, 12, "多", "1"],
                ]
            ),
        },
    )
    page = _page(bad)
    assert "第 3 行：乡镇（街道）“泗泾镇”未登记" in page
    assert "季度应在 1–4 之间" in page and "产值（万元）请填写数字" in page
    assert IndustryFigure.objects.count() == 0  # nothing half-saved

    good = client.post(
        "/workstation/figures/",
        {
            "form": "import",
            "file": _book(
                [
                    ["九亭镇", 2026, 1, 30, 8, "12000", "800"],
                    ["新桥镇", 2026, 1, 20, 5, "9000", "500"],
                ]
            ),
        },
    )
    assert good.status_code == 302
    page = _page(client.get("/workstation/figures/"))
    assert "九亭镇" in page and "2026年第1季度" in page and 'data-testid="chart"' in page
    chart = client.get("/workstation/figures/chart.svg?year=2026")
    assert chart["Content-Type"] == "image/svg+xml" and "九亭镇" in chart.content.decode()
    export = load_workbook(io.BytesIO(client.get("/workstation/figures/?export=xlsx").content))
    rows = list(export.active.iter_rows(values_only=True))
    assert rows[0][5] == "规下企业数" and ("九亭镇", 2026, 1, 30, 8, 22) == rows[1][:6]


@pytest.mark.req("BIO-8")
def test_figures_api_reports_replaces_and_names_errors(client_as, operator, enterprise):
    town = Town.objects.create(name="九亭镇")
    client = client_as(operator)
    data = {
        "town": town.pk,
        "year": 2026,
        "quarter": 1,
        "enterprises": 30,
        "above_scale": 8,
        "output": "100",
        "tax": "10",
    }
    assert client.post("/api/v1/workstation/figures", data).status_code == 201
    again = client.post("/api/v1/workstation/figures", {**data, "enterprises": 31})
    assert again.status_code == 201 and again.json()["below_scale"] == 23
    assert IndustryFigure.objects.get().enterprises == 31
    bad = client.post("/api/v1/workstation/figures", {**data, "above_scale": 40, "quarter": 9})
    assert bad.status_code == 422
    assert bad.json()["errors"]["above_scale"] == ["规上企业数：不能大于企业数量"]
    assert "季度" in bad.json()["errors"]["quarter"][0]
    assert client_as(enterprise).get("/api/v1/workstation/figures").status_code == 403


# --- BIO-8: directories and matching ---------------------------------------------------------
@pytest.fixture
def directories():
    AllianceMember.objects.create(
        organisation="松江示例医疗器械有限公司",
        offers="一次性使用输液器\n注射器",
        contact="王经理 021-1",
    )
    AllianceMember.objects.create(
        organisation="示例精密模具有限公司", offers="医用导管模具加工", contact="李经理 021-2"
    )
    Hospital.objects.create(
        name="松江区示例中心医院",
        filing_number="药械临床试验备案 001",
        specialties="心血管内科\n骨科",
        contact="临床试验机构办公室 021-3",
    )
    Talent.objects.create(name="赵工", field="有源医疗器械注册", title="高级工程师", contact="139")


@pytest.mark.req("BIO-8")
def test_matching_finds_who_makes_what_through_page_and_api(client_as, visitor, directories):
    public = client_as(visitor)
    page = _page(public.get("/workstation/match/", {"q": "哪些联盟成员生产输液器"}))
    assert "松江示例医疗器械有限公司" in page and "示例精密模具有限公司" not in page
    page = _page(public.get("/workstation/match/", {"q": "心血管临床试验医院"}))
    assert "松江区示例中心医院" in page
    nothing = _page(public.get("/workstation/match/", {"q": "核磁共振仪"}))
    assert "没有找到与" in nothing
    api = public.get("/api/v1/workstation/match", {"q": "注射器"}).json()
    assert [m["organisation"] for m in api["members"]] == ["松江示例医疗器械有限公司"]


@pytest.mark.req("BIO-8")
def test_directories_show_talent_contact_to_staff_only_and_operators_add(
    client_as, visitor, operator, directories
):
    assert "139" not in _page(client_as(visitor).get("/workstation/directories/"))
    staff = client_as(operator)
    assert "139" in _page(staff.get("/workstation/directories/"))
    bad = staff.post("/workstation/directories/hospitals/new/", {"name": "新医院"})
    assert "临床试验机构备案号：必须填写" in _page(bad)
    ok = staff.post(
        "/workstation/directories/members/new/",
        {"organisation": "新成员公司", "offers": "灭菌服务", "contact": "021-9"},
    )
    assert (
        ok.status_code == 302 and AllianceMember.objects.filter(organisation="新成员公司").exists()
    )
    assert client_as(visitor).get("/workstation/directories/members/new/").status_code == 302
    hospital = Hospital.objects.get()
    edit = f"/workstation/directories/hospitals/{hospital.pk}/"
    assert f'href="{edit}"' in _page(staff.get("/workstation/directories/"))
    assert f'href="{edit}"' not in _page(client_as(visitor).get("/workstation/directories/"))
    fixed = staff.post(
        edit,
        {
            "name": hospital.name,
            "filing_number": hospital.filing_number,
            "specialties": "心血管内科\n骨科\n眼科",
            "contact": hospital.contact,
        },
    )
    assert fixed.status_code == 302
    assert "眼科" in Hospital.objects.get().specialties


# --- BIO-7: key projects ------------------------------------------------------------------
@pytest.mark.req("BIO-7")
def test_key_project_from_checklist_to_decision_on_pages(client_as, operator, enterprise):
    client = client_as(operator)
    made = client.post(
        "/workstation/projects/",
        {"kind": "innovation", "enterprise": "松江示例医疗器械有限公司", "product": "血管支架"},
    )
    project = KeyProject.objects.get()
    assert made["Location"] == f"/workstation/projects/{project.number}/"
    base = f"/workstation/projects/{project.number}"
    early = client.post(f"{base}/submit/", {"version": 1, "on": "2026-03-04", "number": "沪创 1"})
    assert early.status_code == 302
    project.refresh_from_db()
    assert project.status == "preparing"  # points not all met: refused with a message
    client.post(f"{base}/check/", {"version": project.version, "met": project.checklist})
    project.refresh_from_db()
    client.post(
        f"{base}/submit/", {"version": project.version, "on": "2026-03-04", "number": "沪创 1"}
    )
    project.refresh_from_db()
    assert project.status == "submitted" and project.submission_number == "沪创 1"
    client.post(
        f"{base}/coach/",
        {"version": project.version, "on": "2026-03-10", "coach": "钱老师", "notes": "突出创新点"},
    )
    project.refresh_from_db()
    bad = client.post(f"{base}/approve/", {"version": project.version, "on": "2026-02-01"})
    assert bad.status_code == 302
    project.refresh_from_db()
    assert project.status == "submitted"
    client.post(f"{base}/approve/", {"version": project.version, "on": "2026-05-01"})
    page = _page(client.get(f"{base}/"))
    assert "通过" in page and "钱老师：突出创新点" in page and "沪创 1" in page
    assert client_as(enterprise).get(f"{base}/").status_code == 404


@pytest.mark.req("BIO-7")
def test_key_project_api_same_steps_and_errors(client_as, operator, enterprise):
    client = client_as(operator)
    made = client.post(
        "/api/v1/workstation/projects",
        {"kind": "priority", "enterprise": "示例公司", "product": "体外诊断试剂"},
    )
    assert made.status_code == 201
    number = made.json()["number"]
    points = made.json()["checklist"]
    base = f"/api/v1/workstation/projects/{number}"
    assert client.post(f"{base}/submit", {"on": "2026-03-04", "number": "1"}).status_code == 409
    assert client.post(f"{base}/check", {"met": points}).json()["unmet"] == []
    bad = client.post(f"{base}/submit", {"on": "明天"})
    assert bad.status_code == 422
    assert bad.json()["errors"]["on"] == ["推送日期：请按“年-月-日”填写日期，如 2026-03-01"]
    assert (
        client.post(f"{base}/submit", {"on": "2026-03-04", "number": "沪优 2"}).status_code == 200
    )
    done = client.post(f"{base}/reject", {"on": "2026-04-01", "note": "临床优势不足"})
    assert done.json()["status_label"] == "未通过"
    assert client_as(enterprise).post("/api/v1/workstation/projects", {}).status_code == 403


@pytest.mark.req("BIO-7")
def test_workbench_card_counts_undecided_projects_and_catalogue_links_the_manual(
    client_as, operator, visitor
):
    from qihub.accounts.tests.test_workbench import card
    from qihub.workstation import workflow

    workflow.open_project(by=operator, kind="innovation", enterprise="甲公司", product="支架")
    decided = workflow.open_project(
        by=operator, kind="priority", enterprise="乙公司", product="试剂"
    )
    KeyProject.objects.filter(pk=decided.pk).update(status="passed")
    page = _page(client_as(operator).get("/accounts/workbench/"))
    projects = card(page, "生物医药重点项目推荐")
    assert "跟进中 1" in projects and 'href="/workstation/projects/"' in projects
    services = _page(client_as(visitor).get("/services/"))
    assert 'href="/workstation/manual/"' in services


@pytest.mark.req("CAT-5")
def test_every_workstation_page_is_in_chinese(client_as, operator):
    import re

    from qihub.workstation import demo

    operator.username, operator.display_name = "demo_operator", "平台运营人员"
    operator.save(update_fields=["username", "display_name"])
    demo.furnish()
    client = client_as(operator)
    number = KeyProject.objects.get().number
    paths = [
        "/workstation/manual/",
        "/workstation/manual/1/",
        "/workstation/manual/edit/",
        "/workstation/figures/",
        "/workstation/directories/",
        "/workstation/directories/hospitals/new/",
        "/workstation/match/?q=输液器",
        "/workstation/projects/",
        f"/workstation/projects/{number}/",
    ]
    for path in paths:
        html = _page(client.get(path))
        body = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
        text = re.sub(
            r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
        )
        assert "---------" not in text, path
        text = re.sub(r"\b[A-Z]{1,5}-\d[\d-]*\b", " ", text)  # record numbers (ZD-2026-000001)
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]+", text)) - {"Excel", "xlsx"}
        assert not words, (path, words)


@pytest.mark.req("BIO-8")
def test_alliance_members_imported_from_excel_all_or_nothing(client_as, operator):
    client = client_as(operator)
    template = load_workbook(
        io.BytesIO(client.get("/workstation/directories/members/import/?template=1").content)
    )
    headers = [c.value for c in template.active[1]]
    assert headers == ["单位名称", "产品与服务", "联系方式"]

    def upload(rows: list[list]) -> io.BytesIO:
        book = Workbook()
        book.active.append(headers)
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        out.name = "联盟成员.xlsx"
        return out

    url = "/workstation/directories/members/import/"
    bad = client.post(
        url,
        {"file": upload([["甲公司", "输液器、注射器", "021-1"], ["乙公司", "", "021-2"]])},
    )
    assert "第 3 行：产品与服务：必须填写" in _page(bad)
    assert AllianceMember.objects.count() == 0
    good = client.post(
        url,
        {"file": upload([["甲公司", "输液器、注射器", "021-1"], ["乙公司", "灭菌", "021-2"]])},
    )
    assert good.status_code == 302
    assert AllianceMember.objects.get(organisation="甲公司").offers == "输液器\n注射器"
    public = client_as(None).get("/workstation/match/", {"q": "注射器"})
    assert "甲公司" in _page(public)


@pytest.mark.req("BIO-8")
def test_odd_input_gets_named_errors_never_a_server_error(client_as, operator):
    town = Town.objects.create(name="九亭镇")
    client = client_as(operator)
    odd = {
        "town": "abc",
        "year": "99999",
        "quarter": "x",
        "enterprises": str(10**12),
        "above_scale": "-1",
        "output": "1e400",
        "tax": "NaN",
    }
    answer = client.post("/api/v1/workstation/figures", odd)
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) >= {"town", "year", "quarter", "above_scale", "tax"}
    page = client.post("/workstation/figures/", {**odd, "town": town.pk})
    assert page.status_code == 200 and "年度：不能大于 2100" in _page(page)
    for q in ["%%%", "ＧＢ/Ｔ 1234", "a" * 300, "输液器" * 40, "320117"]:
        assert client.get("/api/v1/workstation/match", {"q": q}).status_code == 200
        assert client.get("/workstation/match/", {"q": q}).status_code == 200
    assert client.post("/workstation/projects/ZD-0/check/", {"met": "x"}).status_code == 404
