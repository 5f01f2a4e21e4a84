"""Issue 15, registration friction: files kept across a refused form, consent recorded with its
version, several qualifications, scope by rows or Excel, the blank forms to download."""

import datetime as dt
import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from qihub.accounts.legal import VERSION
from qihub.accounts.models import Consent, HeldUpload
from qihub.accounts.uploads import read_stored, stored_exists, sweep_held
from qihub.institutions.models import Qualification, ScopeLine
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers
from qihub.onboarding.tests.test_registration import errors_in

BAD_USCC = {"uscc": "91320211MA1QH00010"}


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def without_files(data: dict) -> dict:
    return {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}


@pytest.mark.req("ACC-4")
def test_files_uploaded_before_an_error_in_another_field_stay_and_attach_on_success(client, db):
    refused = helpers.submit(client, "enterprise", helpers.enterprise(**BAD_USCC))
    page = refused.content.decode()
    again = helpers.submit(client, "enterprise", without_files(helpers.enterprise()))

    assert refused.status_code == 400 and "uscc" in errors_in(refused)
    assert "已上传：营业执照.pdf" in page and "已上传：诚信承诺书.pdf" in page
    assert 'data-testid="remove-business_licence"' in page and "[移除]" in page
    assert "为安全起见，请重新输入密码" in page
    assert again.status_code == 302, errors_in(again)
    documents = Application.objects.get().documents.all()
    assert {(d.kind, d.original_name) for d in documents} == {
        ("business_licence", "营业执照.pdf"),
        ("integrity_pledge", "诚信承诺书.pdf"),
        ("qualification_certificate", "资质.pdf"),
    }
    assert all(read_stored(d.stored_name) == helpers.PDF for d in documents)
    assert not HeldUpload.objects.exists()


@pytest.mark.req("ACC-4")
def test_a_held_file_removed_with_its_button_is_deleted_and_must_be_uploaded_again(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise(**BAD_USCC))
    held = HeldUpload.objects.get(original_name="营业执照.pdf")
    removed = client.post(
        "/register/enterprise/held/business_licence/remove/", HTTP_HX_REQUEST="true"
    )
    again = helpers.submit(client, "enterprise", without_files(helpers.enterprise()))

    assert removed.status_code == 200 and removed.content == b""
    assert not stored_exists(held.stored_name)
    assert not HeldUpload.objects.filter(pk=held.pk).exists()
    assert again.status_code == 400
    assert "请上传此项材料" in errors_in(again)["business_licence"]
    assert "已上传：营业执照.pdf" not in again.content.decode()
    assert "已上传：诚信承诺书.pdf" in again.content.decode()


@pytest.mark.req("ACC-4")
def test_another_session_can_neither_use_nor_remove_the_files_held_for_one(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise(**BAD_USCC))
    other = Client()
    other.post("/register/enterprise/held/business_licence/remove/")
    theirs = helpers.submit(
        other, "enterprise", without_files(helpers.enterprise("other_user", "13812340000"))
    )

    assert HeldUpload.objects.filter(original_name="营业执照.pdf").exists()
    assert theirs.status_code == 400
    assert "已上传：" not in theirs.content.decode()
    assert "请上传此项材料" in errors_in(theirs)["business_licence"]


def test_files_held_for_an_abandoned_form_are_deleted_after_a_day(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise(**BAD_USCC))
    files = [h.stored_name for h in HeldUpload.objects.all()]

    kept = sweep_held(timezone.now() + dt.timedelta(hours=12))
    swept = sweep_held(timezone.now() + dt.timedelta(days=2))

    assert kept == 0 and swept == len(files) == 3
    assert not any(stored_exists(f) for f in files) and not HeldUpload.objects.exists()


@pytest.mark.req("ACC-1")
def test_registration_requires_consent_and_records_it_with_its_version(
    client, db, client_as, operator
):
    refused = helpers.submit(client, "individual", {**helpers.individual(), "consent": ""})
    accepted = helpers.submit(client, "individual", without_files(helpers.individual()))
    application = Application.objects.get()
    review = client_as(operator).get(f"/ops/reviews/{application.pk}/").content.decode()

    assert refused.status_code == 400
    assert "用户协议和隐私政策：请阅读并勾选同意" in errors_in(refused)["consent"]
    assert accepted.status_code == 302
    consents = Consent.objects.filter(user=application.applicant)
    assert sorted(consents.values_list("document", "version", "ip")) == [
        ("agreement", VERSION, "127.0.0.1"),
        ("privacy", VERSION, "127.0.0.1"),
    ]
    assert f"《用户协议》{VERSION} 版" in review and f"《隐私政策》{VERSION} 版" in review


def test_the_agreement_and_privacy_policy_are_public_pages_with_their_version(client, db):
    form = client.get("/register/individual/").content.decode()
    agreement = client.get("/accounts/agreement/")
    privacy = client.get("/accounts/privacy/")

    assert 'href="/accounts/agreement/"' in form and 'href="/accounts/privacy/"' in form
    assert agreement.status_code == privacy.status_code == 200
    assert f"版本：{VERSION}" in agreement.content.decode()
    assert "个人信息保护法" in privacy.content.decode()


