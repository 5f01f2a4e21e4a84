"""The demo station has everything a station page shows, so a demo walks through STA-1…5."""

import pytest
from django.core.management import call_command

from qihub.accounts.models import Station, User


@pytest.mark.req("STA-1")
def test_the_demo_station_has_hours_staff_areas_board_and_upkeep(client, client_as, db):
    call_command("seed-demo", stdout=None)
    station = Station.objects.get(name__startswith="【演示】高新区")
    page = client.get(f"/stations/{station.pk}/").content.decode()
    due = client_as(User.objects.get(username="demo_station")).get("/stations/upkeep-due/")

    assert station.get_kind_display() == "乡镇园区"
    for text in [
        "星期三 18:00–20:00（延时错时服务）",
        "自助终端：自助服务终端",
        "首问负责制",
        "12315",
    ]:
        assert text in page, text
    assert station.upkeep.count() == 2
    assert "消防通道与安全出口" in due.content.decode()
    assert "标识标牌" not in due.content.decode()
