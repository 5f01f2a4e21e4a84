"""Instrument sharing through the pages and the API (INS-1): the owner lists an instrument, the
public finds it with the Chinese search, self-operation needs a permit, the owner approves,
adjusts or refuses bookings, records the use, and closing produces the fee slip; 3 no-shows make
a user's bookings requests until the owner lifts the block."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from qihub.bookings.models import Booking, BookingStatus
from qihub.bookings.slots import grid
from qihub.bookings.workflow import BLOCKED, TAKEN
from qihub.instruments.models import FeeSlip, Instrument
from qihub.instruments.services import NO_PERMIT
from qihub.instruments.tests.conftest import FORM

pytestmark = pytest.mark.req("INS-1")


def _free(resource, n=0, after_days=0):
    """The n-th free slot from tomorrow on (today's could start while the test runs)."""
    first = timezone.localdate() + dt.timedelta(days=after_days)
    return [s for day, row in grid(resource) if day > first for s in row if s.free][n]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _book(me, instrument, slot, purpose="test"):
    return me.post(
        f"/bookings/resources/{instrument.resource_id}/",
        {"start": slot.key, "purpose": purpose, "slots": 1},
        follow=True,
    )


def test_owner_lists_instrument_and_public_finds_it_with_chinese_search(
    instrument, institution, client_as, visitor, client
):
    workbench = client_as(institution).get("/accounts/workbench/").content.decode()
    assert "共享仪器" in workbench and "/instruments/mine/" in workbench
    mine = client_as(institution).get("/instruments/mine/").content.decode()
    assert instrument.name in mine
    for query in ["光谱仪", "重金属检测", "铅", "ICP"]:
        page = client.get("/instruments/", {"q": query}).content.decode()
        assert instrument.name in page, query
    nothing = client.get("/instruments/", {"q": "万能材料试验机"}).content.decode()
    assert instrument.name not in nothing and "没有符合条件的记录" in nothing
    found = client.get("/api/v1/instruments", {"q": "重金属检测"}).json()
    assert [i["name"] for i in found] == [instrument.name]
    detail = client.get(f"/api/v1/instruments/{instrument.pk}").json()
    assert detail["price_label"] == "200.00 元/样品；300.00 元/小时" and detail["days"]
    page = client.get(f"/instruments/{instrument.pk}/").content.decode()
    assert "安捷伦科技" in page and "登录</a>后可预约" in page


def test_bad_instrument_form_names_the_field_and_saves_nothing(lab, institution, client_as):
    bad = {**FORM, "name": "", "closes": "08:00", "price_per_hour": ""}
    page = client_as(institution).post("/instruments/new/", bad).content.decode()
    assert "仪器名称：请填写" in page
    assert "结束时间：须晚于开始时间" in page
    assert "每小时机时价格：提供自主上机时请填写，或勾选公益" in page
    assert not Instrument.objects.exists()


def test_unlisted_instrument_leaves_the_list_and_takes_no_bookings(
    instrument, institution, enterprise, client_as, client
):
    client_as(institution).post(f"/instruments/{instrument.pk}/listing/", {"listed": "0"})
    assert instrument.name not in client.get("/instruments/").content.decode()
    assert client.get(f"/instruments/{instrument.pk}/").status_code == 404
    refused = _book(client_as(enterprise), instrument, _free(instrument.resource))
    assert "该仪器已停止共享，不能预约" in _messages(refused)
    assert not Booking.objects.exists()


def test_self_operation_needs_a_permit_recorded_by_the_owner(
    instrument, institution, enterprise, client_as
):
    me = client_as(enterprise)
    page = me.get(f"/instruments/{instrument.pk}/").content.decode()
    assert 'value="test"' in page and 'value="operate"' not in page and NO_PERMIT in page
    refused = _book(me, instrument, _free(instrument.resource), purpose="operate")
    assert f"事由：{NO_PERMIT}" in _messages(refused)
    assert not Booking.objects.exists()

    owner = client_as(institution)
    bad = owner.post(
        f"/instruments/{instrument.pk}/permits/",
        {
            "user": "没有这个人",
            "basis": "training",
            "on": "2026-01-05",
            "valid_until": "2025-01-01",
        },
        follow=True,
    )
    assert any(m.startswith("用户") for m in _messages(bad))
    today = timezone.localdate()
    owner.post(
        f"/instruments/{instrument.pk}/permits/",
        {
            "user": enterprise.username,
            "basis": "training",
            "on": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=365)).isoformat(),
        },
    )
    page = me.get(f"/instruments/{instrument.pk}/").content.decode()
    assert 'value="operate"' in page and 'data-testid="my-permit"' in page
    booked = _book(me, instrument, _free(instrument.resource), purpose="operate")
    assert "预约已提交" in _messages(booked)
    booking = Booking.objects.get()
    assert booking.purpose == "operate" and booking.status == BookingStatus.REQUESTED


