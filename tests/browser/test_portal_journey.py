"""The portal shell in real Chromium: home page, log-in as every demo role, phone screen."""

import pytest

from qihub.accounts.navigation import WORKBENCH_LABELS
from qihub.accounts.roles import SECOND_FACTOR
from qihub.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, current_totp
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("OPS-4")
def test_home_page_then_every_demo_role_logs_in_and_sees_its_navigation(
    live_server, page, demo_data
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("一站式找到")
    assert page.locator("[data-category]").count() == 10
    screenshot(page, "home")

    for account in DEMO_ACCOUNTS:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", account.username)
        page.fill("#id_password", DEMO_PASSWORD)
        if account.role in SECOND_FACTOR:
            page.fill("#id_otp_token", current_totp(account.username))
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/workbench/")

        nav = page.get_by_test_id("role-nav")
        assert WORKBENCH_LABELS[account.role] in nav.inner_text()
        # The Django admin is in the navigation of superusers only (the demo admin).
        assert ("管理后台" in nav.inner_text()) == (account.role == "admin")
        assert account.display_name in page.get_by_test_id("logout").inner_text()
        screenshot(page, f"workbench-{account.role}")

        page.get_by_test_id("logout").click()
        page.wait_for_url(live_server.url + "/")
        assert "登录" in page.get_by_test_id("role-nav").inner_text()

    assert page.csp_violations == []


@pytest.mark.req("OPS-4")
def test_wrong_password_is_explained_in_chinese(live_server, page, demo_data):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "demo_enterprise")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")

    assert "请输入一个正确的" in page.get_by_test_id("login-error").inner_text()


@pytest.mark.req("OPS-4")
def test_pages_fit_a_375px_phone_screen(live_server, page, demo_data):
    page.set_viewport_size({"width": 375, "height": 740})

    for path in ("/", "/info/", "/accounts/login/", "/no-such-page/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} is {overflow}px wide on a 375px screen"
    page.goto(live_server.url + "/")
    page.get_by_label("展开导航").click()
    login_link = page.get_by_test_id("role-nav").get_by_role("link", name="登录")
    login_link.wait_for(state="visible")
    page.wait_for_timeout(500)  # let the collapse animation settle before the screenshot
    assert "12315" in page.get_by_test_id("complaint-hotline").inner_text()
    screenshot(page, "home-375px")
    assert page.csp_violations == []


@pytest.mark.req("OPS-4")
def test_the_pages_this_round_added_fit_a_375px_phone_screen(live_server, page, demo_data):
    """Signed-in pages added with the workflow and security work: the demand with its 下单
    buttons, app devices, the second-factor page, the staff queue and opinions."""
    from qihub.demands.models import Demand
    from tests.browser.conftest import log_in

    page.set_viewport_size({"width": 375, "height": 740})
    demand = Demand.objects.filter(client__username="demo_enterprise").first()
    visits = {
        "demo_enterprise": [f"/demands/{demand.number}/", "/accounts/devices/", "/orders/"],
        "demo_operator": ["/accounts/second-factor/", "/ops/demands/", "/ops/opinions/"],
        "demo_station": ["/ops/demands/", "/ops/orders/", "/accounts/second-factor/"],
    }
    for username, paths in visits.items():
        page.context.clear_cookies()
        log_in(page, live_server.url, username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width}px wide on a 375px screen ({username})"
    assert page.csp_violations == []


@pytest.mark.req("OPS-4")
def test_the_search_and_qualification_pages_fit_a_375px_phone_screen(live_server, page, demo_data):
    """Issue 14's pages: the institution's qualifications, the operators' change queue, the
    synonyms and missed searches, the staff view of a demand's needs, and search results."""
    from qihub.demands.models import Demand
    from tests.browser.conftest import log_in

    page.set_viewport_size({"width": 375, "height": 740})
    demand = Demand.objects.filter(client__username="demo_enterprise").first()
    visits = {
        "demo_institution": ["/institution/qualifications/", "/search/?q=电子天平校准"],
        "demo_operator": [
            "/ops/qualification-changes/",
            "/ops/synonyms/",
            "/ops/synonyms/new/?word=大秤",
            "/ops/search-misses/",
            f"/demands/{demand.number}/",
        ],
    }
    for username, paths in visits.items():
        page.context.clear_cookies()
        log_in(page, live_server.url, username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width}px wide on a 375px screen ({username})"
            body = page.inner_text("body")
            assert "建设中" not in body and "Version" not in body, (username, path)
    assert page.csp_violations == []
