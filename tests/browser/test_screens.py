"""Issue 15's kept screenshots: a list, a form with an error and a detail page at 1280 and 375 px
(the crawl keeps every role's workbench at both widths), each checked for horizontal overflow."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("OPS-4")
def test_a_list_a_form_with_an_error_and_a_detail_page_fit_both_widths(
    live_server, page, demo_data
):
    from qihub.demands.models import Demand

    number = Demand.objects.filter(client__username="demo_enterprise").values_list(
        "number", flat=True
    )[0]
    base = live_server.url
    log_in(page, base, "demo_enterprise")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})

        page.goto(base + "/demands/")
        assert number in page.get_by_test_id("my-demands").inner_text()
        screenshot(page, f"screen-list-{width}px")

        page.goto(base + "/complaints/new/")
        page.get_by_role("button", name="提交投诉").click()
        page.wait_for_load_state()
        summary = page.get_by_test_id("form-error-summary")
        assert "需要修改" in summary.inner_text()
        assert "投诉内容：必须填写" in page.locator(".field-error").all_inner_texts()
        screenshot(page, f"screen-form-error-{width}px")

        page.goto(f"{base}/demands/{number}/")
        assert number in page.locator("main").inner_text()
        trail = page.get_by_test_id("breadcrumbs").inner_text()
        assert "首页" in trail and "我的需求" in trail
        screenshot(page, f"screen-detail-{width}px")

        for path in ("/demands/", "/complaints/new/", f"/demands/{number}/"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
