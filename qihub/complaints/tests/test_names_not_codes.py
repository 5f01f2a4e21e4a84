"""Issue 15 guard: the pages of a demo order and complaint name places and parties in words —
no 6-digit division code, no log-in name — for everyone who sees them."""

import re

import pytest

from qihub.core import regions

SIX_DIGITS = re.compile(r"(?<![\d.])\d{6}(?![\d.])")
INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    return TAG.sub(" ", INVISIBLE.sub(" ", html))


@pytest.fixture
def demo_complaint(db):
    """Set-up: demo_enterprise's completed order with demo_institution, complained about and
    forwarded to the institution."""
    from qihub.accounts.models import User
    from qihub.complaints import workflow as complaints
    from qihub.complaints.models import ComplaintType
    from qihub.core.demo import load_demo_data
    from qihub.institutions.models import InstitutionService
    from qihub.orders import workflow as orders

    load_demo_data()
    # Without a chosen display name an account falls back to its log-in name; an enterprise
    # or institution must still be shown by its registered name.
    User.objects.filter(username__in=["demo_enterprise", "demo_institution"]).update(
        display_name=""
    )
    client = User.objects.get(username="demo_enterprise")
    lab = User.objects.get(username="demo_institution")
    operator = User.objects.get(username="demo_operator")
    service = InstitutionService.objects.filter(organisation__account=lab, pricing="fixed").first()
    order = orders.place(client=client, service=service, description="压力表检定", quantity=1)
    order = orders.confirm(order, by=lab, version=order.version)
    order = orders.complete(order, by=lab, version=order.version)
    complaint = complaints.submit(
        complainant=client,
        target="institution",
        complaint_type=ComplaintType.objects.get(name="办理时限"),
        content="证书晚出具",
        request="说明原因",
        against_organisation=lab.organisation,
        order=order,
    )
    complaint = complaints.record_findings(
        complaint, by=operator, version=complaint.version, findings="核对记录属实"
    )
    complaint = complaints.forward(complaint, by=operator, version=complaint.version)
    return order, complaint


@pytest.mark.req("CMP-1")
@pytest.mark.parametrize("who", ["demo_enterprise", "demo_institution", "demo_operator"])
def test_order_and_complaint_pages_show_no_region_code_or_username(client_as, demo_complaint, who):
    from qihub.accounts.models import User

    order, complaint = demo_complaint
    usernames = set(User.objects.values_list("username", flat=True))
    browser = client_as(User.objects.get(username=who))
    for url in (f"/orders/{order.number}/", f"/complaints/{complaint.number}/"):
        response = browser.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        codes = [c for c in SIX_DIGITS.findall(text) if regions.is_valid(c)]
        assert codes == [], (url, codes)
        words = set(re.findall(r"[A-Za-z0-9_]+", text))
        assert words & usernames == set(), url
    page = visible_text(browser.get(f"/orders/{order.number}/").content.decode())
    assert order.institution.name in page and order.client.organisation.name in page
