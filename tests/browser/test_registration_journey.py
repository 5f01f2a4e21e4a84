"""ACC journey in real Chromium: an enterprise registers with uploads (a mistake first: the files
stay, only the passwords are typed again), the operator (TOTP) returns it for a document, the
enterprise resubmits, the operator approves (after confirming), the enterprise logs in."""

import pytest

from qihub.onboarding.tests import helpers
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def log_out(page):
    page.get_by_test_id("logout").click()


@pytest.mark.req("ACC-1", "ACC-4", "ACC-6")
def test_enterprise_registration_return_resubmit_approve(live_server, page, demo_data, tmp_path):
    base = live_server.url
    licence, pledge, certificate = (tmp_path / n for n in ("执照.pdf", "承诺书.pdf", "资质.pdf"))
    for path in (licence, pledge, certificate):
        path.write_bytes(helpers.PDF)
    data = helpers.enterprise()

    page.goto(base + "/register/")
    page.locator('[data-kind="enterprise"]').click()
    for field in (
        "username",
        "mobile",
        "name",
        "uscc",
        "address",
        "legal_representative",
        "contact_name",
    ):
        # A wrong check character first: the page refuses it and keeps the files.
        page.fill(f"#id_{field}", "91320211MA1QH00010" if field == "uscc" else data[field])
    page.select_option("#id_region", data["region"][:2] + "0000")
    page.select_option("#id_region_city", data["region"][:4] + "00")
    page.select_option("#id_region_county", data["region"])
    page.fill("#id_display_name", "示例精密")
    page.fill("#id_password", data["password"])
    page.fill("#id_password_again", data["password"])
    page.get_by_test_id("send-code").click()
    assert "验证码已发送" in page.get_by_test_id("code-status").inner_text()
    assert "秒后可重新获取" in page.get_by_test_id("send-code").inner_text()
    assert page.get_by_test_id("send-code").is_disabled()
    page.fill("#id_mobile_code", helpers.latest_code(data["mobile"]))  # read from the SMS outbox
    page.set_input_files("#id_business_licence", str(licence))
    page.set_input_files("#id_integrity_pledge", str(pledge))
    page.set_input_files("#id_qualification_certificate", str(certificate))
    page.check("#id_consent")
    screenshot(page, "register-enterprise-form")
    page.get_by_role("button", name="提交注册申请").click()
    assert "校验位" in page.locator('.field-error[data-field="uscc"]').inner_text()
    assert page.get_by_test_id("held-business_licence").inner_text().startswith("已上传：执照.pdf")
    assert "已上传：承诺书.pdf" in page.get_by_test_id("held-integrity_pledge").inner_text()
    assert "请重新输入密码" in page.get_by_test_id("password-again-note").inner_text()
    screenshot(page, "register-enterprise-kept-files")
    page.fill("#id_uscc", data["uscc"])
    page.fill("#id_password", data["password"])
    page.fill("#id_password_again", data["password"])
    page.get_by_role("button", name="提交注册申请").click()  # no file chosen again
    page.wait_for_url("**/register/status/")
    assert page.get_by_test_id("status").inner_text() == "待审核"
    log_out(page)

    log_in(page, base, "demo_operator")
    page.goto(base + "/ops/reviews/")
    assert "剩余" in page.get_by_test_id("time-left").first.inner_text()
    page.get_by_role("link", name="无锡示例精密机械有限公司").click()
    page.fill("#id_reason_qualification_certificate", "资质证书不清晰，请重新上传")
    page.get_by_role("button", name="退回补正").click()
    page.get_by_text("已退回补正，并已通知申请人").wait_for()
    log_out(page)

    log_in(page, base, data["username"], data["password"])
    page.goto(base + "/register/status/")
    assert "资质证书不清晰" in page.get_by_test_id("returned-items").inner_text()
    page.set_input_files("#id_qualification_certificate", str(certificate))
    screenshot(page, "register-resubmit")
    page.get_by_role("button", name="提交补正材料").click()
    page.wait_for_url("**/register/status/")
    assert page.get_by_test_id("status").inner_text() == "待审核"
    log_out(page)

    log_in(page, base, "demo_operator")  # waits for a fresh code if the last one was used
    page.goto(base + "/ops/reviews/")
    page.get_by_role("link", name="无锡示例精密机械有限公司").click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="审核通过").click()
    page.get_by_text("已审核通过，并已通知申请人").wait_for()
    assert asked and "审核通过" in asked[0]
    log_out(page)

    log_in(page, base, data["username"], data["password"])
    page.wait_for_url("**/accounts/workbench/")
    assert "企业工作台" in page.get_by_test_id("role-nav").inner_text()
    assert "示例精密" in page.get_by_test_id("logout").inner_text()
    page.goto(base + "/register/status/")
    assert page.get_by_test_id("status").inner_text() == "审核通过"
    screenshot(page, "register-approved")
    assert page.csp_violations == []
