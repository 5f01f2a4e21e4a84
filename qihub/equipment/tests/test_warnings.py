"""Reminders of the one schedule engine: the instrument levels (ENT-1) and the three escalating
levels of special equipment (ENT-2), each shown with frozen time."""

import datetime as dt

import pytest
import time_machine

from qihub.accounts.models import Role, Station
from qihub.core.testing import VerifiedUserFactory
from qihub.equipment.models import Item
from qihub.equipment.tasks import warn_equipment_daily
from qihub.notifications.models import Notification

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 6, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), CST)


def sweep_on(day: str) -> None:
    with time_machine.travel(at(day), tick=False):
        warn_equipment_daily.call_local()


def inbox(client, user) -> str:
    return client(user).get("/inbox/").content.decode()


def subjects(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, channel="inbox")
        .order_by("id")
        .values_list("subject", flat=True)
    )


@pytest.fixture
def instrument(client_as, company):
    with time_machine.travel(at("2026-06-01", 10), tick=False):
        client_as(company).post(
            "/equipment/instruments/new/",
            {
                "name": "压力表",
                "serial": "YB-9",
                "compulsory": "on",
                "kind": "verification",
                "cycle_months": "6",
                "due_on": "2026-07-31",
                "levels": "30,15,0",
            },
        )
    return Item.objects.get()


@pytest.mark.req("ENT-1")
def test_instrument_reminders_at_30_and_15_days_and_on_the_day_each_once(
    client_as, company, instrument
):
    sweep_on("2026-06-30")  # 31 days before: nothing yet
    nothing = subjects(company)
    sweep_on("2026-07-01")  # 30 days
    sweep_on("2026-07-01")  # the same day again: nothing new
    sweep_on("2026-07-16")  # 15 days: compulsory → apply now
    sweep_on("2026-07-31")  # the day itself
    sweep_on("2026-08-01")  # after the last level: nothing new
    page = inbox(client_as, company)
    sms = Notification.objects.filter(recipient=company, channel="sms").order_by("id")

    assert nothing == []
    assert subjects(company) == [
        "计量器具检定提醒：压力表（YB-9）将于 2026-07-31 到期（还有 30 天）",
        "计量器具检定提醒：压力表（YB-9）将于 2026-07-31 到期（还有 15 天）",
        "计量器具检定提醒：压力表（YB-9）今天到期",
    ]
    assert "请立即申请检定" in page
    # Text messages wait for working hours (08:00), as every other reminder does.
    assert sms[0].send_after.astimezone(CST) == at("2026-07-01", 8, 0)


@pytest.mark.req("ENT-1")
def test_a_missed_day_sends_only_the_most_urgent_level_reached(client_as, company, instrument):
    sweep_on("2026-07-20")  # 11 days left: the 30 and 15 levels both passed unseen

    assert subjects(company) == [
        "计量器具检定提醒：压力表（YB-9）将于 2026-07-31 到期（还有 11 天）"
    ]
    assert "请立即申请检定" in inbox(client_as, company)


@pytest.mark.req("ENT-1")
def test_changed_levels_apply_and_an_out_of_service_instrument_is_not_reminded(
    client_as, company, instrument
):
    web = client_as(company)
    schedule = instrument.schedules.get()
    with time_machine.travel(at("2026-06-01", 10), tick=False):
        refused = web.post(
            f"/equipment/{instrument.pk}/schedules/{schedule.pk}/levels/",
            {"levels": "四十"},
            follow=True,
        )
        web.post(f"/equipment/{instrument.pk}/schedules/{schedule.pk}/levels/", {"levels": "45"})
    sweep_on("2026-06-16")  # 45 days before
    with time_machine.travel(at("2026-06-20", 10), tick=False):
        web.post(f"/equipment/{instrument.pk}/service/")
    schedule.refresh_from_db()

    assert "提醒（到期前天数）：请填写到期前的天数" in refused.content.decode()
    assert schedule.levels == [45]
    assert len(subjects(company)) == 1


