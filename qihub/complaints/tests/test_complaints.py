"""Complaints on one form, settled within 7 working days (CMP-1, CMP-2)."""

import datetime as dt

import pytest
import time_machine

from qihub.complaints.models import Complaint, ComplaintType
from qihub.deadlines.models import Clock, ClockPause
from qihub.notifications.models import Notification


def form(lab, **changes):
    return {
        "target": "institution",
        "against": lab.name if lab else "",  # as the picker fills the box
        "against_name": "",
        "type": ComplaintType.objects.get(name="办理时限").pk,
        "content": "检测报告超期 10 天未出具",
        "request": "尽快出具报告并说明原因",
        "order": "",
        **changes,
    }


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.mark.req("CMP-1")
def test_a_member_complains_online_and_gets_a_number_and_a_seven_day_clock(client_as, company, lab):
    start = dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC)  # Friday; National Day follows
    with time_machine.travel(start, tick=False):
        response = client_as(company).post("/complaints/new/", form(lab))
    complaint = Complaint.objects.get()
    clock = Clock.objects.get(code="complaint")

    assert response.status_code == 302 and complaint.number.startswith("TS-2026-")
    assert (complaint.channel, complaint.against_organisation) == ("web", lab)
    # 7 working days: 28, 29, 30 Sep, 8, 9, 10 (调休 Saturday), 12 Oct.
    assert clock.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(
        2026, 10, 12
    )
    assert Notification.objects.filter(
        recipient=company, subject=f"投诉 {complaint.number} 已受理"
    ).exists()


@pytest.mark.req("CMP-1")
def test_staff_enter_complaints_received_by_phone_window_or_letter(
    client_as, company, operator, lab
):
    client_as(operator).post(
        "/ops/complaints/new/",
        {**form(lab), "complainant": company.organisation.name, "channel": "window"},
    )

    complaint = Complaint.objects.get()
    assert (complaint.complainant, complaint.channel, complaint.entered_by) == (
        company,
        "window",
        operator,
    )
    assert complaint.number in client_as(company).get("/complaints/").content.decode()


@pytest.mark.req("CMP-1")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"against": ""}, "被投诉机构：必须填写（输入名称后从提示中选择）"),
        ({"against": "无锡某某检测所"}, "被投诉机构：平台上没有名为“无锡某某检测所”的技术机构"),
        (
            {"target": "staff", "against_name": ""},
            "被投诉工作人员：请选择，或填写窗口号、工号或特征",
        ),
        ({"target": "station"}, "被投诉站点/窗口：请选择"),
        ({"target": "station", "against_station": "999999"}, "被投诉站点/窗口：不是可选的值"),
        ({"target": "staff", "against_staff": "abc"}, "被投诉工作人员：不是可选的值"),
        ({"content": ""}, "投诉内容：必须填写"),
        ({"order": "DD-2026-999999"}, "关联订单编号：没有投诉人的该订单"),
    ],
)
def test_a_complaint_without_a_party_or_content_is_refused_with_the_field_named(
    client_as, company, lab, change, message
):
    response = client_as(company).post("/complaints/new/", form(lab, **change))

    assert response.status_code == 400 and message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.req("CMP-2")
def test_investigate_forward_respond_decide_feed_back_and_rate(client_as, company, operator, lab):
    client_as(company).post("/complaints/new/", form(lab))
    complaint = Complaint.objects.get()
    staff, inst, ent = client_as(operator), client_as(lab.account), client_as(company)
    url = f"/complaints/{complaint.number}"

    hidden = inst.get(f"{url}/")
    staff.post(f"{url}/findings/", {"version": 1, "text": "核实：样品到达后 15 个工作日未出报告"})
    staff.post(f"{url}/forward/", {"version": 2, "text": "请答复"})
    inst.post(f"{url}/respond/", {"version": 3, "text": "设备故障导致延误，已于 10 月 9 日出具"})
    staff.post(
        f"{url}/decide/", {"version": 4, "substantiated": "yes", "decision": "投诉属实，责令整改"}
    )
    staff.post(f"{url}/feedback/", {"version": 5, "text": "机构已出具报告并整改，退还加急费"})
    ent.post(f"{url}/rate/", {"satisfied": "yes"})

    complaint.refresh_from_db()
    assert hidden.status_code == 404  # an institution sees only what was forwarded to it
    assert complaint.status == "closed" and complaint.substantiated is True
    assert complaint.complainant_satisfied is True
    assert Clock.objects.get(code="complaint").state == "stopped"
    page = ent.get(f"{url}/").content.decode()
    assert "机构已出具报告并整改" in page and "按时办结" in page
    assert "核实：样品到达后" not in page  # internal findings are not shown to the complainant


