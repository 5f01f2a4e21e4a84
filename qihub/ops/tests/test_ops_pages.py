import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import ALL_PERSONAS
from qihub.deadlines import workflow
from qihub.workcal.calendar import TZ
from qihub.workcal.models import CalendarException, CalendarYear

STAFF = {"operator", "supervisor", "admin"}
EDITORS = {"operator", "admin"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
@pytest.mark.parametrize("url", ["/ops/", "/ops/calendar/2026/"])
def test_operator_pages_are_for_staff_only(persona, client_as, url):
    name, user = persona

    response = client_as(user).get(url)

    if user is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if name in STAFF else 403)


@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
def test_only_operator_and_admin_may_import_a_calendar(persona, client_as):
    name, user = persona

    response = client_as(user).get("/ops/calendar/import/")

    if user is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if name in EDITORS else 403)


@pytest.mark.req("OPS-1")
def test_dashboard_strip_counts_clocks_and_flags_an_unconfirmed_year(client_as, operator):
    with time_machine.travel(at("2026-12-21 10:00"), tick=False):
        workflow.start_clock("rectification", operator)  # reaches into 2027: provisional
    with time_machine.travel(at("2026-11-19 10:00"), tick=False):
        workflow.start_clock("demand_response", operator)  # due Nov 20
        paused = workflow.start_clock("complaint", operator)
        workflow.pause_clock(paused, reason="等待补充材料")
    with time_machine.travel(at("2026-11-17 10:00"), tick=False):
        workflow.start_clock("demand_response", operator)  # due Nov 18: overdue after a sweep
    with time_machine.travel(at("2026-11-20 09:00"), tick=False):
        workflow.sweep()
        page = client_as(operator).get("/ops/").content.decode()

    assert 'data-testid="due-today">1<' in page
    assert 'data-testid="overdue">1<' in page
    assert 'data-testid="paused">1<' in page
    assert "2027 年工作日历尚未确认" in page


def test_import_page_replaces_a_year_and_shows_it_in_the_grid(client_as, operator):
    client = client_as(operator)
    csv = "日期,类型,名称\n2027-01-01,休息,元旦\n2027-02-06,上班,春节调休\n".encode()

    response = client.post(
        "/ops/calendar/import/",
        {
            "year": 2027,
            "official": "on",
            "source_document": "国办发明电〔2026〕1号",
            "confirm": "on",
            "file": SimpleUploadedFile("2027.csv", csv, content_type="text/csv"),
        },
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'class="cal-holiday" title="元旦" data-date="2027-01-01"' in page
    assert 'class="cal-makeup" title="春节调休" data-date="2027-02-06"' in page
    assert "国办发明电〔2026〕1号" in page
    assert CalendarYear.objects.get(year=2027).official


def test_import_page_lists_every_bad_row_and_imports_nothing(client_as, operator):
    csv = "date,type,name\n2027-01-01,off,元旦\n2027-02-30,off,x\n2027-03-01,sometimes,y\n"

    response = client_as(operator).post(
        "/ops/calendar/import/",
        {
            "year": 2027,
            "confirm": "on",
            "file": SimpleUploadedFile("2027.csv", csv.encode(), content_type="text/csv"),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行" in page and "2027-02-30" in page and "第 4 行" in page
    assert "未导入任何数据" in page
    assert not CalendarException.objects.filter(date__year=2027).exists()


def test_import_needs_confirmation_and_a_supported_file(client_as, operator):
    response = client_as(operator).post(
        "/ops/calendar/import/",
        {
            "year": 2027,
            "file": SimpleUploadedFile("2027.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "请勾选确认后再导入" in page and "仅支持 .csv、.xlsx、.json 文件" in page


def test_marking_a_year_official_clears_the_banner_and_recomputes(client_as, operator):
    with time_machine.travel(at("2026-12-21 10:00"), tick=False):
        clock = workflow.start_clock("rectification", operator)
        client = client_as(operator)
        response = client.post(
            "/ops/calendar/2027/official/", {"source_document": "通知", "confirm": "on"}
        )
        page = client.get("/ops/").content.decode()

    assert response.status_code == 302
    assert "2027 年工作日历尚未确认" not in page
    clock.refresh_from_db()
    assert not clock.provisional
    assert clock.events.filter(kind="recomputed").exists()


def test_clock_page_shows_running_and_paused_segments_and_every_event(client_as, operator):
    clock = workflow.start_clock("complaint", operator, owner=operator, at=at("2026-11-02 10:00"))
    workflow.pause_clock(clock, reason="等待投诉人补充材料", by=operator, at=at("2026-11-03 10:00"))
    workflow.resume_clock(clock, by=operator, at=at("2026-11-05 10:00"))

    with time_machine.travel(at("2026-11-06 10:00"), tick=False):
        page = client_as(operator).get(f"/ops/clocks/{clock.pk}/").content.decode()

    kinds = [part.split('"')[0] for part in page.split('data-kind="')[1:]]
    assert kinds == ["running", "paused", "running"]
    assert "等待投诉人补充材料" in page
    assert "2026-11-13 23:59:59" in page  # moved by the two paused working days
    for label in ("开始计时", "暂停", "恢复计时"):
        assert label in page