@pytest.fixture
def boiler(client_as, company):
    with time_machine.travel(at("2026-05-01", 10), tick=False):
        answer = client_as(company).post(
            "/equipment/special/new/",
            {
                "kind": "boiler",
                "name": "燃气锅炉",
                "registration_no": "11103202112026000001",
                "use_certificate_no": "锅苏B00001",
                "keeper": "赵师傅",
                "location": "锅炉房",
                "cycle_months": "12",
                "due_on": "2026-08-31",
                "levels": "60,30,7",
            },
        )
    assert answer.status_code == 302, answer.content.decode()
    return Item.objects.get()


@pytest.fixture
def wuxi_staff(db):
    station = Station.objects.get_or_create(name="无锡市服务站", region="320200")[0]
    return VerifiedUserFactory(role=Role.STATION_STAFF, username="wx_staff", station=station)


@pytest.fixture
def far_staff(db):
    station = Station.objects.get_or_create(name="南京市服务站", region="320100")[0]
    return VerifiedUserFactory(role=Role.STATION_STAFF, username="nj_staff", station=station)


@pytest.mark.req("ENT-2")
def test_three_level_warning_escalates_keeper_head_station(
    client_as, company, boiler, wuxi_staff, far_staff
):
    def channels() -> set[str]:
        return set(Notification.objects.filter(recipient=company).values_list("channel", flat=True))

    sweep_on("2026-07-01")  # 61 days before: nothing
    before = subjects(company)

    sweep_on("2026-07-02")  # level 1 (60 days): the keeper, in the enterprise's inbox only
    level1 = subjects(company)[-1]
    level1_channels = channels()

    sweep_on("2026-08-01")  # level 2 (30 days): the head too, by text message
    level2 = subjects(company)[-1]
    level2_channels = channels()
    staff_before_level3 = subjects(wuxi_staff)

    sweep_on("2026-08-24")  # level 3 (7 days): the station of the enterprise's region too
    sweep_on("2026-08-24")
    level3 = subjects(company)[-1]
    page = client_as(company).get(f"/equipment/{boiler.pk}/").content.decode()

    assert before == []
    assert level1.startswith("特种设备定期检验一级预警：燃气锅炉") and level1_channels == {"inbox"}
    assert level2.startswith("特种设备定期检验二级预警") and level2_channels == {"inbox", "sms"}
    assert staff_before_level3 == []
    assert level3.startswith("特种设备定期检验三级预警")
    assert subjects(wuxi_staff) == [level3]
    assert subjects(far_staff) == []
    assert len(subjects(company)) == 3
    assert "保管人 赵师傅" in inbox(client_as, company)
    assert "3 级预警，到期前 7 天" in page and "1 级预警，到期前 60 天" in page


@pytest.mark.req("ENT-2")
def test_special_equipment_ledger_and_inspection_record_restart_the_levels(
    client_as, company, boiler
):
    import io

    from qihub.core.testing import pdf_bytes

    web = client_as(company)
    sweep_on("2026-07-02")
    report = io.BytesIO(pdf_bytes())
    report.name = "检验报告.pdf"
    with time_machine.travel(at("2026-07-10", 10), tick=False):
        web.post(
            f"/equipment/{boiler.pk}/certificates/",
            {
                "schedule": boiler.schedules.get().pk,
                "done_on": "2026-07-09",
                "number": "TJ-1",
                "file": report,
            },
        )
        ledger = web.get("/equipment/special/").content.decode()
        listed = web.get("/api/v1/equipment?special=true&kind=boiler").json()["items"]
        shown = web.get(f"/api/v1/equipment/{boiler.pk}").json()
        bad = web.post("/equipment/special/new/", {"kind": "rocket", "name": ""})
    schedule = boiler.schedules.get()
    sweep_on("2027-05-10")  # 60 days before the new due date 2027-07-09

    assert schedule.due_on == dt.date(2027, 7, 9) and schedule.warned_days is None
    assert "燃气锅炉" in ledger and "11103202112026000001" in ledger
    assert [i["registration_no"] for i in listed] == ["11103202112026000001"]
    assert listed[0]["status"] == "有效" and listed[0]["kind_label"] == "锅炉"
    assert shown["schedules"][0]["levels"] == [60, 30, 7]
    assert shown["schedules"][0]["certificates"][0]["number"] == "TJ-1"
    assert (
        bad.status_code == 400 and "请从列表中选择" not in "" and "必须填写" in bad.content.decode()
    )
    assert (
        subjects(company)[-1].startswith("特种设备定期检验一级预警") and len(subjects(company)) == 2
    )
