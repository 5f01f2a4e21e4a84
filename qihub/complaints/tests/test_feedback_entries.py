"""Issue 15: 我要投诉 / 意见建议 are reachable from every page's footer, and lead somewhere for
everyone: clients to the complaint form, visitors to log in first, staff to the opinion box."""

import pytest


def footer(page: str) -> str:
    return page[page.index('data-testid="footer-feedback"') :].split("</div>")[0]


@pytest.mark.req("CMP-3")
@pytest.mark.parametrize("path", ["/", "/services/", "/info/", "/complaints/"])
def test_every_page_footer_offers_a_complaint_and_an_opinion(path, enterprise, client_as):
    page = client_as(enterprise).get(path).content.decode()

    assert "我要投诉" in footer(page) and "意见建议" in footer(page)


def test_a_visitors_complaint_link_leads_to_log_in_and_back(client_as):
    visitor = client_as(None)
    link = "/complaints/new/"
    assert link in footer(visitor.get("/").content.decode())

    response = visitor.get(link)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/complaints/new/"


def test_staff_are_offered_the_opinion_box_not_a_form_they_may_not_use(operator, client_as):
    browser = client_as(operator)
    page = browser.get("/").content.decode()

    assert "我要投诉" not in footer(page) and "/opinions/new/" in footer(page)
    assert browser.get("/opinions/new/").status_code == 200


@pytest.mark.parametrize(
    ("path", "name"), [("/complaints/", "enterprise"), ("/info/", "individual")]
)
def test_the_complaints_list_and_the_information_page_carry_both_buttons(
    path, name, client_as, request
):
    page = client_as(request.getfixturevalue(name)).get(path).content.decode()
    buttons = page[page.index('data-testid="feedback-buttons"') :].split("</span>")[0]

    assert 'href="/complaints/new/">我要投诉' in buttons
    assert 'href="/opinions/new/">意见建议' in buttons
