"""The organisation picker (issue 15): organisations are found by name, pinyin initials or USCC
and named in forms by name, never typed as codes."""

import pytest

from qihub.accounts.models import Organisation
from qihub.core.testing import OrganisationFactory, institution

pytestmark = pytest.mark.django_db

URL = "/accounts/organisations/"


@pytest.fixture
def binhu():
    return institution("无锡滨湖电能检测有限公司", uscc="12320211MD0000001R")


@pytest.fixture
def others():
    return [
        institution("南京计量测试所"),
        OrganisationFactory(name="滨湖电能设备有限公司"),  # an enterprise, not an institution
    ]


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row["name"] for row in response.json()]


@pytest.mark.parametrize("typed", ["滨湖电能", "bhdn", "BHDN", "wxbh", "12320211MD0000001"])
def test_the_picker_finds_an_institution_by_name_initials_or_uscc(
    client_as, visitor, binhu, others, typed
):
    found = names(client_as(visitor).get(URL, {"kind": "institution", "q": typed}))
    assert found == ["无锡滨湖电能检测有限公司"]


def test_the_picker_answers_with_names_and_places_never_codes(client_as, company, binhu):
    rows = client_as(company).get(URL, {"kind": "institution", "q": "bhdn"}).json()
    assert rows == [{"name": "无锡滨湖电能检测有限公司", "place": "江苏省无锡市滨湖区"}]
    assert binhu.uscc not in str(rows) and binhu.account.username not in str(rows)


def test_enterprises_are_suggested_to_staff_only(client_as, company, operator, others):
    query = {"kind": "enterprise", "q": "bhdn"}
    assert names(client_as(company).get(URL, query)) == []
    assert names(client_as(operator).get(URL, query)) == ["滨湖电能设备有限公司"]


def test_a_name_that_starts_with_what_was_typed_comes_first(client_as, visitor, binhu):
    institution("江苏滨湖电能计量站")
    institution("滨湖电能检定中心")
    found = names(client_as(visitor).get(URL, {"kind": "institution", "q": "滨湖电能"}))
    assert found[0] == "滨湖电能检定中心" and len(found) == 3


def test_initials_follow_a_rename(binhu):
    binhu.name = "常州天宁检测中心"
    binhu.save(update_fields=["name"])
    assert Organisation.objects.get(pk=binhu.pk).name_initials == "cztnjczx"


def complaint(lab_text: str) -> dict:
    from qihub.complaints.models import ComplaintType

    return {
        "target": "institution",
        "against": lab_text,
        "against_name": "",
        "type": ComplaintType.objects.get(name="办理时限").pk,
        "content": "检测报告超期未出具",
        "request": "尽快出具",
        "order": "",
    }


@pytest.mark.req("CMP-1")
@pytest.mark.parametrize("typed", ["无锡滨湖电能检测有限公司", "12320211md0000001r"])
def test_a_complaint_names_its_institution_by_name_or_uscc(client_as, company, binhu, typed):
    from qihub.complaints.models import Complaint

    response = client_as(company).post("/complaints/new/", complaint(typed))
    assert response.status_code == 302
    made = Complaint.objects.get()
    assert made.against_organisation == binhu
    page = client_as(company).get(response["Location"]).content.decode()
    assert "无锡滨湖电能检测有限公司" in page and binhu.uscc not in page


@pytest.mark.req("CMP-1")
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "滨湖电能",
            "被投诉机构：平台上没有名为“滨湖电能”的技术机构，请输入名称的一部分后从提示中选择",
        ),
        ("滨湖电能设备有限公司", "被投诉机构：平台上没有名为“滨湖电能设备有限公司”的技术机构"),
        ("12320211MD0000002X", "被投诉机构：统一社会信用代码校验位不正确，请核对后重新输入"),
        (
            "无锡双名检测所",
            "被投诉机构：平台上有多家名为“无锡双名检测所”的技术机构，请改填其统一社会信用代码",
        ),
    ],
)
def test_an_unknown_or_ambiguous_institution_is_refused_naming_the_field(
    client_as, company, binhu, others, typed, message
):
    from qihub.complaints.models import Complaint

    institution("无锡双名检测所")
    institution("无锡双名检测所")
    response = client_as(company).post("/complaints/new/", complaint(typed))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.req("CMP-1")
def test_the_complaint_form_from_an_order_shows_the_institution_by_name(client_as, company, binhu):
    page = client_as(company).get("/complaints/new/", {"against": binhu.uscc}).content.decode()
    assert 'value="无锡滨湖电能检测有限公司"' in page and binhu.uscc not in page


@pytest.mark.req("CMP-1")
def test_staff_name_the_complainant_by_company_name_or_a_persons_user_name(
    client_as, operator, individual, binhu
):
    from qihub.complaints.models import Complaint

    enterprise = OrganisationFactory(name="无锡滨湖管材有限公司")
    staff = client_as(operator)
    page = staff.get("/ops/complaints/new/").content.decode()
    assert 'name="complainant"' in page and "data-org-picker" in page
    for named in ("无锡滨湖管材有限公司", individual.username):
        response = staff.post(
            "/ops/complaints/new/",
            {**complaint("无锡滨湖电能检测有限公司"), "complainant": named, "channel": "phone"},
        )
        assert response.status_code == 302
    assert [c.complainant for c in Complaint.objects.order_by("id")] == [
        enterprise.account,
        individual,
    ]
    unknown = staff.post(
        "/ops/complaints/new/",
        {**complaint("无锡滨湖电能检测有限公司"), "complainant": "某某厂", "channel": "phone"},
    )
    assert (
        "投诉人：平台上没有名为“某某厂”的企业，也没有该用户名的个人用户" in unknown.content.decode()
    )


def test_control_characters_are_no_part_of_a_name(client_as, company, binhu):
    found = client_as(company).get(URL, {"kind": "institution", "q": "bhdn\x00"})
    assert names(found) == ["无锡滨湖电能检测有限公司"]
    response = client_as(company).post("/complaints/new/", complaint("滨湖\x00电能"))
    assert response.status_code == 400
    assert "被投诉机构：含有不允许的控制字符" in response.content.decode()
