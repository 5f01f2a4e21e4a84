"""A station's area is picked in the region picker in the back office and shown by name
(issue 15)."""

import pytest

from qihub.accounts.models import Station


@pytest.mark.req("STA-1")
def test_the_admin_picks_a_stations_region_and_sees_its_name(client_as, admin):
    browser = client_as(admin)
    form = browser.get("/admin/accounts/station/add/").content.decode()
    assert "data-region-picker" in form and "请选择城市" in form

    province_only = browser.post(
        "/admin/accounts/station/add/", {"name": "新区服务站", "region": ["320000"], "active": "on"}
    )
    assert "所在地区：请选择城市" in province_only.content.decode()
    assert not Station.objects.filter(name="新区服务站").exists()

    saved = browser.post(
        "/admin/accounts/station/add/",
        {"name": "新区服务站", "region": ["320000", "320200", ""], "active": "on"},
    )
    assert saved.status_code == 302
    assert Station.objects.get(name="新区服务站").region == "320200"
    listing = browser.get("/admin/accounts/station/").content.decode()
    assert "江苏省无锡市" in listing and ">320200<" not in listing
