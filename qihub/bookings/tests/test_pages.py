"""Booking through the pages and the API (ORD-3): a client picks a free slot from the station
page, the station's staff see it in the day view and take it through check-in; bad input and
other people get clear Chinese refusals; no-shows are counted; the booking exports as .ics."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from qihub.bookings.models import Booking, BookingStatus
from qihub.bookings.slots import grid
from qihub.bookings.workflow import TAKEN, no_shows


def _free(window, n=0):
    """The n-th free slot from tomorrow on: today's could start while a slow run is under way."""
    today = timezone.localdate()
    return [s for day, row in grid(window) if day > today for s in row if s.free][n]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.req("ORD-3")
def test_client_books_from_station_page_and_staff_check_in(
    window, enterprise, station_staff, client_as
):
    me = client_as(enterprise)
    page = me.get(f"/stations/{window.station_id}/")
    assert "预约" in page.content.decode() and 'data-testid="book-link"' in page.content.decode()
    grid_page = me.get(f"/bookings/stations/{window.station_id}/", follow=True)
    assert 'data-testid="slot"' in grid_page.content.decode()
    slot = _free(window)
    done = me.post(
        f"/bookings/resources/{window.pk}/",
        {"start": slot.key, "purpose": "consult", "slots": 1},
        follow=True,
    )
    assert "预约已提交" in _messages(done)
    booking = Booking.objects.get()
    assert booking.user == enterprise and booking.status == BookingStatus.CONFIRMED
    assert booking.start == slot.start
    # The slot is now shown as taken to the next client.
    assert slot.key not in [s.key for _, row in grid(window) for s in row if s.free]

    staff = client_as(station_staff)
    day = staff.get(f"/bookings/resources/{window.pk}/day/?date={slot.key[:10]}")
    assert booking.number in day.content.decode()
    staff.post(f"/bookings/{booking.number}/check_in/", {"version": booking.version})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


@pytest.mark.req("ORD-3")
def test_taken_slot_and_bad_input_get_chinese_messages(window, enterprise, individual, client_as):
    slot = _free(window)
    client_as(enterprise).post(
        f"/bookings/resources/{window.pk}/", {"start": slot.key, "purpose": "consult"}
    )
    second = client_as(individual).post(
        f"/bookings/resources/{window.pk}/", {"start": slot.key, "purpose": "sample"}, follow=True
    )
    assert TAKEN in _messages(second)
    bad = client_as(individual).post(
        f"/bookings/resources/{window.pk}/", {"start": "明天上午", "purpose": "sample"}, follow=True
    )
    assert any(m.startswith("预约时段") for m in _messages(bad))
    no_purpose = client_as(individual).post(
        f"/bookings/resources/{window.pk}/", {"start": slot.key}, follow=True
    )
    assert any(m.startswith("事由") for m in _messages(no_purpose))
    past = client_as(individual).post(
        f"/bookings/resources/{window.pk}/",
        {"start": "2020-01-06 10:00", "purpose": "sample"},
        follow=True,
    )
    assert "预约时段：不能预约已过去的时间" in _messages(past)
    assert Booking.objects.count() == 1


@pytest.mark.req("ORD-3")
def test_api_book_cancel_and_refusals(window, enterprise, individual, station_staff, client_as):
    me = client_as(enterprise)
    slots = me.get(f"/api/v1/resources/{window.pk}/slots").json()
    start = next(s["start"] for d in slots["days"] for s in d["slots"] if s["free"])
    made = me.post(f"/api/v1/resources/{window.pk}/book", {"start": start, "purpose": "report"})
    assert made.status_code == 201, made.json()
    number = made.json()["number"]
    assert made.json()["status_label"] == "已确认"
    # Staff may not book; a stranger cannot see or cancel it.
    staff_try = client_as(station_staff).post(
        f"/api/v1/resources/{window.pk}/book", {"start": start, "purpose": "report"}
    )
    assert staff_try.status_code == 403
    assert client_as(individual).post(f"/api/v1/bookings/{number}/cancel").status_code == 404
    # The client may not check themselves in.
    assert me.post(f"/api/v1/bookings/{number}/check_in").status_code == 403
    bad = me.post(f"/api/v1/resources/{window.pk}/book", {"start": start, "purpose": "x"})
    assert bad.status_code == 422
    cancelled = me.post(f"/api/v1/bookings/{number}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status_label"] == "已取消"
    # The cancelled slot is free again.
    again = client_as(individual).post(
        f"/api/v1/resources/{window.pk}/book", {"start": start, "purpose": "consult"}
    )
    assert again.status_code == 201


