"""Staff name institutions and enterprises by name in the demand pages (issue 15)."""

import pytest

from qihub.accounts.models import MemberKind
from qihub.core.testing import OrganisationFactory, institution
from qihub.demands.models import Demand
from qihub.demands.tests.test_demands import publish


@pytest.mark.req("DEM-4")
def test_the_operator_adds_an_institution_to_a_shortlist_by_name(
    client_as, company, operator, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()
    added = institution("南京滨湖电能计量所", service=False)
    staff = client_as(operator)
    page = staff.get(f"/demands/{demand.number}/").content.decode()
    assert "data-org-picker" in page and "add_uscc" not in page

    refused = staff.post(
        f"/demands/{demand.number}/shortlist/",
        {"version": demand.version, "included": [], "add": "南京某所"},
        follow=True,
    )
    assert "人工添加机构：平台上没有名为“南京某所”的技术机构" in refused.content.decode()
    staff.post(
        f"/demands/{demand.number}/shortlist/",
        {"version": demand.version, "included": [], "add": "南京滨湖电能计量所"},
    )
    assert demand.recommendation.items.filter(organisation=added, added_by_staff=True).exists()


@pytest.mark.req("DEM-2")
def test_a_visit_names_a_registered_enterprise_or_one_in_words(client_as, station_staff):
    from qihub.demands.models import Visit

    enterprise = OrganisationFactory(name="无锡滨湖管材有限公司", kind=MemberKind.ENTERPRISE)
    staff = client_as(station_staff)
    visit = {"visited_on": "2026-11-20", "summary": "了解检测需求"}
    missing = staff.post("/station/visits/", visit)
    assert "走访企业：必须填写" in missing.content.decode()
    assert (
        staff.post("/station/visits/", {**visit, "enterprise": "无锡滨湖管材有限公司"}).status_code
        == 302
    )
    assert (
        staff.post("/station/visits/", {**visit, "enterprise_name": "未注册的小厂"}).status_code
        == 302
    )
    first, second = Visit.objects.order_by("id")
    assert (first.organisation, first.enterprise_name) == (enterprise, "无锡滨湖管材有限公司")
    assert (second.organisation, second.enterprise_name) == (None, "未注册的小厂")
