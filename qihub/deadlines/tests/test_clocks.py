"""Clocks on real records: due times, pauses, calendar changes, the sweep."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from qihub.deadlines import workflow
from qihub.deadlines.clocks import CLOCKS
from qihub.deadlines.models import Clock, ClockEvent
from qihub.notifications.models import Notification
from qihub.workcal.calendar import TZ


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_every_clock_is_declared_once_with_its_source():
    assert {
        "account_review",
        "demand_response",
        "demand_recommendation",
        "complaint",
        "rectification",
        "change_report",
        "product_follow_up",
    } <= set(CLOCKS)
    for spec in CLOCKS.values():
        assert spec.length > 0 and spec.source and spec.starts_on and spec.stops_on


def test_several_clocks_on_one_record_keep_their_own_due_times(enterprise):
    published = at("2026-09-30 16:00")

    respond = workflow.start_clock("demand_response", enterprise, at=published)
    recommend = workflow.start_clock("demand_recommendation", enterprise, at=published)

    assert respond.due_at == at("2026-10-08 23:59:59")
    assert recommend.due_at == at("2026-10-10 23:59:59")  # the make-up Saturday
    assert respond.remind_at == at("2026-10-08 09:00")
    assert Clock.objects.filter(object_id=str(enterprise.pk)).count() == 2
    assert respond.events.get().kind == "started"


def test_a_pause_of_two_working_days_moves_the_deadline_by_two_working_days(operator):
    clock = workflow.start_clock("complaint", operator, at=at("2026-11-02 10:00"))  # Mon
    assert clock.due_at == at("2026-11-11 23:59:59")

    workflow.pause_clock(clock, reason="等待投诉人补充材料", by=operator, at=at("2026-11-03 10:00"))
    clock = workflow.resume_clock(clock, by=operator, at=at("2026-11-05 10:00"))  # Tue → Thu

    assert clock.due_at == at("2026-11-13 23:59:59")
    assert [e.kind for e in clock.events.all()] == ["started", "paused", "resumed"]


def test_a_pause_over_a_weekend_moves_it_by_the_working_days_only(operator):
    clock = workflow.start_clock("complaint", operator, at=at("2026-11-02 10:00"))

    workflow.pause_clock(clock, reason="等待补充材料", at=at("2026-11-06 15:00"))  # Fri
    clock = workflow.resume_clock(clock, at=at("2026-11-09 09:00"))  # Mon

    assert clock.due_at == at("2026-11-12 23:59:59")  # one working day later, not three


def test_a_clock_that_may_not_pause_refuses(operator):
    clock = workflow.start_clock("demand_response", operator, at=at("2026-11-02 10:00"))

    with pytest.raises(workflow.ClockError, match="不允许暂停"):
        workflow.pause_clock(clock, reason="x")


def test_calendar_import_that_adds_a_holiday_moves_open_clocks_and_records_it(operator, tmp_path):
    clock = workflow.start_clock("rectification", operator, at=at("2026-12-21 10:00"))
    before = clock.due_at
    assert clock.provisional  # 15 working days reach into 2027
    schedule = tmp_path / "2027.json"
    schedule.write_text(
        json.dumps(
            [
                {"date": "2027-01-01", "type": "off", "name": "元旦"},
                {"date": "2027-01-04", "type": "off", "name": "元旦"},
            ]
        )
    )

    with time_machine.travel(at("2026-12-22 09:00"), tick=False):
        call_command(
            "workcal", "import", str(schedule), "--year", "2027", "--official", stdout=io.StringIO()
        )

    clock.refresh_from_db()
    assert clock.due_at == before + dt.timedelta(days=2)  # two weekdays became holidays
    assert not clock.provisional
    event = clock.events.get(kind="recomputed")
    assert (event.due_before, event.due_after) == (before, clock.due_at)
    assert "2027" in event.note


def test_sweep_run_twice_sends_one_reminder_and_one_escalation(operator, supervisor):
    clock = workflow.start_clock(
        "demand_response", operator, owner=operator, at=at("2026-11-18 10:00")
    )
    # Due Thu 19 Nov 23:59:59; reminder 09:00 that morning.

    with time_machine.travel(at("2026-11-19 09:30"), tick=False):
        first = io.StringIO()
        call_command("sweep", "--no-deliver", stdout=first)
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
    with time_machine.travel(at("2026-11-20 08:30"), tick=False):
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
        call_command("sweep", "--no-deliver", stdout=io.StringIO())

    assert "提醒 1 项" in first.getvalue()
    assert ClockEvent.objects.filter(clock=clock, kind="reminded").count() == 1
    assert ClockEvent.objects.filter(clock=clock, kind="overdue").count() == 1
    assert (
        Notification.objects.filter(
            recipient=operator, subject__contains="即将到期", channel="inbox"
        ).count()
        == 1
    )
    escalations = Notification.objects.filter(subject__startswith="超时督办", channel="inbox")
    assert sorted(n.recipient.username for n in escalations) == ["operator", "supervisor"]
    clock.refresh_from_db()
    assert clock.is_overdue()


def test_a_stopped_clock_is_never_escalated(operator, supervisor):
    clock = workflow.start_clock("demand_response", operator, at=at("2026-11-18 10:00"))
    workflow.stop_clock(clock, at=at("2026-11-18 15:00"), note="已响应")

    with time_machine.travel(at("2026-11-25 10:00"), tick=False):
        call_command("sweep", "--no-deliver", stdout=io.StringIO())

    assert not Notification.objects.exists()
