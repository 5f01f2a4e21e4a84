"""Facility upkeep (STA-4): items with their own cycle and responsible person, a log of
inspections (who, when, result), a reminder before the due date and the overdue count on the
station's and the operator's workbench."""

import datetime as dt
import re

import pytest
import time_machine

from qihub.stations.models import UpkeepItem
from qihub.stations.tasks import remind_upkeep_daily
from qihub.workcal.calendar import TZ

MORNING = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)


def card(client, title: str) -> str:
    page = client.get("/accounts/workbench/").content.decode()
    return re.search(rf"{title}</h2>.*?</a>", page, re.S).group(0)


@pytest.mark.req("STA-4")
def test_head_adds_items_staff_log_inspections_and_due_dates_move_on(
    client_as, station, head, station_staff
):
    with time_machine.travel(MORNING, tick=False):
        mine = client_as(head)
        added = mine.post(
            f"/stations/{station.pk}/upkeep/",
            {
                "name": "消防通道",
                "cycle_days": 30,
                "responsible": station_staff.pk,
                "remind_days": 5,
            },
        )
        api_added = mine.post(
            f"/api/v1/stations/{station.pk}/upkeep",
            {"name": "标识标牌", "cycle_days": 90, "responsible": head.pk, "remind_days": 7},
        )
        exits = UpkeepItem.objects.get(name="消防通道")
        worker = client_as(station_staff)
        logged = worker.post(
            f"/stations/{station.pk}/upkeep/{exits.pk}/log/",
            {"done_on": "2026-06-01", "result": "ok", "note": ""},
        )
        signs = UpkeepItem.objects.get(name="标识标牌")
        api_logged = worker.post(
            f"/api/v1/stations/{station.pk}/upkeep/{signs.pk}/log",
            {"done_on": "2026-05-30", "result": "fixed", "note": "更换褪色标牌"},
        )
        page = worker.get(f"/stations/{station.pk}/upkeep/").content.decode()
        listed = worker.get(f"/api/v1/stations/{station.pk}/upkeep").json()

    exits.refresh_from_db()
    assert added.status_code == 302 and api_added.status_code == 201
    assert api_added.json()["due_on"] == "2026-08-30"  # no first date given: one cycle on
    assert logged.status_code == 302 and exits.due_on == dt.date(2026, 7, 1)
    assert api_logged.status_code == 201
    assert api_logged.json()["logs"][0]["result_label"] == "发现问题已处理"
    assert (
        "更换褪色标牌" in page
        and "周期 30 天" in page
        and "下次到期 2026-07-01" in page
        and "下次到期 2026-08-28" in page
    )
    assert {i["name"] for i in listed["items"]} == {"消防通道", "标识标牌"}


@pytest.mark.req("STA-4")
def test_bad_inspection_input_names_the_field_and_logs_nothing(client_as, station, head):
    item = UpkeepItem.objects.create(
        station=station, name="灭火器", cycle_days=30, responsible=head, due_on=dt.date(2026, 7, 1)
    )
    mine = client_as(head)
    with time_machine.travel(MORNING, tick=False):
        page = mine.post(
            f"/stations/{station.pk}/upkeep/{item.pk}/log/",
            {"done_on": "2026-06-20", "result": "ok"},
            follow=True,
        ).content.decode()
        api = mine.post(
            f"/api/v1/stations/{station.pk}/upkeep/{item.pk}/log",
            {"done_on": "2026-06-01", "result": "problem", "note": ""},
        )
        no_cycle = mine.post(
            f"/stations/{station.pk}/upkeep/",
            {"name": "空调", "cycle_days": 0, "responsible": head.pk, "remind_days": 3},
        )

    assert "检查日期：不能晚于今天" in page
    assert api.status_code == 422 and api.json()["errors"]["note"] == ["说明：发现问题时请写明情况"]
    assert no_cycle.status_code == 400 and "周期（天）：至少 1 天" in no_cycle.content.decode()
    assert not item.logs.exists() and not UpkeepItem.objects.filter(name="空调").exists()


@pytest.mark.req("STA-4")
def test_reminder_before_due_and_overdue_on_the_station_and_operator_workbench(
    client_as, station, head, station_staff, operator
):
    UpkeepItem.objects.create(
        station=station,
        name="消防通道",
        cycle_days=30,
        responsible=station_staff,
        remind_days=5,
        due_on=dt.date(2026, 6, 6),
    )
    UpkeepItem.objects.create(
        station=station,
        name="自助终端",
        cycle_days=90,
        responsible=head,
        remind_days=7,
        due_on=dt.date(2026, 5, 20),
    )
    UpkeepItem.objects.create(
        station=station,
        name="展示柜",
        cycle_days=180,
        responsible=head,
        remind_days=7,
        due_on=dt.date(2026, 12, 1),
    )
    with time_machine.travel(MORNING, tick=False):  # 消防通道 enters its 5-day window today
        remind_upkeep_daily.call_local()
        inbox = client_as(station_staff).get("/inbox/").content.decode()
        station_card = card(client_as(station_staff), "设施检查维护")
        operator_card = card(client_as(operator), "设施检查维护")
        due_list = client_as(station_staff).get("/stations/upkeep-due/").content.decode()

    assert "设施维护提醒：无锡市服务站“消防通道”将于 2026-06-06 到期" in inbox
    for shown in (station_card, operator_card):
        assert "待办 2" in shown and "超时 1" in shown
    assert "消防通道" in due_list and "自助终端" in due_list and "展示柜" not in due_list
    assert "已逾期" in due_list


@pytest.mark.req("STA-4")
def test_station_staff_see_only_their_own_stations_upkeep(client_as, station, head, elsewhere):
    item = UpkeepItem.objects.create(
        station=station,
        name="消防通道",
        cycle_days=30,
        responsible=head,
        due_on=dt.date(2020, 1, 1),
    )
    stranger = client_as(elsewhere)
    page = stranger.get(f"/stations/{station.pk}/upkeep/")
    log = stranger.post(
        f"/stations/{station.pk}/upkeep/{item.pk}/log/", {"done_on": "2020-01-01", "result": "ok"}
    )
    api = stranger.get(f"/api/v1/stations/{station.pk}/upkeep")
    api_log = stranger.post(
        f"/api/v1/stations/{station.pk}/upkeep/{item.pk}/log",
        {"done_on": "2020-01-01", "result": "ok"},
    )
    their_card = card(stranger, "设施检查维护")
    due_list = stranger.get("/stations/upkeep-due/").content.decode()

    assert page.status_code == log.status_code == 404
    assert api.status_code == api_log.status_code == 404
    assert "待办 0" in their_card and "消防通道" not in due_list
    assert not item.logs.exists()
