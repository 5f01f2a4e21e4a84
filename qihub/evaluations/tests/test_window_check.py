"""The window checklist of QHD Annex B with a yearly internal evaluation and ad-hoc ones (EVAL-8)."""

import datetime as dt

import pytest
import time_machine

from conftest import UserFactory
from qihub.accounts.models import Role, Station
from qihub.deadlines.models import Clock
from qihub.evaluations.checks import CHECKLIST
from qihub.evaluations.models import Rectification, WindowCheck
from qihub.workcal.calendar import TZ

SECTIONS = {"场所选址", "设施设备", "标识标牌", "服务资源", "制度建设", "人员", "服务"}


def answers(**failed: str) -> dict[str, str]:
    data = {"kind": "internal", "checked_on": "", "summary": ""}
    for item in CHECKLIST:
        data[f"ok_{item.code}"] = "no" if item.code in failed else "yes"
        data[f"note_{item.code}"] = failed.get(item.code, "")
    return data


@pytest.fixture
def station(db):
    return Station.objects.create(name="开发区一站式服务窗口", region="130302")


@pytest.mark.req("EVAL-8")
def test_the_checklist_covers_annex_b_and_a_failed_item_opens_a_rectification(
    client_as, operator, db
):
    start = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        station = Station.objects.create(name="开发区一站式服务窗口")  # its yearly clock starts now
        staff = client_as(operator)
        listing = staff.get("/ops/stations/").content.decode()
        form = staff.get(f"/ops/stations/{station.pk}/check/").content.decode()
        first_due = Clock.objects.get(code="window_check").due_at
    with time_machine.travel(start + dt.timedelta(days=60), tick=False):
        staff = client_as(operator)
        done = staff.post(
            f"/ops/stations/{station.pk}/check/",
            {**answers(**{"fac-3": "安全出口被杂物堵塞"}), "checked_on": "2026-04-30"},
        )
    clocks = Clock.objects.filter(code="window_check").order_by("started_at")

    assert {item.section for item in CHECKLIST} == SECTIONS and all(s in form for s in SECTIONS)
    assert "开发区一站式服务窗口" in listing
    assert first_due.astimezone(TZ).date() == dt.date(2027, 3, 2)  # at least once a year
    assert done.status_code == 302
    check = WindowCheck.objects.get()
    assert check.failed() == ["fac-3"] and check.kind == "internal"
    r = Rectification.objects.get()
    assert (r.source, r.station, r.check_item) == ("window_check", station, "fac-3")
    assert "安全出口被杂物堵塞" in r.problem
    # The internal evaluation met this year's clock and starts next year's.
    assert [c.state for c in clocks] == ["stopped", "running"]
    assert clocks[1].due_at.astimezone(TZ).date() == dt.date(2027, 5, 1)


@pytest.mark.req("EVAL-8")
def test_the_supervisor_evaluates_ad_hoc_and_station_staff_only_their_own_window(
    client_as, supervisor, station, operator
):
    other = Station.objects.create(name="另一站点")
    clerk = UserFactory(username="clerk", role=Role.STATION_STAFF, station=station)

    ad_hoc = client_as(supervisor).post(
        f"/ops/stations/{station.pk}/check/",
        {**answers(), "kind": "ad_hoc", "checked_on": "2026-05-06"},
    )
    own = client_as(clerk).post(
        f"/ops/stations/{station.pk}/check/", {**answers(), "checked_on": "2026-05-06"}
    )
    foreign = client_as(clerk).get(f"/ops/stations/{other.pk}/check/")
    clerk_ad_hoc = client_as(clerk).post(
        f"/ops/stations/{station.pk}/check/",
        {**answers(), "kind": "ad_hoc", "checked_on": "2026-05-06"},
    )

    assert ad_hoc.status_code == 302 and own.status_code == 302
    assert list(WindowCheck.objects.order_by("pk").values_list("kind", "by__username")) == [
        ("ad_hoc", "supervisor"),
        ("internal", "clerk"),
    ]
    assert foreign.status_code == 404
    assert "不定期评价由统筹部门或运营机构开展" in clerk_ad_hoc.content.decode()


@pytest.mark.req("EVAL-8")
def test_an_unanswered_item_or_a_failure_without_a_note_is_refused(client_as, operator, station):
    data = answers()
    del data["ok_sign-1"]
    unanswered = client_as(operator).post(
        f"/ops/stations/{station.pk}/check/", {**data, "checked_on": "2026-05-06"}
    )
    no_note = client_as(operator).post(
        f"/ops/stations/{station.pk}/check/",
        {**answers(**{"staff-1": ""}), "checked_on": "2026-05-06"},
    )

    assert (
        unanswered.status_code == 400
        and "使用统一的“一站式”服务标识" in unanswered.content.decode()
    )
    assert no_note.status_code == 400 and "不符合时请写明问题" in no_note.content.decode()
    assert not WindowCheck.objects.exists() and not Rectification.objects.exists()
