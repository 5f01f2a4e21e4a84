"""Registration through the pages and the API (ACC-1…5)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qihub.accounts.models import Organisation, PersonIdentity, User
from qihub.deadlines.models import Clock
from qihub.institutions.models import Qualification, ScopeLine
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers


def errors_in(response) -> dict[str, str]:
    """Each field's error as the page shows it next to the field; the form's own (the scope
    rows') under "__all__"."""
    page = response.content.decode()
    found = {}
    for part in page.split('class="field-error" data-field="')[1:]:
        field, rest = part.split('">', 1)
        found[field] = rest.split("</div>", 1)[0]
    if 'data-testid="form-errors">' in page:
        found["__all__"] = page.split('data-testid="form-errors">', 1)[1].split("</div></div>")[0]
    return found


@pytest.mark.req("ACC-1")
@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("individual", helpers.individual),
        ("enterprise", helpers.enterprise),
        ("institution", helpers.institution),
    ],
)
def test_each_kind_registers_online_with_its_own_form(client, db, kind, data):
    form_page = client.get(f"/register/{kind}/").content.decode()
    response = helpers.submit(client, kind, data())

    assert response.status_code == 302, errors_in(response)
    assert response["Location"] == "/register/status/"
    application = Application.objects.get()
    assert (application.kind, application.status) == (kind, "submitted")
    assert application.applicant.role == kind
    status_page = client.get("/register/status/").content.decode()
    assert "待审核" in status_page and "剩余" in status_page
    assert 'data-testid="register-form"' in form_page


@pytest.mark.req("ACC-1")
def test_the_api_registers_with_the_same_form_and_names_bad_fields(client, db):
    api = "/api/v1/registrations/enterprise"
    bad = helpers.submit(
        client, "enterprise", url=api, data=helpers.enterprise(uscc="91320211MA1QH00010")
    )
    good = helpers.submit(
        client, "enterprise", url="/api/v1/registrations/enterprise", data=helpers.enterprise()
    )
    unknown = client.post("/api/v1/registrations/alien", {})

    assert bad.status_code == 422
    assert "uscc" in bad.json()["errors"]
    assert good.status_code == 201
    assert good.json()["status"] == "submitted" and good.json()["review_due_at"]
    assert unknown.status_code == 404
    assert Application.objects.count() == 1


@pytest.mark.req("ACC-2")
@pytest.mark.parametrize(
    ("kind", "change", "field", "message"),
    [
        (
            "enterprise",
            {"uscc": helpers.uscc()[:-1] + ("0" if helpers.uscc()[-1] != "0" else "1")},
            "uscc",
            "校验位不正确",
        ),
        ("enterprise", {"uscc": "91320211MA1QH0O01X"}, "uscc", "不允许的字符"),
        (
            "individual",
            {"id_number": helpers.id_number("32010219900230123")},
            "id_number",
            "出生日期不存在",
        ),
        (
            "individual",
            {"id_number": helpers.id_number("99999919900307123")},
            "id_number",
            "行政区划代码",
        ),
        ("individual", {"id_number": "320102199003071230"}, "id_number", "校验位不正确"),
        ("individual", {"mobile": "1234567"}, "mobile", "11 位"),
        ("individual", {"password_again": "different-Password-1"}, "password_again", "不一致"),
    ],
)
def test_identifiers_are_checked_and_each_error_is_shown_next_to_its_field(
    client, db, kind, change, field, message
):
    data = getattr(helpers, kind)(**change)

    response = helpers.submit(client, kind, data)

    assert response.status_code == 400
    assert message in errors_in(response).get(field, ""), errors_in(response)
    assert not User.objects.exists() and not Application.objects.exists()


@pytest.mark.req("ACC-2")
def test_a_credit_code_whose_registration_authority_is_a_letter_is_accepted(client, db):
    code = helpers.uscc("Y1320211MA1QH0003")

    response = helpers.submit(client, "enterprise", helpers.enterprise(uscc=code))

    assert response.status_code == 302
    assert Organisation.objects.get().uscc == code


@pytest.mark.req("ACC-2")
def test_duplicates_of_a_credit_code_id_number_or_mobile_are_refused(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise())
    helpers.submit(client, "individual", helpers.individual())

    again_org = client.post(
        "/register/enterprise/", helpers.enterprise(username="other", mobile="13800000000")
    )
    again_person = client.post(
        "/register/individual/", helpers.individual(username="li_si", mobile="13900000000")
    )
    again_mobile = helpers.submit(
        client,
        "individual",
        helpers.individual(username="wang", id_number=helpers.id_number("32010219851111123")),
    )

    assert "已注册" in errors_in(again_org)["uscc"]
    assert "已注册" in errors_in(again_person)["id_number"]
    assert "已注册" in errors_in(again_mobile)["mobile"]


@pytest.mark.req("ACC-2")
def test_the_chosen_name_is_shown_in_front_and_the_real_name_stays_in_the_back(client, db):
    helpers.submit(client, "individual", helpers.individual(display_name="质量爱好者"))

    page = client.get("/").content.decode()

    assert "质量爱好者" in page and "张三" not in page
    identity = PersonIdentity.objects.get()
    assert identity.real_name == "张三"
    assert (
        identity.id_number_masked == helpers.id_number()[:4] + "*" * 10 + helpers.id_number()[-4:]
    )


