"""Registration asks for the organisation's region with the picker (issue 14)."""

import pytest

from qihub.accounts.models import Organisation
from qihub.onboarding.tests import helpers
from qihub.onboarding.tests.test_registration import errors_in


@pytest.mark.req("ACC-1")
def test_an_enterprise_registers_with_a_county_picked_and_review_shows_its_name(
    client, client_as, operator
):
    data = helpers.enterprise(region=["320000", "320200", "320214"])

    response = helpers.submit(client, "enterprise", data)

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.region == "320214"
    application = organisation.account.applications.get()
    page = client_as(operator).get(f"/ops/reviews/{application.pk}/").content.decode()
    assert "江苏省无锡市新吴区" in page and "320214" not in page


@pytest.mark.req("ACC-1")
@pytest.mark.parametrize(
    ("region", "message"),
    [
        (["320000", "", ""], "所在地区：请选择城市"),
        (["329999"], "所在地区：没有这个行政区划，请从列表中选择"),
    ],
)
def test_an_incomplete_or_unknown_region_is_refused_naming_the_field(client, db, region, message):
    response = helpers.submit(client, "enterprise", helpers.enterprise(region=region))

    assert response.status_code == 400
    assert errors_in(response)["region"] == message
    assert not Organisation.objects.exists()


@pytest.mark.req("ACC-1")
@pytest.mark.parametrize(("region", "kept"), [("", ""), (["320000", "320200", ""], "320200")])
def test_the_region_is_optional_and_a_city_is_enough(client, db, region, kept):
    page = client.get("/register/enterprise/").content.decode()
    assert "请选择省份" in page and "data-region-picker" in page

    response = helpers.submit(client, "enterprise", helpers.enterprise(region=region))

    assert response.status_code == 302 and Organisation.objects.get().region == kept
