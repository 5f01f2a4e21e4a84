"""The demand form asks for the region with the picker and pages show its name (issue 14)."""

import pytest

from qihub.core import testing
from qihub.demands.models import Demand
from qihub.demands.tests.test_demands import PIPE, publish

PICKED = {**PIPE, "region": ["320000", "320200", "320214"]}  # as the three selects post it


@pytest.mark.req("DEM-1")
def test_a_county_picked_in_the_picker_is_kept_and_shown_by_name(client_as, company, operator):
    response = publish(client_as(company), PICKED)

    demand = Demand.objects.get()
    assert response.status_code == 302 and demand.region == "320214"
    for user in (company, operator):
        page = client_as(user).get(f"/demands/{demand.number}/").content.decode()
        assert "江苏省无锡市新吴区" in page and "320214" not in page
    queue = client_as(operator).get("/ops/demands/").content.decode()
    assert "江苏省无锡市新吴区" in queue and "320214" not in queue


@pytest.mark.req("DEM-1")
@pytest.mark.parametrize(
    ("region", "message"),
    [
        ([], "所在地区：必须填写"),
        (["320000", "", ""], "所在地区：请选择城市"),
        (["320000", "320200", ""], "所在地区：请选择区县"),
        (["329999"], "所在地区：没有这个行政区划，请从列表中选择"),
    ],
)
def test_a_missing_or_unknown_region_is_refused_naming_the_field(
    client_as, company, region, message
):
    response = publish(client_as(company), {**PIPE, "region": region})

    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert not Demand.objects.exists()


@pytest.mark.req("DEM-1")
def test_without_javascript_the_next_level_is_listed_after_each_submit(client_as, company):
    page = client_as(company).get("/demands/new/").content.decode()
    assert "请选择省份" in page and "---------" not in page
    # The client's own region (滨湖区) is offered, every level listed and chosen.
    for option in ("320000" + '" selected>江苏省', "320200" + '" selected>无锡市', "320211"):
        assert f'<option value="{option}' in page

    page = publish(client_as(company), {**PIPE, "region": ["320000", "", ""]}).content.decode()
    assert '<option value="320200">无锡市</option>' in page  # the cities of the province

    page = publish(client_as(company), {**PIPE, "region": ["320000", "320200", ""]})
    assert '<option value="320214">新吴区</option>' in page.content.decode()


@pytest.mark.req("DEM-1")
def test_a_county_left_from_another_province_is_not_taken(client_as, company):
    response = publish(client_as(company), {**PIPE, "region": ["330000", "320200", "320214"]})

    assert response.status_code == 400 and "所在地区：请选择城市" in response.content.decode()


def test_the_api_still_takes_and_returns_the_code(client_as, company):
    response = client_as(company).post("/api/v1/demands", PIPE)

    assert response.status_code == 201, response.content
    assert response.json()["region"] == "320211"


def test_the_institution_profile_and_the_order_show_region_names(client_as, client):
    lab = testing.institution(region="320214")
    buyer = testing.OrganisationFactory(region="110105").account
    order = testing.order(buyer, institution_org=lab)

    profile = client.get(f"/institutions/{lab.uscc}/").content.decode()
    detail = client_as(buyer).get(f"/orders/{order.number}/").content.decode()

    assert "江苏省无锡市新吴区" in profile and "320214" not in profile
    assert "北京市朝阳区" in detail and "110105" not in detail