@pytest.mark.req("ORD-3")
def test_approval_policy_no_show_counted_and_ics(
    window, enterprise, station_staff, client_as, time_machine
):
    window.needs_approval = True
    window.save()
    me = client_as(enterprise)
    slot = _free(window)
    number = me.post(
        f"/api/v1/resources/{window.pk}/book", {"start": slot.key, "purpose": "consult"}
    ).json()["number"]
    assert Booking.objects.get(number=number).status == BookingStatus.REQUESTED
    staff = client_as(station_staff)
    assert staff.post(f"/api/v1/bookings/{number}/approve").json()["status_label"] == "已确认"
    early = staff.post(f"/api/v1/bookings/{number}/no_show")
    assert early.status_code == 409 and "未到" in early.json()["detail"]
    time_machine.move_to(slot.end + dt.timedelta(minutes=5))
    staff = client_as(station_staff)  # a fresh session: the old one idled out meanwhile
    assert staff.post(f"/api/v1/bookings/{number}/no_show").status_code == 200
    assert no_shows(enterprise) == 1
    ics = client_as(enterprise).get(f"/bookings/{number}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:{number}@qihub" in body


@pytest.mark.req("ORD-3")
def test_per_day_limit(window, enterprise, client_as):
    me = client_as(enterprise)
    row = next(row for _, row in grid(window) if len(row) >= 5)
    first, later = row[0], row[4]
    me.post(f"/api/v1/resources/{window.pk}/book", {"start": first.key, "purpose": "consult"})
    second = me.post(
        f"/api/v1/resources/{window.pk}/book", {"start": later.key, "purpose": "sample"}
    )
    assert second.status_code == 409 and "同一天" in second.json()["detail"]


def test_other_role_sees_no_book_button(window, institution, client_as):
    page = client_as(institution).get(f"/stations/{window.station_id}/").content.decode()
    assert 'data-testid="book-link"' not in page


@pytest.mark.req("ORD-3")
def test_workbench_cards_count_bookings(window, enterprise, station_staff, client_as):
    me = client_as(enterprise)
    slot = _free(window)
    me.post(f"/api/v1/resources/{window.pk}/book", {"start": slot.key, "purpose": "consult"})
    mine = me.get("/accounts/workbench/").content.decode()
    assert "我的预约" in mine
    staff_page = client_as(station_staff).get("/accounts/workbench/").content.decode()
    assert "今日预约" in staff_page
    today = client_as(station_staff).get("/bookings/today/", follow=True)
    assert "booking-day-page" in today.content.decode()


@pytest.mark.req("ORD-3")
def test_reminder_the_day_before_once(window, enterprise, client_as):
    from qihub.bookings.reminders import remind_tomorrow
    from qihub.notifications.models import Notification

    slot = _free(window)
    client_as(enterprise).post(
        f"/api/v1/resources/{window.pk}/book", {"start": slot.key, "purpose": "sample"}
    )
    day_before = slot.start - dt.timedelta(days=1)
    assert remind_tomorrow(day_before) == 1
    assert remind_tomorrow(day_before) == 0
    note = Notification.objects.get(recipient=enterprise, subject="预约提醒")
    assert Booking.objects.get().number in note.body


@pytest.mark.req("ORD-3")
def test_institution_service_booked_from_profile_and_handled(enterprise, station_staff, client_as):
    from qihub.bookings.models import Resource, ResourceKind, WeeklyHour
    from qihub.core import testing

    lab = testing.institution("滨湖计量检测所")
    institution = lab.account
    service = Resource.objects.create(
        kind=ResourceKind.INSTITUTION, name="滨湖计量检测所送样预约", organisation=lab
    )
    for day in range(7):
        WeeklyHour.objects.create(
            resource=service, weekday=day, opens=dt.time(9), closes=dt.time(12)
        )
    page = client_as(enterprise).get(f"/institutions/{lab.uscc}/").content.decode()
    assert f"/bookings/resources/{service.pk}/" in page
    slot = _free(service)
    made = client_as(enterprise).post(
        f"/api/v1/resources/{service.pk}/book", {"start": slot.key, "purpose": "sample"}
    )
    number = made.json()["number"]
    # Another resource's staff may not act; the institution may.
    assert client_as(station_staff).post(f"/api/v1/bookings/{number}/check_in").status_code == 404
    done = client_as(institution).post(f"/api/v1/bookings/{number}/check_in")
    assert done.json()["status_label"] == "已签到"