def test_owner_adjusts_the_time_and_approves_and_booker_is_told(
    instrument, institution, enterprise, individual, client_as
):
    first, other, taken = (_free(instrument.resource, n) for n in (0, 2, 4))
    _book(client_as(individual), instrument, taken)
    _book(client_as(enterprise), instrument, first)
    booking = Booking.objects.get(user=enterprise)
    assert booking.status == BookingStatus.REQUESTED
    owner = client_as(institution)
    page = owner.get(f"/bookings/{booking.number}/").content.decode()
    assert 'data-testid="adjust-form"' in page and f'value="{other.key}"' in page
    # Onto a slot somebody holds: refused, nothing changes.
    clash = owner.post(
        f"/bookings/{booking.number}/adjust/",
        {"version": booking.version, "start": taken.key},
        follow=True,
    )
    assert TAKEN in _messages(clash)
    past = owner.post(
        f"/bookings/{booking.number}/adjust/",
        {"version": booking.version, "start": "2020-01-06 10:00"},
        follow=True,
    )
    assert "调整后的时段：不能选择已过去的时间" in _messages(past)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED and booking.start == first.start
    done = owner.post(
        f"/bookings/{booking.number}/adjust/",
        {"version": booking.version, "start": other.key},
        follow=True,
    )
    assert "已调整时间并确认预约" in _messages(done)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.start == other.start
    inbox = client_as(enterprise).get("/inbox/").content.decode()
    assert "预约时间已调整并确认" in inbox


