"""Issue 15: every guide leads somewhere. A guide's 立即办理 starts the item's flow: order
(search), publish a demand with the item preset, the quality clinic, a complaint, or the
external official system with its steps."""

import html
import re

import pytest

from qihub.catalog.models import ServiceFlow, ServiceItem


def start_of(page: str) -> tuple[str, str]:
    """(button href or "", the start block's text)."""
    block = page[page.index('data-testid="start"') :].split("</div>\n  </div>")[0]
    button = re.search(r'href="([^"]*)"[^>]*data-testid="start-button"', block)
    return (html.unescape(button.group(1)) if button else ""), block


@pytest.mark.req("CAT-6")
def test_every_guide_has_a_start_that_opens_a_working_page_for_a_client(enterprise, client_as):
    browser = client_as(enterprise)
    for item in ServiceItem.objects.all():
        href, block = start_of(browser.get(f"/services/{item.code}/").content.decode())

        assert href, item.code
        if item.flow == ServiceFlow.EXTERNAL:
            assert href == item.external_url and 'target="_blank"' in block
        else:
            assert browser.get(href).status_code == 200, (item.code, href)
        assert "建设中" not in block


def test_the_seeded_items_lead_to_order_demand_clinic_or_the_external_system(db):
    flows = dict(ServiceItem.objects.values_list("code", "flow"))

    assert flows["testing-matching"] == ServiceFlow.ORDER
    assert flows["standard-drafting"] == ServiceFlow.DEMAND
    assert flows["quality-clinic"] == ServiceFlow.CLINIC
    assert flows["special-equipment-registration"] == ServiceFlow.EXTERNAL


def test_ordering_starts_with_the_institutions_of_the_items_category(enterprise, client_as):
    href, _ = start_of(client_as(enterprise).get("/services/testing-matching/").content.decode())

    assert href == "/search/?category=testing"


def test_a_demand_item_opens_the_demand_form_with_the_item_preset(enterprise, client_as):
    browser = client_as(enterprise)
    href, block = start_of(browser.get("/services/standard-drafting/").content.decode())

    form = browser.get(href).content.decode()

    assert "发布服务需求" in block
    assert 'value="标准立项与制定指导"' in form
    assert '<option value="standardization" selected>' in form


def test_the_quality_clinic_starts_an_online_consultation_not_a_dead_end(enterprise, client_as):
    browser = client_as(enterprise)
    href, block = start_of(browser.get("/services/quality-clinic/").content.decode())

    form = browser.get(href).content.decode()

    assert href.startswith("/clinic/ask/")
    assert "质量门诊咨询" in block and "专家" in block
    assert "提交质量门诊咨询" in form
    assert '<option value="quality_management" selected>' in form


def test_a_visitor_is_sent_to_log_in_and_back_to_the_demand_form(client_as):
    visitor = client_as(None)
    href, block = start_of(visitor.get("/services/standard-drafting/").content.decode())

    assert href == "/accounts/login/?next=%2Fdemands%2Fnew%2F%3Fitem%3Dstandard-drafting"
    assert "需先登录" in block
    assert visitor.get(href).status_code == 200


@pytest.mark.req("CAT-6")
def test_an_external_item_links_to_its_system_and_lists_the_steps(client_as):
    item = ServiceItem.objects.get(code="special-equipment-registration")
    page = client_as(None).get(f"/services/{item.code}/").content.decode()
    href, block = start_of(page)

    assert href == item.external_url and item.external_system in block
    assert html.escape(item.external_steps.splitlines()[0]) in page


@pytest.mark.parametrize("name", ["operator", "institution", "station_staff"])
def test_roles_that_may_not_publish_or_order_get_no_button_but_a_note(name, client_as, request):
    page = client_as(request.getfixturevalue(name)).get("/services/standard-drafting/")
    href, block = start_of(page.content.decode())

    assert href == "" and "由企业或个人用户在线办理" in block