@pytest.mark.req("ACC-2")
def test_the_sms_button_sits_beside_the_mobile_number(client, db):
    page = client.get("/register/enterprise/").content.decode()

    group = page.split('<div class="input-group">', 1)[1].split("</div>", 1)[0]
    assert 'name="mobile"' in group and 'data-testid="send-code"' in group


@pytest.mark.req("ACC-5")
def test_an_institution_registers_several_qualifications_each_under_its_scope(client, db):
    second = {
        "qualification_count": "2",
        "qualification_type_2": "LEGAL_METROLOGY",
        "qualification_number_2": "(苏)法计(2024)00012号",
        "qualification_issuer_2": "无锡市市场监督管理局",
        "valid_from_2": "2024-05-01",
        "valid_until_2": "2029-04-30",
        "qualification_scope_2": "压力表检定",
        "qualification_certificate_2": helpers.pdf("计量授权证书.pdf"),
    }
    refused = helpers.submit(
        client, "institution", helpers.institution(**{**second, "valid_until_2": "2020-01-01"})
    )
    page = refused.content.decode()
    accepted = helpers.submit(client, "institution", without_files(helpers.institution(**second)))

    assert refused.status_code == 400
    assert "有效期至应晚于有效期起" in errors_in(refused)["valid_until_2"]
    assert 'name="qualification_type_2"' in page and "已上传：计量授权证书.pdf" in page
    assert accepted.status_code == 302, errors_in(accepted)
    cma, metrology = Qualification.objects.order_by("id")
    assert (cma.type, metrology.type) == ("CMA", "LEGAL_METROLOGY")
    assert metrology.certificate.original_name == "计量授权证书.pdf"
    lines = {line.object: line.qualification for line in ScopeLine.objects.all()}
    assert lines == {"压力表": metrology, "电线电缆": cma}
    documents = Application.objects.get().documents.filter(kind="qualification_certificate")
    assert documents.count() == 2


@pytest.mark.req("ACC-5")
def test_the_page_offers_the_row_editor_and_excel_not_pipe_separated_text(client, db):
    page = client.get("/register/institution/").content.decode()

    assert 'data-add-row="rows-institution"' in page and 'name="line_category"' in page
    assert 'data-add-row="qualification-items"' in page and "添加一项" in page
    assert 'name="scope_file"' in page and "scope_lines" not in page and "|" not in page


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    return unquote(re.search(r"filename\*=UTF-8''(.+)$", disposition).group(1))


@pytest.mark.req("ACC-4")
def test_the_integrity_pledge_template_downloads_as_a_pdf(client, db):
    page = client.get("/register/enterprise/").content.decode()
    response = client.get("/register/pledge.pdf")

    assert 'href="/register/pledge.pdf"' in page
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000
    assert response["Content-Disposition"].startswith("attachment;")
    assert _filename(response) == "诚信承诺书.pdf"


@pytest.mark.req("ACC-5")
def test_the_application_form_downloads_with_a_scope_sheet_the_import_reads(client, db):
    page = client.get("/register/institution/").content.decode()
    response = client.get("/register/application-form.xlsx")
    book = load_workbook(BytesIO(response.content))
    scope = book["服务能力范围"]
    scope.append(["检验检测", "塑料管材", "静液压强度", "GB/T 6111-2018", ""])
    filled = BytesIO()
    book.save(filled)
    registered = helpers.submit(
        client,
        "institution",
        helpers.institution(
            **helpers.scope_rows(),
            scope_file=SimpleUploadedFile("入驻申请表.xlsx", filled.getvalue()),
        ),
    )

    assert 'href="/register/application-form.xlsx"' in page
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _filename(response) == "入驻申请表.xlsx"
    assert book.sheetnames == ["基本信息", "资质证书", "服务能力范围"]
    assert [c.value for c in scope[1]] == [
        "类别",
        "对象或产品",
        "项目或参数",
        "标准或方法",
        "限制范围",
    ]
    assert registered.status_code == 302, errors_in(registered)
    assert list(ScopeLine.objects.order_by("id").values_list("object", flat=True)) == [
        "压力表",
        "塑料管材",
    ]


@pytest.mark.req("ACC-4")
def test_a_new_file_chosen_after_an_error_replaces_the_held_one(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise(**BAD_USCC))
    old = HeldUpload.objects.get(original_name="营业执照.pdf")
    data = {**without_files(helpers.enterprise()), "business_licence": helpers.png("新执照.png")}
    accepted = helpers.submit(client, "enterprise", data)

    assert accepted.status_code == 302, errors_in(accepted)
    licence = Application.objects.get().documents.get(kind="business_licence")
    assert licence.original_name == "新执照.png"
    assert not stored_exists(old.stored_name) and not HeldUpload.objects.exists()