def test_owner_refuses_with_a_reason_through_page_and_api(
    instrument, institution, enterprise, client_as
):
    _book(client_as(enterprise), instrument, _free(instrument.resource))
    booking = Booking.objects.get()
    owner = client_as(institution)
    no_reason = owner.post(
        f"/bookings/{booking.number}/refuse/", {"version": booking.version}, follow=True
    )
    assert "拒绝理由：请填写" in _messages(no_reason)
    owner.post(
        f"/bookings/{booking.number}/refuse/",
        {"version": booking.version, "reason": "该时段仪器检修"},
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED
    mine = client_as(enterprise)
    assert "该时段仪器检修" in mine.get(f"/bookings/{booking.number}/").content.decode()
    assert "预约未通过" in mine.get("/inbox/").content.decode()


def _checked_in(instrument, institution, enterprise, client_as, purpose="test"):
    _book(client_as(enterprise), instrument, _free(instrument.resource), purpose=purpose)
    booking = Booking.objects.get()
    owner = client_as(institution)
    owner.post(f"/bookings/{booking.number}/approve/", {"version": booking.version})
    booking.refresh_from_db()
    owner.post(f"/bookings/{booking.number}/check_in/", {"version": booking.version})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    return owner, booking


def test_use_recorded_and_closing_produces_the_fee_slip(
    instrument, institution, enterprise, client_as
):
    owner, booking = _checked_in(instrument, institution, enterprise, client_as)
    owner.post(f"/instruments/use/{booking.number}/start/")
    owner.post(f"/instruments/use/{booking.number}/stop/")
    page = owner.get(f"/bookings/{booking.number}/").content.decode()
    assert 'data-testid="use-record"' in page and "样品数量" in page
    missing = owner.post(
        f"/bookings/{booking.number}/finish/", {"version": booking.version}, follow=True
    )
    assert "样品数量：送样检测请填写样品数量" in _messages(missing)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and not FeeSlip.objects.exists()
    owner.post(f"/bookings/{booking.number}/finish/", {"version": booking.version, "samples": 3})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DONE
    slip = FeeSlip.objects.get()
    assert slip.amount == Decimal("600.00") and not slip.free
    shown = client_as(enterprise).get(f"/instruments/fees/{slip.number}/").content.decode()
    assert slip.number in shown and "600.00 元" in shown and "3.0 样品 × 200.00 元" in shown
    fees = owner.get("/instruments/fees/").content.decode()
    assert slip.number in fees and "600.00" in fees
    excel = owner.get("/instruments/fees/", {"export": "xlsx"})
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    stats = owner.get("/instruments/stats/").content.decode()
    assert 'data-testid="instrument-stats"' in stats and "暂无已完成" not in stats


def test_free_instrument_self_operation_slip_is_zero_and_marked(
    instrument, institution, enterprise, client_as
):
    Instrument.objects.filter(pk=instrument.pk).update(free=True)
    client_as(institution).post(
        f"/instruments/{instrument.pk}/permits/",
        {
            "user": enterprise.username,
            "basis": "qualification",
            "on": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    owner, booking = _checked_in(instrument, institution, enterprise, client_as, "operate")
    no_hours = owner.post(
        f"/bookings/{booking.number}/finish/", {"version": booking.version}, follow=True
    )
    assert "使用机时：请填写使用机时，或先登记开始和结束使用" in _messages(no_hours)
    bad = owner.post(
        f"/bookings/{booking.number}/finish/",
        {"version": booking.version, "hours": "很多"},
        follow=True,
    )
    assert "使用机时：请填写数字" in _messages(bad)
    owner.post(f"/bookings/{booking.number}/finish/", {"version": booking.version, "hours": "2.5"})
    slip = FeeSlip.objects.get()
    assert slip.free and slip.amount == 0 and slip.quantity == Decimal("2.5")
    shown = client_as(enterprise).get(f"/instruments/fees/{slip.number}/").content.decode()
    assert "公益" in shown and "0.00 元" in shown


def test_three_no_shows_make_new_bookings_requests_until_the_owner_lifts(
    instrument, institution, enterprise, client_as, window
):
    owner = client_as(institution)
    past = timezone.now() - dt.timedelta(days=2)
    for n in range(3):
        missed = Booking.objects.create(
            number=f"YY-T{n}",
            resource=instrument.resource,
            user=enterprise,
            start=past + dt.timedelta(hours=n),
            end=past + dt.timedelta(hours=n + 1),
            purpose="test",
            status=BookingStatus.CONFIRMED,
        )
        owner.post(f"/bookings/{missed.number}/no_show/", {"version": 0})
    assert Booking.objects.filter(status=BookingStatus.NO_SHOW).count() == 3
    # A station window needs no approval; for this user it now does, and the form says why.
    me = client_as(enterprise)
    assert BLOCKED in me.get(f"/bookings/resources/{window.pk}/").content.decode()
    me.post(
        f"/bookings/resources/{window.pk}/",
        {"start": _free(window).key, "purpose": "consult", "slots": 1},
    )
    assert Booking.objects.get(resource=window).status == BookingStatus.REQUESTED

    last = Booking.objects.get(number="YY-T2")
    page = owner.get(f"/bookings/{last.number}/").content.decode()
    assert 'data-testid="lift"' in page
    owner.post(f"/bookings/{last.number}/lift/", {"version": last.version})
    assert last.events.filter(kind="lift").exists()
    assert BLOCKED not in me.get(f"/bookings/resources/{window.pk}/").content.decode()
    me.post(
        f"/bookings/resources/{window.pk}/",
        {"start": _free(window, after_days=2).key, "purpose": "consult", "slots": 1},
    )
    assert Booking.objects.filter(resource=window).latest("id").status == BookingStatus.CONFIRMED


def test_photo_is_checked_by_its_bytes_and_shown_on_the_page(lab, institution, client_as, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.core import testing

    owner = client_as(institution)
    fake = SimpleUploadedFile("仪器.png", b"not an image at all", "image/png")
    page = owner.post("/instruments/new/", {**FORM, "photo": fake}).content.decode()
    assert "仪器照片：文件内容不是 PDF、JPG 或 PNG（请勿只修改扩展名）" in page
    pdf = SimpleUploadedFile("仪器.pdf", testing.pdf_bytes(), "application/pdf")
    page = owner.post("/instruments/new/", {**FORM, "photo": pdf}).content.decode()
    assert "仪器照片：请上传 JPG 或 PNG 图片" in page
    assert not Instrument.objects.exists()
    png = SimpleUploadedFile("仪器.png", testing.png_bytes(), "image/png")
    owner.post("/instruments/new/", {**FORM, "photo": png})
    instrument = Instrument.objects.get()
    shown = client.get(f"/instruments/{instrument.pk}/").content.decode()
    assert 'data-testid="instrument-photo"' in shown
    picture = client.get(f"/instruments/{instrument.pk}/photo/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"


def test_api_books_an_instrument_with_the_same_rules_and_the_owner_refuses(
    instrument, institution, enterprise, client_as
):
    me = client_as(enterprise)
    detail = me.get(f"/api/v1/instruments/{instrument.pk}").json()
    start = _free(instrument.resource).key
    url = f"/api/v1/resources/{detail['resource']}/book"
    refused = me.post(url, {"start": start, "purpose": "operate"})
    assert refused.status_code == 409 and refused.json()["detail"] == f"事由：{NO_PERMIT}"
    wrong = me.post(url, {"start": start, "purpose": "consult"})
    assert wrong.status_code == 422 and "事由：请选择送样检测、自主上机" in str(wrong.json())
    made = me.post(url, {"start": start, "purpose": "test"})
    assert made.status_code == 201 and made.json()["status_label"] == "待确认"
    number = made.json()["number"]
    owner = client_as(institution)
    empty = owner.post(f"/api/v1/bookings/{number}/refuse", {})
    assert empty.status_code == 422
    done = owner.post(f"/api/v1/bookings/{number}/refuse", {"reason": "仪器校准中"})
    assert done.status_code == 200 and done.json()["status_label"] == "未通过"
    assert me.post(f"/api/v1/bookings/{number}/adjust", {"start": start}).status_code == 403