@pytest.mark.req("CMP-2")
def test_waiting_for_evidence_pauses_the_clock_with_a_reason(client_as, company, operator, lab):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        client_as(company).post("/complaints/new/", form(lab))
    complaint = Complaint.objects.get()
    due = Clock.objects.get().due_at
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        client_as(operator).post(
            f"/complaints/{complaint.number}/pause/", {"reason": "等待投诉人提供送样单"}
        )
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        client_as(operator).post(f"/complaints/{complaint.number}/resume/", {})

    pause = ClockPause.objects.get()
    assert pause.reason == "等待投诉人提供送样单" and pause.ended_at is not None
    assert Clock.objects.get().due_at > due  # the waiting days do not count


@pytest.mark.req("CMP-2")
def test_a_complainant_sees_only_their_own_complaints(client_as, company, other_enterprise, lab):
    client_as(company).post("/complaints/new/", form(lab))
    complaint = Complaint.objects.get()

    assert client_as(other_enterprise).get(f"/complaints/{complaint.number}/").status_code == 404
    assert complaint.number not in client_as(other_enterprise).get("/complaints/").content.decode()


@pytest.mark.req("CMP-2")
def test_the_api_takes_a_complaint_and_the_same_actions_and_keeps_findings_inside(
    client_as, company, operator, lab
):
    created = client_as(company).post("/api/v1/complaints", form(lab))
    number = created.json()["number"]
    staff = client_as(operator)
    staff.post(f"/api/v1/complaints/{number}/findings", {"version": 1, "text": "内部核查记录"})
    stale = staff.post(f"/api/v1/complaints/{number}/forward", {"version": 1, "text": "请答复"})
    forwarded = staff.post(f"/api/v1/complaints/{number}/forward", {"version": 2, "text": "请答复"})
    bad = client_as(company).post("/api/v1/complaints", form(lab, content=""))
    theirs = client_as(company).get(f"/api/v1/complaints/{number}").json()
    institution_list = client_as(lab.account).get("/api/v1/complaints").json()

    assert created.status_code == 201 and number.startswith("TS-")
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["detail"]
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "forwarded"
    assert bad.status_code == 422 and bad.json()["errors"]["content"] == ["投诉内容：必须填写"]
    assert "findings" not in theirs and "内部核查记录" not in str(theirs)
    assert [c["number"] for c in institution_list] == [number]


@pytest.mark.req("CMP-1")
def test_a_member_complains_about_a_station_chosen_from_the_list(client_as, company, operator):
    from qihub.accounts.models import Station

    window = Station.objects.create(name="滨湖区一站式服务站", region="320211")
    browser = client_as(company)
    page = browser.get("/complaints/new/").content.decode()
    assert f'<option value="{window.pk}">滨湖区一站式服务站</option>' in page

    browser.post(
        "/complaints/new/",
        {**form(None), "target": "station", "against_station": window.pk},
    )

    complaint = Complaint.objects.get()
    assert (complaint.against_station, complaint.against()) == (window, "滨湖区一站式服务站")
    queue = client_as(operator).get("/ops/complaints/").content.decode()
    assert complaint.number in queue and "滨湖区一站式服务站" in queue


@pytest.mark.req("CMP-1")
def test_a_member_complains_about_a_staff_member_picked_under_their_station(
    client_as, company, operator
):
    from qihub.accounts.models import Role, Station
    from qihub.core.testing import VerifiedUserFactory

    window = Station.objects.create(name="滨湖区一站式服务站", region="320211")
    clerk = VerifiedUserFactory(
        username="clerk_w", role=Role.STATION_STAFF, station=window, display_name="窗口小王"
    )
    browser = client_as(company)
    page = browser.get("/complaints/new/").content.decode()
    group = page[page.index('<optgroup label="滨湖区一站式服务站">') :].split("</optgroup>")[0]
    assert f'<option value="{clerk.pk}">窗口小王</option>' in group

    browser.post(
        "/complaints/new/",
        {**form(None), "target": "staff", "against_staff": clerk.pk},
    )

    complaint = Complaint.objects.get()
    assert (complaint.against_staff, complaint.against()) == (clerk, "窗口小王")
    assert complaint.number in client_as(operator).get("/ops/complaints/").content.decode()
