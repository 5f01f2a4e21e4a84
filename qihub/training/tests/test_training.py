"""Trainings and events (TRN-1) and staff records (TRN-2), through the pages and the API."""

import datetime as dt

import pytest
import time_machine

from qihub.notifications.models import Notification
from qihub.training.models import Enrolment, TrainingEvent, TrainingRecord
from qihub.workcal.calendar import TZ

NOW = dt.datetime(2026, 7, 1, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _text(response) -> str:
    return response.content.decode()


def _publish(client, **fields) -> TrainingEvent:
    data = {
        "kind": "training",
        "topic": "计量器具检定规程解读",
        "field": "metrology",
        "description": "面向企业计量人员",
        "hours": "8",
        "starts_at": "2026-07-10T09:00",
        "place": "滨湖区服务站三楼会议室",
        "capacity": "1",
        "fee": "0",
        "enrol_by": "2026-07-09T17:00",
        **fields,
    }
    response = client.post("/training/events/new/", data)
    assert response.status_code == 302, _text(response)
    return TrainingEvent.objects.get(topic=data["topic"])


def _enrol(client, event: TrainingEvent) -> Enrolment:
    response = client.post(f"/training/events/{event.number}/enrol/")
    assert response.status_code == 302
    return Enrolment.objects.filter(event=event).order_by("-pk").first()


@pytest.mark.req("TRN-1")
def test_public_list_searches_and_event_form_names_bad_fields(
    client_as, operator, institution, enterprise
):
    _publish(client_as(operator))
    _publish(client_as(institution), topic="检验检测机构资质认定评审准则", field="testing")

    found = _text(client_as(None).get("/training/?q=检定"))
    refused = client_as(enterprise).post("/training/events/new/", {"topic": "x"})
    bad = client_as(operator).post(
        "/training/events/new/",
        {"kind": "seminar", "topic": "", "field": "ip", "hours": "0", "capacity": "0"},
    )

    assert "计量器具检定规程解读" in found and "资质认定评审准则" not in found
    assert refused.status_code == 403
    page = _text(bad)
    assert bad.status_code == 400
    assert "主题：必须填写" in page and "学时：须大于 0" in page and "名额：至少 1 人" in page
    assert "开始时间：必须填写" in page
    assert TrainingEvent.objects.count() == 2


@pytest.mark.req("TRN-1")
def test_full_event_puts_the_next_on_the_waiting_list_and_a_cancellation_promotes_him(
    client_as, operator, enterprise, other_enterprise, individual
):
    event = _publish(client_as(operator))
    first = _enrol(client_as(enterprise), event)
    waiter = _enrol(client_as(other_enterprise), event)
    second_waiter = _enrol(client_as(individual), event)

    assert (first.status, waiter.status, second_waiter.status) == (
        "enrolled",
        "waiting",
        "waiting",
    )
    assert "候补" in _text(client_as(other_enterprise).get(f"/training/enrolments/{waiter.code}/"))

    page = client_as(enterprise).get(f"/training/enrolments/{first.code}/")
    assert 'data-confirm="' in _text(page)
    cancelled = client_as(enterprise).post(
        f"/training/enrolments/{first.code}/cancel/", {"version": first.version}, follow=True
    )

    assert "已取消报名" in _text(cancelled)
    waiter.refresh_from_db()
    second_waiter.refresh_from_db()
    assert waiter.status == "enrolled" and second_waiter.status == "waiting"
    assert Notification.objects.filter(
        recipient=other_enterprise, subject__startswith="候补转正"
    ).exists()
    # The stranger's enrolment is not theirs to cancel (404: they may not know of it).
    assert (
        client_as(individual)
        .post(f"/api/v1/training/enrolments/{waiter.code}/cancel", {})
        .status_code
        == 404
    )


@pytest.mark.req("TRN-1")
def test_qr_check_in_attendance_certificate_and_hours(
    client_as, institution, enterprise, other_enterprise, frozen
):
    event = _publish(client_as(institution), capacity="5")
    mine = _enrol(client_as(enterprise), event)
    other = _enrol(client_as(other_enterprise), event)

    own_page = _text(client_as(enterprise).get(f"/training/enrolments/{mine.code}/"))
    assert 'src="data:image/svg+xml;base64,' in own_page and mine.code in own_page
    # The participant cannot check themselves in.
    self_check = client_as(enterprise).post(f"/api/v1/training/enrolments/{mine.code}/check-in", {})
    assert self_check.status_code == 403

    frozen.move_to(dt.datetime(2026, 7, 10, 8, 50, tzinfo=TZ))
    organiser = client_as(institution)
    scanned = organiser.get(f"/training/scan/{mine.code}/")  # what the QR opens
    assert enterprise.party_name in _text(scanned)
    organiser.post(f"/training/enrolments/{mine.code}/check-in/", {"version": mine.version})
    typed = organiser.post(
        f"/training/events/{event.number}/check-in/", {"code": f" {other.code} "}, follow=True
    )
    wrong = organiser.post(
        f"/training/events/{event.number}/check-in/", {"code": "00000000"}, follow=True
    )
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == "checked_in" and other.status == "checked_in"
    assert "已签到" in _text(typed)
    assert "签到码：本活动没有该签到码的报名" in _text(wrong)

    organiser.post(f"/training/enrolments/{mine.code}/attend/", {"result": "passed"})
    answer = organiser.post(f"/api/v1/training/enrolments/{other.code}/attend", {"result": ""})
    assert answer.status_code == 422

    certificate = client_as(enterprise).get(f"/training/enrolments/{mine.code}/certificate/")
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")
    assert (
        "参训证明" in certificate["Content-Disposition"]
        or "%E5%8F%82" in (certificate["Content-Disposition"])
    )
    assert "8.0 学时" in _text(client_as(enterprise).get("/training/mine/"))
    assert client_as(enterprise).get("/api/v1/training/me").json()["hours"] == "8.0"
    # No certificate before attendance.
    early = client_as(other_enterprise).get(f"/training/enrolments/{other.code}/certificate/")
    assert early.status_code == 302

    evaluated = client_as(enterprise).post(
        f"/training/enrolments/{mine.code}/evaluate/", {"rating": "5", "comment": "很实用"}
    )
    assert evaluated.status_code == 302
    mine.refresh_from_db()
    assert mine.rating == 5


@pytest.mark.req("TRN-1")
def test_enrolment_through_the_api_and_the_reminder_the_day_before(
    client_as, operator, enterprise, frozen
):
    from qihub.training.tasks import training_daily

    event = _publish(client_as(operator))
    answer = client_as(enterprise).post(f"/api/v1/training/events/{event.number}/enrol", {})
    again = client_as(enterprise).post(f"/api/v1/training/events/{event.number}/enrol", {})
    listed = client_as(None).get("/api/v1/training/events").json()

    assert answer.status_code == 201 and answer.json()["status_label"] == "已报名"
    assert again.status_code == 409
    assert listed[0]["left"] == 0 and listed[0]["fee_label"] == "免费"

    frozen.move_to(dt.datetime(2026, 7, 9, 7, 10, tzinfo=TZ))
    training_daily.call_local()
    training_daily.call_local()  # once only

    reminders = Notification.objects.filter(recipient=enterprise, subject__startswith="明天参加")
    assert reminders.count() == 1
    assert reminders.get().subject.endswith(event.topic)
    frozen.move_to(dt.datetime(2026, 7, 9, 18, 0, tzinfo=TZ))
    late = client_as(None).get(f"/training/events/{event.number}/")
    assert "报名已截止" in _text(late)


@pytest.mark.req("TRN-2")
def test_full_time_staff_below_pace_are_warned_and_their_head_is_told(
    client_as, station_staff, operator
):
    from conftest import UserFactory
    from qihub.stations.models import Membership
    from qihub.training.tasks import training_daily

    head = UserFactory(username="head", role="station_staff", station=station_staff.station)
    Membership.objects.create(
        station=station_staff.station, user=head, is_head=True, full_time=False
    )
    Membership.objects.create(station=station_staff.station, user=station_staff, full_time=True)

    recorded = client_as(station_staff).post(
        "/training/staff/me/outside/",
        {"held_on": "2026-05-06", "topic": "窗口服务规范", "organiser": "市局", "hours": "12"},
        follow=True,
    )
    bad = client_as(station_staff).post(
        "/training/staff/me/outside/",
        {"held_on": "2026-08-01", "topic": "x", "organiser": "y", "hours": "-1"},
        follow=True,
    )
    page = _text(client_as(station_staff).get("/training/staff/me/"))
    training_daily.call_local()

    assert "外部培训已登记" in _text(recorded)
    assert "培训日期：不能晚于今天" in _text(bad) and "学时：须大于 0" in _text(bad)
    assert TrainingRecord.objects.filter(person=station_staff).count() == 1
    # 1 July: 182 of 365 days → 34.9 of 70 hours; 12 is behind.
    assert "12.0" in page and "34.9" in page and 'data-testid="behind-pace"' in page
    assert Notification.objects.filter(recipient=station_staff, subject="培训学时落后于进度")
    told = Notification.objects.get(recipient=head)
    assert station_staff.shown_name in told.subject
    # The head is part-time: told about the staff member, never warned about themselves.
    assert not Notification.objects.filter(recipient=head, subject="培训学时落后于进度")
    overview = _text(client_as(operator).get("/training/staff/"))
    assert "落后于进度" in overview


@pytest.mark.req("TRN-2")
def test_qualifications_with_validity_and_expiring_ones_warned(client_as, station_staff):
    from qihub.training.tasks import training_daily

    client_as(station_staff).post(
        "/training/staff/me/qualifications/",
        {
            "name": "计量检定员证",
            "number": "JD-2021-0031",
            "issuer": "江苏省市场监督管理局",
            "valid_from": "2021-08-01",
            "valid_until": "2026-08-01",
        },
    )
    bad = client_as(station_staff).post(
        "/training/staff/me/qualifications/",
        {"name": "", "valid_from": "2026-01-01", "valid_until": "2025-01-01"},
        follow=True,
    )
    page = _text(client_as(station_staff).get("/training/staff/me/"))
    training_daily.call_local()

    assert 'data-testid="expiring"' in page and "计量检定员证" in page
    assert "资质名称：必须填写" in _text(bad) and "有效期至：不能早于取得日期" in _text(bad)
    assert Notification.objects.filter(
        recipient=station_staff, subject="资质即将到期：计量检定员证"
    ).exists()


@pytest.mark.req("TRN-2")
def test_pledge_is_versioned_and_without_a_valid_one_enterprise_records_stay_closed(
    client_as, operator, station_staff, enterprise
):
    from qihub.biomed.models import ProductArchive

    archive = ProductArchive.objects.create(
        number="CP-2026-000001",
        enterprise=enterprise,
        name="一次性使用无菌注射器",
        product_class="device_2",
        route="registration",
        stage="design",
    )
    url = f"/biomed/archives/{archive.number}/"
    staff = client_as(station_staff)
    assert staff.get(url).status_code == 403  # no pledge published, none signed
    assert client_as(enterprise).get(url).status_code == 200  # its own records: no pledge

    client_as(operator).post("/training/pledges/", {"text": "一、不泄露企业的商业秘密。"})
    page = _text(staff.get("/training/staff/me/"))
    assert 'data-testid="pledge-unsigned"' in page and "data-confirm=" in page
    staff.post("/training/pledges/sign/")
    assert staff.get(url).status_code == 200
    assert staff.get("/api/v1/training/me").json()["valid_pledge"] is True

    client_as(operator).post("/training/pledges/", {"text": "一、不泄露。二、不复制。"})
    refused = staff.get(url)
    assert refused.status_code == 403 and "保密承诺书" in _text(refused)
    assert client_as(station_staff).post("/training/pledges/", {"text": "自拟"}).status_code == 403
    empty = client_as(operator).post("/training/pledges/", {"text": ""})
    assert "承诺书正文：必须填写" in _text(empty)
