"""The station registry (STA-1): type, unified name and mark, services from the catalogue, staff
with a head of operations, functional areas and the WX 4.2.4 notice board; kept by operators on
forms, the board and hours also by the station's own head; shown on a public page and the API."""

import pytest

from conftest import UserFactory
from qihub.accounts.models import Role, Station
from qihub.catalog.models import ServiceItem
from qihub.stations.models import Area, Membership, Period, Profile


def manage(client, station, part: str, prefix: str, **fields):
    data = {"part": part, **{f"{prefix}-{k}": v for k, v in fields.items()}}
    return client.post(f"/ops/stations/{station.pk}/manage/", data)


@pytest.mark.req("STA-1")
def test_an_operator_registers_a_station_and_the_public_sees_it(client_as, client, operator):
    staff = client_as(operator)
    made = staff.post(
        "/ops/stations/new/",
        {
            "name": "滨湖区检验检测服务站",
            "kind": "town",
            "unified_name": "质量基础设施一站式服务站",
            "mark": "质量服务站统一标识",
            "region": ["320000", "320200", "320211"],
            "address": "滨湖区湖滨路 1 号",
            "phone": "0510-12345678",
        },
    )
    station = Station.objects.get(name="滨湖区检验检测服务站")
    worker = UserFactory(
        username="w1", display_name="张工", role=Role.STATION_STAFF, station=station
    )
    item = ServiceItem.objects.order_by("code").first()
    steps = [
        manage(staff, station, "services", "v", services=[item.pk]),
        manage(staff, station, "member", "m", user=worker.pk, full_time="on", is_head="on"),
        manage(
            staff, station, "area", "a", kind="terminal", name="自助服务终端", note="可打印报告"
        ),
        manage(
            staff, station, "period", "p", weekday=5, opens="09:00", closes="12:00", extended="on"
        ),
        manage(
            staff,
            station,
            "board",
            "b",
            organisation="站长一名",
            duties="受理需求",
            rules="首问负责制",
            service_list="检验检测咨询",
            process="登记—受理—办结",
            complaint_phone="12315",
        ),
    ]
    page = client.get(f"/stations/{station.pk}/").content.decode()
    api = client.get(f"/api/v1/stations/{station.pk}").json()
    listing = client.get("/stations/", {"kind": "town"}).content.decode()
    by_region = client.get("/stations/", {"region": ["320000", "320200"]}).content.decode()
    elsewhere = client.get("/stations/", {"region": ["320000", "320400"]}).content.decode()
    api_region = client.get("/api/v1/stations", {"region": "320200"}).json()
    home = client.get("/").content.decode()

    assert made.status_code == 302 and all(s.status_code == 302 for s in steps)
    assert station.kind == "town" and station.region == "320211"
    for text in [
        "乡镇园区",
        "质量基础设施一站式服务站",
        "质量服务站统一标识",
        "0510-12345678",
        "张工",
        "自助终端：自助服务终端",
        "星期六 09:00–12:00（延时错时服务）",
        item.name,
        "首问负责制",
        "12315",
        "无锡市",
    ]:
        assert text in page, text
    assert api["kind"] == "town" and api["head"] == "张工" and api["services"] == [item.code]
    assert api["board"]["complaint_phone"] == "12315" and api["areas"][0]["kind"] == "terminal"
    assert "滨湖区检验检测服务站" in listing and "滨湖区检验检测服务站" in by_region
    assert "滨湖区检验检测服务站" not in elsewhere
    assert [s["name"] for s in api_region] == ["滨湖区检验检测服务站"]
    assert f'href="/stations/{station.pk}/"' in home and 'href="/stations/"' in home


@pytest.mark.req("STA-1")
def test_bad_input_names_the_field_and_saves_nothing(client_as, operator, station, head):
    staff = client_as(operator)
    periods = Period.objects.count()
    late = manage(staff, station, "period", "p", weekday=1, opens="18:00", closes="09:00")
    second_head = UserFactory(username="w2", role=Role.STATION_STAFF, station=station)
    heads = manage(staff, station, "member", "m", user=second_head.pk, is_head="on")
    nameless = staff.post("/ops/stations/new/", {"name": "", "kind": "nonsense"})
    api = staff.post(
        f"/api/v1/stations/{station.pk}/periods", {"weekday": 9, "opens": "x", "closes": "09:00"}
    )

    assert late.status_code == 400 and "结束时间：须晚于开始时间" in late.content.decode()
    assert heads.status_code == 400 and "本站点已有运营负责人" in heads.content.decode()
    assert nameless.status_code == 400
    assert "站点名称：必须填写" in nameless.content.decode()
    assert "站点类型：不是可选的值" in nameless.content.decode()
    assert api.status_code == 422
    assert api.json()["errors"]["weekday"] == ["星期：不是可选的值"]
    assert Period.objects.count() == periods and not Membership.objects.filter(user=second_head)


@pytest.mark.req("STA-1")
def test_the_head_edits_their_own_board_and_hours_only(
    client_as, station, head, station_staff, elsewhere
):
    mine = client_as(head)
    workbench = mine.get("/accounts/workbench/").content.decode()
    own_page = mine.get("/stations/mine/", follow=True).content.decode()
    page = mine.post(
        f"/stations/{station.pk}/board/",
        {"part": "board", "b-complaint_phone": "0510-88888888", "b-rules": "限时办结"},
    )
    hours = mine.post(
        f"/stations/{station.pk}/board/",
        {
            "part": "period",
            "p-weekday": 6,
            "p-opens": "09:00",
            "p-closes": "11:30",
            "p-extended": "on",
        },
    )
    api = mine.post(f"/api/v1/stations/{station.pk}/board", {"complaint_phone": "12345"})
    registry = mine.get(f"/ops/stations/{station.pk}/manage/")
    plain = client_as(station_staff)  # same station, not the head
    refused_page = plain.post(f"/stations/{station.pk}/board/", {"part": "board", "b-rules": "x"})
    refused_api = plain.post(f"/api/v1/stations/{station.pk}/board", {"rules": "x"})
    stranger = client_as(elsewhere)
    hidden_page = stranger.get(f"/stations/{station.pk}/board/")
    hidden_api = stranger.post(f"/api/v1/stations/{station.pk}/board", {"rules": "x"})

    assert "本站点信息与服务时间" in workbench
    assert f'href="/stations/{station.pk}/board/"' in own_page
    assert page.status_code == hours.status_code == 302
    assert api.status_code == 200
    profile = Profile.objects.get(station=station)
    assert profile.complaint_phone == "12345" and profile.rules == "限时办结"
    assert station.periods.filter(weekday=6, extended=True).exists()
    assert registry.status_code == 403
    assert refused_page.status_code == 403 and refused_api.status_code == 403
    assert hidden_page.status_code == 404 and hidden_api.status_code == 404
    assert profile.rules != "x"


@pytest.mark.req("STA-1")
def test_operators_remove_a_period_or_area_after_confirming(client_as, operator, station):
    area = Area.objects.create(station=station, kind="reception", name="接待区")
    staff = client_as(operator)
    form = staff.get(f"/ops/stations/{station.pk}/manage/").content.decode()
    gone = staff.post(f"/ops/stations/{station.pk}/manage/", {"part": "remove-area", "id": area.pk})

    assert 'data-confirm="确定移除该功能区吗？"' in form
    assert gone.status_code == 302 and not Area.objects.filter(pk=area.pk).exists()
