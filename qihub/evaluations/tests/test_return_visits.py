"""Return visits for every kind of service (EVAL-2): scheduled when a consultation is answered or
an entrustment is finished, reminded on the clock, recorded on the due list, archived and
exported; scheduled by hand for any closed service; the same through the API."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from qihub.agency.tests.test_agency import _signed
from qihub.clinic.models import Consultation
from qihub.clinic.tests.test_clinic import _ask, _expert, asker  # noqa: F401 - fixture
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.workflow import sweep
from qihub.evaluations.models import ReturnVisit
from qihub.notifications.models import Notification
from qihub.workcal.calendar import TZ

pytestmark = pytest.mark.req("EVAL-2")
# A Tuesday, 10:00 in Asia/Shanghai.
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=TZ)


def finished_entrustment(client_as, enterprise, agent):
    with time_machine.travel(NOW, tick=False):
        entrustment = _signed(client_as(enterprise), enterprise, agent)
        item = entrustment.items.get()
        page = client_as(agent)
        page.post(
            f"/agency/{entrustment.number}/step/collect/", {"item": item.pk, "note": "证书已领取"}
        )
        page.post(f"/agency/{entrustment.number}/finish/")
    entrustment.refresh_from_db()
    assert entrustment.status == "done"
    return entrustment


def answered_consultation(client_as, asker):  # noqa: F811 - the fixture's value
    expert = _expert("孙电表")
    with time_machine.travel(NOW, tick=False):
        _ask(client_as(asker))
        record = Consultation.objects.get()
        client_as(expert.user).post(
            f"/api/v1/clinic/consultations/{record.number}/answer",
            {"version": record.version, "text": "用于贸易结算的电能表属于强制检定范围。"},
        )
    record.refresh_from_db()
    assert record.status == "answered"
    return record


def test_finishing_an_entrustment_schedules_a_visit_that_reminds_the_agent(
    client_as, enterprise, station_staff, operator
):
    entrustment = finished_entrustment(client_as, enterprise, station_staff)

    visit = ReturnVisit.objects.get()
    clock = Clock.objects.get(code="return_visit")
    assert visit.entrustment == entrustment and visit.scheduled_by is None
    assert visit.scheduled_for == dt.date(2026, 6, 9)
    assert clock.owner == station_staff and clock.state == ClockState.RUNNING

    with time_machine.travel(dt.datetime(2026, 6, 9, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        due = client_as(operator).get("/return-visits/").content.decode()
    assert Notification.objects.filter(recipient=station_staff, subject="服务回访即将到期").exists()
    assert f'data-service="{entrustment.number}"' in due and "全程代办" in due
    assert "服务办结后自动安排" in due and 'data-testid="visit-overdue"' not in due

    with time_machine.travel(dt.datetime(2026, 6, 10, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        late = client_as(operator).get("/return-visits/").content.decode()
        bench = client_as(station_staff).get("/accounts/workbench/").content.decode()
    assert 'data-testid="visit-overdue"' in late
    card = bench[bench.index('href="/return-visits/"') :].split("</a>")[0]
    assert "待回访 1" in card and "超时 1" in card


def test_the_result_recorded_on_the_due_list_is_archived_and_exported(
    client_as, enterprise, station_staff, operator
):
    entrustment = finished_entrustment(client_as, enterprise, station_staff)
    visit = ReturnVisit.objects.get()
    staff = client_as(station_staff)

    missing = staff.post("/return-visits/", {"visit": visit.pk, "method": "电话"}, follow=True)
    assert "回访结果：必须填写" in missing.content.decode()
    staff.post(
        "/return-visits/",
        {
            "visit": visit.pk,
            "method": "电话",
            "result": "证书已收到并用于年审",
            "satisfied": "false",
            "problems": "代办人领证后两天才通知企业",
        },
    )

    visit.refresh_from_db()
    assert (visit.status, visit.done_by, visit.satisfied) == ("done", station_staff, False)
    assert Clock.objects.get(code="return_visit").state == ClockState.STOPPED
    assert (
        f'data-service="{entrustment.number}"' not in staff.get("/return-visits/").content.decode()
    )
    archive = client_as(operator).get("/return-visits/archive/?satisfied=false&problems=yes")
    shown = archive.content.decode()
    assert f'data-service="{entrustment.number}"' in shown and "代办人领证后两天才通知企业" in shown
    none = client_as(operator).get("/return-visits/archive/?problems=no").content.decode()
    assert f'data-service="{entrustment.number}"' not in none and "没有符合条件的记录" in none

    export = client_as(operator).get("/return-visits/archive/?kind=entrustment&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["服务类型", "服务编号"]
    assert rows[1][0:2] == ["全程代办", entrustment.number]
    assert rows[1][8:] == ["不满意", "代办人领证后两天才通知企业"]
    assert "%E5%9B%9E%E8%AE%BF%E8%AE%B0%E5%BD%95" in export["Content-Disposition"]  # 回访记录
    refused = client_as(enterprise).get("/return-visits/archive/")
    assert refused.status_code == 403


def test_an_answered_consultation_gets_a_visit_and_staff_schedule_more_by_number(
    client_as,
    asker,  # noqa: F811
    operator,
):
    record = answered_consultation(client_as, asker)
    auto = ReturnVisit.objects.get()
    assert auto.consultation == record and auto.scheduled_by is None
    desk = client_as(operator)

    unknown = desk.post("/return-visits/", {"service": "ZX-无此编号", "on": "2026-12-01"})
    assert unknown.status_code == 400
    assert "服务编号：没有该订单、咨询或委托书" in unknown.content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        desk.post("/return-visits/", {"service": record.number, "on": "2026-06-20"})
        api = desk.get("/api/v1/return-visits").json()
    manual = ReturnVisit.objects.get(scheduled_by=operator)
    assert manual.consultation == record and manual.scheduled_for == dt.date(2026, 6, 20)
    assert [(r["service_number"], r["automatic"]) for r in api] == [
        (record.number, True),
        (record.number, False),
    ]
    assert api[0]["service_kind_label"] == "质量门诊咨询"


@pytest.mark.req("EVAL-2")
def test_station_staff_see_a_consultation_visit_without_a_link_they_could_not_open(
    client_as,
    asker,  # noqa: F811
    operator,
    station_staff,
):
    record = answered_consultation(client_as, asker)
    link = f'href="/clinic/{record.number}/"'

    window = client_as(station_staff).get("/return-visits/").content.decode()
    desk = client_as(operator).get("/return-visits/").content.decode()

    assert record.number in window and link not in window
    assert client_as(station_staff).get(f"/clinic/{record.number}/").status_code == 404
    assert link in desk and client_as(operator).get(f"/clinic/{record.number}/").status_code == 200


def test_the_api_schedules_records_and_reads_the_archive_with_the_pages_rules(
    client_as,
    asker,  # noqa: F811
    operator,
):
    record = answered_consultation(client_as, asker)
    desk = client_as(operator)

    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        past = desk.post("/api/v1/return-visits", {"service": record.number, "on": "2026-01-01"})
        made = desk.post("/api/v1/return-visits", {"service": record.number, "on": "2026-06-05"})
        refused = client_as(asker).get("/api/v1/return-visits")
        visit_id = made.json()["id"]
        bad = desk.post(f"/api/v1/return-visits/{visit_id}/result", {"method": "飞鸽"})
        done = desk.post(
            f"/api/v1/return-visits/{visit_id}/result",
            {"method": "线上", "result": "答复清楚，已安排送检", "satisfied": "true"},
        )
        archive = desk.get("/api/v1/return-visits/archive?kind=consultation&satisfied=true")
    archive = archive.json()

    assert past.status_code == 409 and "计划回访日期：不能早于今天" in past.json()["detail"]
    assert made.status_code == 201 and refused.status_code == 403
    assert bad.status_code == 422
    assert bad.json()["errors"]["method"] == ["回访方式：不是可选的值"]
    assert bad.json()["errors"]["result"] == ["回访结果：必须填写"]
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert [(r["id"], r["result"]) for r in archive] == [(visit_id, "答复清楚，已安排送检")]
