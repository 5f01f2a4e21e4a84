"""Quality diagnosis (ENT-7) through the pages and the API: a diagnoser records a visit and the
problems found, the enterprise answers, the diagnoser closes each problem; the enterprise's test
results are summarised by product, parameter and quarter and recurring failures become risks
told once to the enterprise and its station."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.diagnosis.models import Problem, ProblemStatus, Risk, Visit
from qihub.diagnosis.risks import refresh_all
from qihub.notifications.models import Notification
from qihub.orders.models import ReportLine

NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def company(enterprise) -> Organisation:
    return testing.OrganisationFactory(account=enterprise, name="无锡精工阀门有限公司")


@pytest.fixture
def area_staff(station_staff):
    station_staff.station = testing.station()  # 滨湖服务站, region 320211 like the company
    station_staff.save(update_fields=["station"])
    return station_staff


def _visit_by_page(client, company) -> Visit:
    client.post(
        "/diagnosis/new/",
        {
            "enterprise": company.name,
            "visited_on": "2026-05-11",
            "kind": "5s",
            "visitors": "张工、李工",
            "findings": "成品区与待检区未分开",
        },
    )
    return Visit.objects.get()


@pytest.mark.req("ENT-7")
@time_machine.travel(NOW, tick=False)
def test_a_diagnosis_is_recorded_answered_and_closed_through_pages_and_api(
    client_as, expert, enterprise, company
):
    diagnoser, firm = client_as(expert), client_as(enterprise)
    # The expert finds the enterprise with the organisation picker, by a part of its name.
    suggested = diagnoser.get("/accounts/organisations/?kind=enterprise&q=精工阀门").json()
    assert "无锡精工阀门有限公司" in str(suggested)
    visit = _visit_by_page(diagnoser, company)
    added = diagnoser.post(
        f"/diagnosis/{visit.number}/",
        {
            "description": "待检品与合格品混放",
            "severity": "major",
            "solution": "划分待检区并挂牌标识",
            "due_date": "2026-06-12",
        },
        follow=True,
    )
    problem = Problem.objects.get()
    clock = clocks_for(problem).get()

    assert "问题已登记，整改期限开始计时" in _messages(added)
    assert visit.kind == "5s" and visit.enterprise == company
    assert clock.owner == enterprise and clock.state == ClockState.RUNNING
    assert timezone.localtime(clock.due_at).date() == dt.date(2026, 6, 12)

    listed = firm.get("/diagnosis/").content.decode()
    page = firm.get(f"/diagnosis/problems/{problem.pk}/").content.decode()
    assert (
        visit.number in listed
        and "5S 现场管理" in firm.get(f"/diagnosis/{visit.number}/").content.decode()
    )
    assert "划分待检区并挂牌标识" in page and 'data-testid="answer-form"' in page
    assert 'data-testid="solve"' not in page

    answered = firm.post(
        f"/diagnosis/problems/{problem.pk}/answer/",
        {"version": problem.version, "text": "已划线分区"},
        follow=True,
    )
    problem.refresh_from_db()
    assert "整改情况已答复，诊断人员将跟进确认" in _messages(answered)
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.answer == "已划线分区"
    assert Notification.objects.filter(recipient=expert, body__contains="已划线分区").exists()

    # The enterprise may not close its own problem; the diagnoser does, through the API.
    refused = firm.post(
        f"/api/v1/diagnosis/problems/{problem.pk}/solve", {"version": problem.version}
    )
    closed = diagnoser.post(
        f"/api/v1/diagnosis/problems/{problem.pk}/solve",
        {"version": problem.version, "note": "复查已整改"},
    )
    assert (
        refused.status_code == 403 and refused.json()["detail"] == "只有诊断人员可以确认问题已解决"
    )
    assert closed.status_code == 200 and closed.json()["status_label"] == "已解决"
    assert clocks_for(problem).get().state == ClockState.STOPPED
    history = firm.get(f"/diagnosis/problems/{problem.pk}/").content.decode()
    assert "复查已整改" in history and "整改中 → 已解决" in history


@pytest.mark.req("ENT-7")
@time_machine.travel(NOW, tick=False)
def test_bad_input_names_the_field_and_saves_nothing(client_as, operator, enterprise, company):
    staff = client_as(operator)
    page = staff.post(
        "/diagnosis/new/",
        {
            "enterprise": "",
            "visited_on": "2026-06-30",
            "kind": "5s",
            "visitors": "",
            "findings": "x",
        },
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert "被诊断企业：必须填写" in body and "诊断日期：不能晚于今天" in body
    assert "诊断人员：必须填写" in body and not Visit.objects.exists()

    visit = _visit_by_page(staff, company)
    late = staff.post(
        f"/diagnosis/{visit.number}/",
        {"description": "x", "severity": "minor", "solution": "y", "due_date": "2026-05-01"},
        follow=True,
    )
    api = staff.post(
        f"/api/v1/diagnosis/visits/{visit.number}/problems",
        {"description": "x", "severity": "最严重", "solution": "y", "due_date": "2026-06-01"},
    )
    assert "整改期限：应晚于今天" in _messages(late)
    assert api.status_code == 422 and api.json()["errors"]["severity"] == [
        "严重程度：请从列表中选择"
    ]
    assert not Problem.objects.exists()
    # Only diagnosers record visits, on the page and in the API alike.
    assert client_as(enterprise).get("/diagnosis/new/").status_code == 403
    assert client_as(enterprise).post("/api/v1/diagnosis/visits", {}).status_code == 403


@pytest.mark.req("ENT-7")
@time_machine.travel(NOW, tick=False)
def test_api_records_a_visit_and_the_other_enterprise_sees_nothing(
    client_as, station_staff, enterprise, other_enterprise, company
):
    made = client_as(station_staff).post(
        "/api/v1/diagnosis/visits",
        {
            "enterprise": company.uscc,
            "visited_on": "2026-05-10",
            "kind": "test_data",
            "visitors": "王站长",
            "findings": "出厂检验记录不全",
        },
    )
    number = made.json()["number"]
    problem = client_as(station_staff).post(
        f"/api/v1/diagnosis/visits/{number}/problems",
        {
            "description": "记录缺项",
            "severity": "minor",
            "solution": "补全记录表",
            "due_date": "2026-06-01",
        },
    )
    assert made.status_code == 201 and made.json()["kind_label"] == "检验数据"
    assert problem.status_code == 201 and problem.json()["status_label"] == "待整改"
    mine = client_as(enterprise).get("/api/v1/diagnosis/visits").json()
    assert [v["number"] for v in mine] == [number]
    assert client_as(other_enterprise).get("/api/v1/diagnosis/visits").json() == []
    assert client_as(other_enterprise).get(f"/diagnosis/{number}/").status_code == 404
    pk = problem.json()["id"]
    assert client_as(other_enterprise).get(f"/diagnosis/problems/{pk}/").status_code == 404


# --- test results and risks -----------------------------------------------------------------
def _issue(client_as, enterprise, lab, results: str):
    order = testing.order_in("accepted", enterprise, institution_org=lab)
    report = io.BytesIO(testing.pdf_bytes())
    report.name = "report.pdf"
    return client_as(lab.account).post(
        f"/orders/{order.number}/report/",
        {
            "version": order.version,
            "report": report,
            "conclusion": "见检测项目",
            "results": results,
        },
        follow=True,
    )


@pytest.mark.req("ENT-7")
def test_recurring_failures_become_a_risk_told_once_to_the_enterprise_and_its_station(
    client_as, enterprise, company, area_staff, other_enterprise
):
    lab = testing.institution()
    with time_machine.travel(dt.datetime(2025, 11, 3, 10, tzinfo=dt.UTC), tick=False):
        _issue(client_as, enterprise, lab, "闸阀，壳体试验，不合格\n闸阀，密封试验，合格")
    # One failure is not yet a risk.
    assert ReportLine.objects.filter(passed=False).count() == 1
    assert not Risk.objects.exists()
    with time_machine.travel(dt.datetime(2026, 5, 6, 10, tzinfo=dt.UTC), tick=False):
        _issue(client_as, enterprise, lab, "闸阀，壳体试验，不合格\n闸阀，密封试验，合格")
        refresh_all()  # the daily pass after the report: nobody is told twice
        refresh_all()
        firm = client_as(enterprise)
        summary = firm.get("/diagnosis/results/").content.decode()
        api = firm.get("/api/v1/diagnosis/results").json()
        staff_risks = client_as(area_staff).get("/diagnosis/risks/").content.decode()
        card = client_as(area_staff).get("/accounts/workbench/").content.decode()

    told = Notification.objects.filter(subject__startswith="质量风险提示")
    assert ReportLine.objects.count() == 4
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        [enterprise.username, area_staff.username]
    )
    assert "闸阀的“壳体试验”近 12 个月内 2 次不合格" in summary
    assert "2025年第4季度" in summary and "2026年第2季度" in summary and "重复不合格" in summary
    assert api["risks"][0]["parameter"] == "壳体试验"
    assert {(q["quarter"], q["parameter"], q["failed"]) for q in api["quarters"]} >= {
        ("2026年第2季度", "壳体试验", 1),
        ("2025年第4季度", "壳体试验", 1),
    }
    assert "无锡精工阀门有限公司" in staff_risks and "壳体试验" in staff_risks
    assert "辖区企业质量风险" in card
    # Another enterprise sees none of it.
    assert client_as(other_enterprise).get("/api/v1/diagnosis/risks").json() == []

    # Twelve months after the last failure the risk lapses.
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        refresh_all()
    assert not Risk.objects.get().active


@pytest.mark.req("ENT-7")
def test_a_bad_result_line_is_refused_with_its_line_number_and_no_report_is_issued(
    client_as, enterprise, company
):
    lab = testing.institution()
    page = _issue(client_as, enterprise, lab, "闸阀，壳体试验，合格\n闸阀，密封试验，基本合格")
    assert "检测项目结果：第 2 行的结果只能填“合格”或“不合格”" in _messages(page)
    assert not ReportLine.objects.exists()
    assert not Risk.objects.exists()


@pytest.mark.req("ENT-7")
def test_the_enterprise_is_reminded_on_the_last_working_day_before_the_due_date(
    client_as, operator, enterprise, company
):
    from qihub.deadlines.workflow import sweep

    with time_machine.travel(NOW, tick=False):
        visit = _visit_by_page(client_as(operator), company)
        client_as(operator).post(
            f"/api/v1/diagnosis/visits/{visit.number}/problems",
            {
                "description": "量具未定置",
                "severity": "minor",
                "solution": "定置管理",
                "due_date": "2026-06-12",
            },
        )
    reminders = Notification.objects.filter(
        recipient=enterprise, subject="诊断问题整改期限即将到期"
    )
    with time_machine.travel(dt.datetime(2026, 6, 10, 10, tzinfo=dt.UTC), tick=False):
        sweep()
    assert not reminders.exists()
    with time_machine.travel(dt.datetime(2026, 6, 12, 2, tzinfo=dt.UTC), tick=False):  # 10:00
        sweep()
        sweep()
    assert reminders.count() >= 1
    assert set(reminders.values_list("channel", flat=True)) <= {"inbox", "sms"}
    assert reminders.filter(channel="inbox").count() == 1
