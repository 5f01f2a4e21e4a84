"""Open resources through the pages and the API (INS-2): an institution registers a lab, sets
its hours and policy, the public finds it on 资源开放 and a client rents hours on the slot grid;
research results and standards information are published, searched and taken down; bad input
gets field-named Chinese errors and saves nothing."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages

from qihub.bookings.models import Booking, BookingStatus, Purpose, Resource, ResourceKind
from qihub.core import testing
from qihub.opening import services
from qihub.opening.models import Laboratory, OpenResult
from qihub.workcal.calendar import TZ

# A Monday early in the morning: the week's slots lie ahead whatever day the suite runs.
MONDAY = dt.datetime(2026, 12, 7, 7, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _on_a_monday_morning():
    """The whole test (log-in sessions included) runs on that Monday, so slots are ahead."""
    with time_machine.travel(MONDAY, tick=True):
        yield


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _lab(org, **fields) -> Laboratory:
    values = {
        "name": "材料力学开放实验室",
        "area": Decimal("120"),
        "equipped_for": "万能材料试验机、冲击试验机，适合金属材料力学性能测试",
        "capacity": 8,
        "free": True,
        **fields,
    }
    return services.create_lab(org, Laboratory(**values))


LAB_FORM = {
    "name": "电磁兼容开放实验室",
    "area": "85.5",
    "equipped_for": "三米法半电波暗室，传导骚扰与静电放电测试",
    "capacity": "6",
    "price_per_hour": "300",
    "rules": "使用前须参加安全培训",
    "listed": "on",
}


@pytest.mark.req("INS-2")
def test_institution_opens_a_lab_and_a_client_rents_two_hours(client_as, enterprise):
    org = testing.institution("滨湖计量检测所")
    owner = client_as(org.account)
    made = owner.post("/open/mine/labs/new/", LAB_FORM)
    lab = Laboratory.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"/bookings/resources/{lab.resource_id}/policy/"
    assert lab.resource.kind == ResourceKind.LAB and lab.resource.organisation == org
    # The owner sets the policy: hour slots, up to three in a row, Monday to Friday 9–12.
    hours = {f"d{day}_0_opens": "09:00" for day in range(5)} | {
        f"d{day}_0_closes": "12:00" for day in range(5)
    }
    saved = owner.post(
        f"/bookings/resources/{lab.resource_id}/policy/",
        {
            "slot_minutes": 60,
            "min_slots": 1,
            "max_slots": 3,
            "horizon_days": 14,
            "max_future": 3,
            "gap_minutes": 0,
            "per_day": 1,
            **hours,
        },
        follow=True,
    )
    assert "预约规则已保存" in _messages(saved)
    resource = Resource.objects.get(pk=lab.resource_id)
    assert (resource.slot_minutes, resource.max_slots) == (60, 3)
    assert resource.hours.count() == 5

    # The public finds it on the hub and in the list, paid, with its hourly price.
    hub = client_as(None).get("/open/").content.decode()
    assert "电磁兼容开放实验室" in hub and "¥300.00/小时" in hub
    listed = client_as(None).get("/open/labs/?q=暗室&terms=paid").content.decode()
    assert "电磁兼容开放实验室" in listed
    assert (
        "电磁兼容开放实验室" not in client_as(None).get("/open/labs/?terms=free").content.decode()
    )

    me = client_as(enterprise)
    grid = me.get(f"/bookings/resources/{lab.resource_id}/").content.decode()
    assert "使用实验室" in grid and "连续时段数" in grid
    done = me.post(
        f"/bookings/resources/{lab.resource_id}/",
        {"start": "2026-12-08 09:00", "slots": 2, "purpose": Purpose.RENT},
        follow=True,
    )
    assert "预约已提交" in _messages(done)
    booking = Booking.objects.get()
    assert booking.resource_id == lab.resource_id and booking.purpose == Purpose.RENT
    assert booking.end - booking.start == dt.timedelta(hours=2)
    assert booking.status == BookingStatus.CONFIRMED

    # The owner sees it in the lab's day view and on the workbench card.
    day = owner.get(f"/bookings/resources/{lab.resource_id}/day/?date=2026-12-08")
    assert booking.number in day.content.decode()
    bench = owner.get("/accounts/workbench/").content.decode()
    assert "开放实验室" in bench and "待接待 1" in bench


@pytest.mark.req("INS-2")
def test_a_lab_is_not_booked_for_a_consultation_nor_over_its_block(client_as, enterprise):
    org = testing.institution("滨湖计量检测所")
    lab = _lab(org)
    me = client_as(enterprise)
    wrong = me.post(
        f"/bookings/resources/{lab.resource_id}/",
        {"start": "2026-12-08 09:00", "purpose": Purpose.CONSULT},
        follow=True,
    )
    assert "事由：请选择使用实验室" in _messages(wrong)
    long = me.post(
        f"/bookings/resources/{lab.resource_id}/",
        {"start": "2026-12-08 09:00", "slots": 5, "purpose": Purpose.RENT},
        follow=True,
    )
    assert "时段数：须在 1 至 4 之间" in _messages(long)
    assert not Booking.objects.exists()


@pytest.mark.req("INS-2")
def test_lab_form_names_the_field_and_saves_nothing(client_as):
    org = testing.institution("滨湖计量检测所")
    owner = client_as(org.account)
    no_price = owner.post("/open/mine/labs/new/", {**LAB_FORM, "price_per_hour": ""})
    assert no_price.status_code == 400
    assert "每小时价格（元）：有偿开放须填写每小时价格" in no_price.content.decode()
    tiny = owner.post("/open/mine/labs/new/", {**LAB_FORM, "area": "0", "capacity": "abc"})
    page = tiny.content.decode()
    assert "面积（平方米）：应在 1 至 100000 之间" in page and "可容纳人数：格式不正确" in page
    assert not Laboratory.objects.exists() and not Resource.objects.exists()


@pytest.mark.req("INS-2")
def test_policy_page_refuses_bad_values_by_name_and_keeps_the_old_policy(
    client_as, other_institution
):
    org = testing.institution("滨湖计量检测所")
    lab = _lab(org)
    owner = client_as(org.account)
    url = f"/bookings/resources/{lab.resource_id}/policy/"
    base = {
        "slot_minutes": 60,
        "min_slots": 3,
        "max_slots": 2,
        "horizon_days": 14,
        "max_future": 3,
        "gap_minutes": 0,
        "per_day": 1,
        "d0_0_opens": "09:00",
        "d0_0_closes": "12:00",
        "d0_1_opens": "11:00",
        "d0_1_closes": "15:00",
        "d1_0_opens": "14:00",
        "d1_0_closes": "10:00",
        "d2_0_opens": "09:00",
    }
    refused = owner.post(url, base)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "最少连续时段：不能多于最多连续时段" in page
    assert "星期一：两个时段相互重叠，请调整" in page
    assert "星期二第1段：结束时间须晚于开始时间" in page
    assert "星期三第1段：开始和结束时间都要填写" in page
    zero = owner.post(url, {**base, "min_slots": 1, "slot_minutes": 0}).content.decode()
    assert "时段长度（分钟）：不能小于 10" in zero
    resource = Resource.objects.get(pk=lab.resource_id)
    assert (resource.min_slots, resource.max_slots, resource.slot_minutes) == (1, 4, 60)
    assert resource.hours.count() == 10  # the default hours, untouched
    # The page is the owner's alone; the day view links to it.
    assert client_as(other_institution).get(url).status_code == 404
    day = owner.get(f"/bookings/resources/{lab.resource_id}/day/").content.decode()
    assert 'data-testid="policy-link"' in day


@pytest.mark.req("ORD-3")
def test_station_staff_set_their_window_policy_without_hours(client_as, station_staff):
    from qihub.bookings.services import station_window

    window = station_window(station_staff.station)
    staff = client_as(station_staff)
    url = f"/bookings/resources/{window.pk}/policy/"
    page = staff.get(url).content.decode()
    assert "本站点信息与服务时间" in page and 'name="d0_0_opens"' not in page
    staff.post(
        url,
        {
            "slot_minutes": 20,
            "min_slots": 1,
            "max_slots": 2,
            "horizon_days": 7,
            "max_future": 2,
            "gap_minutes": 5,
            "per_day": 1,
            "needs_approval": "on",
        },
    )
    window.refresh_from_db()
    assert (window.slot_minutes, window.gap_minutes, window.needs_approval) == (20, 5, True)


@pytest.mark.req("INS-2")
def test_results_are_published_found_and_taken_down(client_as, operator, other_institution):
    org = testing.institution("滨湖计量检测所")
    owner = client_as(org.account)
    made = owner.post(
        "/open/mine/results/new/",
        {
            "kind": "standard",
            "title": "压力表检定规程解读",
            "field": "计量",
            "contact_name": "王工",
            "contact_phone": "0510-85550000",
            "terms": "free",
            "summary": "对 JJG 52-2013 弹性元件式一般压力表的检定要点作出说明。",
            "published": "on",
        },
    )
    assert made.status_code == 302
    entry = OpenResult.objects.get()
    assert entry.organisation == org and entry.created_by == org.account
    public = client_as(None)
    assert "压力表检定规程解读" in public.get("/open/").content.decode()
    found = public.get("/open/results/?kind=standard&q=检定 压力表").content.decode()
    assert "压力表检定规程解读" in found and "公益免费" in found
    assert "压力表检定规程解读" not in public.get("/open/results/?kind=research").content.decode()
    detail = public.get(f"/open/results/{entry.pk}/").content.decode()
    assert "0510-85550000" in detail and "（公益服务，不收费）" in detail

    # Another institution may not take it down; the operator may.
    assert client_as(other_institution).post(
        f"/open/mine/results/{entry.pk}/toggle/"
    ).status_code in (
        403,
        404,
    )
    client_as(operator).post(f"/open/mine/results/{entry.pk}/toggle/")
    entry.refresh_from_db()
    assert not entry.published
    assert "压力表检定规程解读" not in public.get("/open/results/").content.decode()
    assert public.get(f"/open/results/{entry.pk}/").status_code == 404
    assert public.get("/api/v1/open/results").json()["count"] == 0


@pytest.mark.req("INS-2")
def test_result_form_names_the_field(client_as):
    org = testing.institution("滨湖计量检测所")
    refused = client_as(org.account).post(
        "/open/mine/results/new/",
        {"kind": "patent", "title": "", "contact_phone": "abc", "terms": ""},
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    for message in ("类别：请从可选项中选择", "名称：必须填写", "联系电话：", "使用条件：请选择"):
        assert message in page
    assert not OpenResult.objects.exists()


@pytest.mark.req("INS-2")
def test_api_lists_open_labs_and_results_with_filters(client_as):
    org = testing.institution("滨湖计量检测所")
    _lab(org)
    _lab(org, name="化学分析实验室", free=False, price_per_hour=Decimal("150"))
    _lab(org, name="未开放的实验室", listed=False)
    OpenResult.objects.create(
        kind="research",
        title="新型压力传感器校准方法",
        field="计量",
        organisation=org,
        contact_name="李工",
        contact_phone="13800000000",
        terms="paid",
        summary="一种快速校准方法",
        created_by=org.account,
    )
    api = client_as(None)
    labs = api.get("/api/v1/open/labs").json()
    assert labs["count"] == 2
    free = api.get("/api/v1/open/labs?terms=free").json()["results"]
    assert [lab["name"] for lab in free] == ["材料力学开放实验室"]
    assert free[0]["price_label"] == "公益免费"
    bad = api.get("/api/v1/open/labs?terms=cheap")
    assert bad.status_code == 422 and "收费" in str(bad.json())
    research = api.get("/api/v1/open/results?kind=research").json()["results"]
    assert research[0]["title"] == "新型压力传感器校准方法"
    assert research[0]["terms_label"] == "有偿使用" and research[0]["organisation"] == org.name
    # The page list answers bad filter input with a message, not a 500.
    assert api.get("/open/labs/?terms=cheap").status_code == 200


@pytest.mark.req("INS-2")
def test_open_pages_answer_in_chinese_for_each_role(client_as, enterprise, operator):
    import re

    from qihub.core.tests.test_no_english_leaks import page_text

    org = testing.institution("滨湖计量检测所")
    lab = _lab(org, free=False, price_per_hour=Decimal("120"))
    entry = OpenResult.objects.create(
        kind="standard",
        title="压力表检定规程要点解读",
        field="计量",
        organisation=org,
        contact_name="王工",
        contact_phone="0510-85550000",
        terms="free",
        summary="对 JJG 52-2013 的检定要点作出说明",
        created_by=org.account,
    )
    public = ["/open/", "/open/labs/", f"/open/labs/{lab.pk}/", "/open/results/"]
    public += [f"/open/results/{entry.pk}/", f"/bookings/resources/{lab.resource_id}/"]
    owner = ["/open/mine/labs/", "/open/mine/labs/new/", f"/open/mine/labs/{lab.pk}/"]
    owner += ["/open/mine/results/", "/open/mine/results/new/", f"/open/mine/results/{entry.pk}/"]
    owner += [f"/bookings/resources/{lab.resource_id}/policy/"]
    latin = re.compile(r"[A-Za-z][A-Za-z0-9]+")
    for user, urls in [
        (None, public),
        (enterprise, public),
        (org.account, public + owner),
        (operator, ["/open/mine/results/", "/open/mine/results/new/"]),
    ]:
        client = client_as(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            # The test persona's own name (its log-in name) shows in the navigation.
            allowed = {"JJG", getattr(user, "username", "")}
            words = set(latin.findall(page_text(response.content.decode()))) - allowed
            assert not words, (url, words)


@pytest.mark.req("INS-2")
def test_demo_data_opens_two_labs_and_a_few_results(client_as):
    from qihub.core.demo import load_demo_data

    load_demo_data()
    hub = client_as(None).get("/open/").content.decode()
    assert "【演示】力学性能开放实验室" in hub and "【演示】电磁兼容开放实验室" in hub
    assert "【演示】压力表检定规程要点解读" in hub and "【演示】电子产品电磁兼容整改指南" in hub
    assert Laboratory.objects.filter(listed=True).count() == 2
    load_demo_data()  # a second run adds nothing
    assert OpenResult.objects.count() == 3
