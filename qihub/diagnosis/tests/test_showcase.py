"""The showcase (ENT-6): operators propose, the enterprise consents, the public sees it, the
enterprise withdraws its consent and it is gone; pages and API alike."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from qihub.core import testing
from qihub.diagnosis.models import ShowcaseEntry, ShowcaseStatus

FORM = {
    "kind": "product",
    "title": "高压闸阀获评江苏精品",
    "summary": "公司自主研发的高压闸阀通过江苏精品认证。",
    "year": "2025",
    "honours": "江苏精品",
}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def company(enterprise):
    return testing.OrganisationFactory(account=enterprise, name="无锡精工阀门有限公司")


@pytest.mark.req("ENT-6")
def test_an_entry_is_public_only_with_the_enterprises_consent(
    client_as, client, operator, enterprise, other_enterprise, company
):
    photo = SimpleUploadedFile("阀门.png", testing.png_bytes(), "image/png")
    proposed = client_as(operator).post(
        "/ops/showcase/", {**FORM, "enterprise": company.name, "photo": photo}, follow=True
    )
    entry = ShowcaseEntry.objects.get()
    assert "已提议展示，待企业同意后公开" in _messages(proposed)
    assert entry.status == ShowcaseStatus.AWAITING
    assert "高压闸阀" not in client.get("/showcase/").content.decode()
    assert client.get(f"/showcase/{entry.pk}/").status_code == 404
    assert client.get(f"/showcase/{entry.pk}/photo/").status_code == 404
    assert client.get("/api/v1/showcase").json() == []

    firm = client_as(enterprise)
    workbench = firm.get("/accounts/workbench/").content.decode()
    request_page = firm.get("/showcase/mine/").content.decode()
    assert "企业风采展示同意" in workbench and "待企业同意" in request_page
    assert (
        client_as(other_enterprise)
        .post(f"/showcase/{entry.pk}/consent/", {"version": entry.version})
        .status_code
        == 404
    )

    agreed = firm.post(f"/showcase/{entry.pk}/consent/", {"version": entry.version}, follow=True)
    assert "已同意，风采已在“企业风采”中公开展示" in _messages(agreed)
    public = client.get("/showcase/?kind=product&year=2025").content.decode()
    assert "高压闸阀获评江苏精品" in public and "无锡精工阀门有限公司" in public
    shown = client.get(f"/showcase/{entry.pk}/").content.decode()
    assert 'data-testid="entry-photo"' in shown
    served = client.get(f"/showcase/{entry.pk}/photo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == testing.png_bytes()
    assert [e["title"] for e in client.get("/api/v1/showcase").json()] == [FORM["title"]]

    entry.refresh_from_db()
    withdrawn = firm.post(f"/api/v1/showcase/{entry.pk}/withdraw", {"version": entry.version})
    assert withdrawn.status_code == 200 and withdrawn.json()["status_label"] == "企业已撤回同意"
    assert "高压闸阀" not in client.get("/showcase/").content.decode()
    assert client.get(f"/showcase/{entry.pk}/").status_code == 404


@pytest.mark.req("ENT-6")
def test_bad_input_names_the_field_and_only_operators_propose(
    client_as, client, operator, enterprise, company
):
    staff = client_as(operator)
    page = staff.post(
        "/ops/showcase/",
        {**FORM, "enterprise": "不存在的公司", "year": "3000", "title": " "},
        follow=True,
    )
    said = " ".join(_messages(page))
    assert "年度：不能晚于" in said and "标题：必须填写" in said and "企业：" in said
    assert not ShowcaseEntry.objects.exists()
    not_a_picture = SimpleUploadedFile("照片.pdf", testing.pdf_bytes(), "application/pdf")
    page = staff.post(
        "/ops/showcase/", {**FORM, "enterprise": company.name, "photo": not_a_picture}, follow=True
    )
    assert "照片：请上传 JPG 或 PNG 图片" in _messages(page)
    assert not ShowcaseEntry.objects.exists()

    api = client_as(enterprise).post("/api/v1/showcase", {**FORM, "enterprise": company.name})
    assert api.status_code == 403 and not ShowcaseEntry.objects.exists()
    made = staff.post("/api/v1/showcase", {**FORM, "enterprise": company.uscc})
    assert made.status_code == 201 and made.json()["status_label"] == "待企业同意"
    bad_filter = client.get("/showcase/?year=abc")
    assert bad_filter.status_code == 200 and "年度：应为四位年份" in bad_filter.content.decode()