@pytest.mark.req("ACC-3")
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请上传此项材料"),
        (SimpleUploadedFile("empty.png", b"", "image/png"), "空的"),
        (
            SimpleUploadedFile("scan.pdf", b"just text pretending to be a PDF", "application/pdf"),
            "不是 PDF、JPG 或 PNG",
        ),
    ],
)
def test_individual_registration_requires_a_real_id_card_scan(client, db, upload, message):
    data = helpers.individual()
    data.pop("id_scan")
    if upload is not None:
        data["id_scan"] = upload
    before = stored_files()

    response = helpers.submit(client, "individual", data)

    assert message in errors_in(response).get("id_scan", ""), errors_in(response)
    assert not User.objects.exists()
    assert stored_files() == before


def stored_files() -> set:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.mark.req("ACC-3")
def test_a_registration_interrupted_after_the_upload_leaves_no_file_and_no_record(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("qihub.onboarding.workflow.clocks.start_clock", fail)
    before = stored_files()

    response = helpers.submit(
        Client(raise_request_exception=False), "individual", helpers.individual()
    )

    assert response.status_code == 500
    assert stored_files() == before
    assert not User.objects.exists() and not Application.objects.exists()


@pytest.mark.req("ACC-4")
@pytest.mark.parametrize(
    "missing", ["business_licence", "qualification_certificate", "integrity_pledge"]
)
def test_enterprise_registration_requires_licence_certificate_and_pledge(client, db, missing):
    data = helpers.enterprise()
    data.pop(missing)

    response = helpers.submit(client, "enterprise", data)

    assert response.status_code == 400
    assert "请上传此项材料" in errors_in(response)[missing]


@pytest.mark.req("ACC-4")
def test_enterprise_materials_are_stored_sniffed_and_served_only_to_the_right_people(
    client, db, client_as, other_enterprise, operator
):
    helpers.submit(client, "enterprise", helpers.enterprise())
    document = Application.objects.get().documents.get(kind="business_licence")

    own = client.get(f"/documents/{document.pk}/")
    stranger = client_as(other_enterprise).get(f"/documents/{document.pk}/")
    reviewer = client_as(operator).get(f"/documents/{document.pk}/")

    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    assert own["Content-Type"] == "application/pdf"
    assert stranger.status_code == 404
    assert reviewer.status_code == 200
    assert document.stored_name not in document.original_name and len(document.stored_name) == 32


@pytest.mark.req("ACC-5")
def test_institution_onboarding_keeps_qualification_and_structured_scope(client, db):
    response = helpers.submit(client, "institution", helpers.institution())

    assert response.status_code == 302
    qualification = Qualification.objects.get()
    assert (qualification.type, qualification.number) == ("CMA", "241012340567")
    assert str(qualification.valid_until) == "2030-02-28"
    lines = list(
        ScopeLine.objects.order_by("id").values(
            "category", "object", "parameter", "standard", "limits"
        )
    )
    assert lines[0] == {
        "category": "metrology",
        "object": "压力表",
        "parameter": "示值误差",
        "standard": "JJG 52-2013",
        "limits": "0~60 MPa",
    }
    assert lines[1]["category"] == "testing"
    assert set(Application.objects.get().documents.values_list("kind", flat=True)) == {
        "application_form",
        "business_licence",
        "qualification_certificate",
        "integrity_pledge",
    }


@pytest.mark.req("ACC-5")
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"valid_until": "2020-01-01"}, "valid_until", "有效期至应晚于有效期起"),
        (
            helpers.scope_rows(("烹饪", "蛋糕", "甜度", "", "")),
            "__all__",
            "服务能力范围：第 1 行：类别“烹饪”无效",
        ),
        (
            helpers.scope_rows(("", "", "", "", "")),
            "__all__",
            "服务能力范围：请至少填写一项服务能力范围",
        ),
        ({"application_form": ""}, "application_form", "请上传此项材料"),
    ],
)
def test_institution_onboarding_rejects_bad_qualification_or_scope(
    client, db, change, field, message
):
    response = helpers.submit(client, "institution", helpers.institution(**change))

    assert response.status_code == 400
    assert message in errors_in(response).get(field, ""), errors_in(response)
    assert not Clock.objects.exists() and not Qualification.objects.exists()


@pytest.mark.req("ACC-5")
def test_scope_lines_come_from_the_platforms_excel_template(client, db):
    from io import BytesIO

    from openpyxl import load_workbook

    download = client.get("/register/scope-template.xlsx")
    book = load_workbook(BytesIO(download.content))
    sheet = book.active
    sheet.append(["检验检测", "塑料管材", "静液压强度", "GB/T 6111-2018", ""])
    sheet.append(["烹饪", "蛋糕", "", "", ""])
    bad, good = BytesIO(), BytesIO()
    book.save(bad)
    sheet.delete_rows(4)
    book.save(good)

    rejected = helpers.submit(
        client,
        "institution",
        helpers.institution(
            **helpers.scope_rows(), scope_file=SimpleUploadedFile("scope.xlsx", bad.getvalue())
        ),
    )
    accepted = helpers.submit(
        client,
        "institution",
        helpers.institution(
            **helpers.scope_rows(), scope_file=SimpleUploadedFile("scope.xlsx", good.getvalue())
        ),
    )

    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [c.value for c in sheet[1]] == [
        "类别",
        "对象或产品",
        "项目或参数",
        "标准或方法",
        "限制范围",
    ]
    assert "第 3 行：类别“烹饪”无效" in errors_in(rejected)["__all__"]
    assert accepted.status_code == 302
    assert list(ScopeLine.objects.order_by("id").values_list("object", "standard")) == [
        ("压力表", "JJG 52-2013"),
        ("塑料管材", "GB/T 6111-2018"),
    ]
