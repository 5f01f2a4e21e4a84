"""Issue 18 in real Chromium (ENT-1): an enterprise imports 200 instruments from the platform's
Excel template; three of them fall due (their dates in the file are relative to today); one click
on the ledger raises the demand; the operator sends the shortlist, the enterprise orders, the
institution confirms and issues the certificate through its pages; the certificate closes the
three schedules and sets their next due dates."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def ledger_file(today: dt.date) -> bytes:
    from qihub.equipment.import_excel import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in range(1, 201):
        due = today + dt.timedelta(days=10 if n <= 3 else 200 + n)
        name = "电子天平" if n <= 3 else "一般压力表"
        sheet.append(
            [
                name,
                "XS205",
                f"IMP-{n:03d}",
                "0～220 g",
                "Ⅰ级",
                "理化室",
                "李工",
                "否",
                "校准",
                12,
                "",
                due.isoformat(),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.req("ENT-1")
def test_import_two_hundred_three_fall_due_one_click_demand_certificate_closes_them(
    live_server, page, demo_data
):
    from django.utils import timezone

    from qihub.equipment.models import Schedule

    base = live_server.url
    today = timezone.localdate()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    log_in(page, base, "demo_enterprise")

    # Import 200 instruments from the template.
    page.goto(base + "/equipment/instruments/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "台账.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": ledger_file(today),
            }
        ],
    )
    page.get_by_role("button", name="导入").click()
    page.wait_for_url("**/equipment/instruments/")
    assert "已导入 200 台器具、200 项周期计划" in page.content()

    # Three fall due: the ledger's 即将到期 filter shows them, each with a tick box.
    page.fill("#id_q", "IMP-00")
    page.select_option("#id_status", "due_soon")
    page.get_by_role("button", name="筛选").click()
    due_rows = page.locator("table[data-testid=instruments] tbody tr")
    assert due_rows.count() == 3
    screenshot(page, "ledger-due")
    for n in (1, 2, 3):
        page.locator(f"tr[data-serial='IMP-00{n}'] [data-testid=pick]").check()
    page.get_by_test_id("request").click()
    page.wait_for_url("**/demands/XQ-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert "IMP-001" in page.content() and "IMP-003" in page.content()

    # The operator sends the shortlist computed for the demand.
    page.context.clear_cookies()
    log_in(page, base, "demo_operator")
    page.goto(f"{base}/demands/{number}/")
    assert "江南计量检测研究院（演示）" in page.get_by_test_id("shortlist").inner_text()
    page.get_by_role("button", name="发送推荐").click()
    page.wait_for_selector("[data-status='recommended']")

    # The enterprise orders from the shortlist.
    page.context.clear_cookies()
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/demands/{number}/")
    page.get_by_test_id("recommended").filter(has_text="江南计量检测研究院（演示）").get_by_role(
        "link", name="下单"
    ).click()
    page.wait_for_url("**/orders/new/*/?demand=*")
    page.fill("#id_description", "3 台电子天平校准")
    page.fill("#id_quantity", "3")
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_url("**/orders/DD-*/")
    order_url = page.url

    # The institution confirms and issues the certificate.
    from weasyprint import HTML

    pdf = HTML(string="<p style='font-family: Noto Sans CJK SC'>校准结果：符合要求</p>").write_pdf()
    page.context.clear_cookies()
    log_in(page, base, "demo_institution")
    page.goto(order_url)
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("[data-status='accepted']")
    page.set_input_files(
        "#id_report", files=[{"name": "校准证书.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.fill("#id_conclusion", "所校电子天平符合要求")
    page.get_by_role("button", name="签发报告").click()
    page.wait_for_selector("[data-status='completed']")

    # The certificate closed the three schedules: next due = the issue date + 12 months.
    closed = list(Schedule.objects.filter(item__serial__in=["IMP-001", "IMP-002", "IMP-003"]))
    done_on = closed[0].last_done
    page.context.clear_cookies()
    log_in(page, base, "demo_enterprise")
    page.goto(base + "/equipment/instruments/?q=IMP-001")
    page.locator("tr[data-serial='IMP-001']").get_by_role("link", name="电子天平").click()
    certificates = page.get_by_test_id("certificates").inner_text()
    screenshot(page, "ledger-certificate-closed")

    assert len(closed) == 3 and done_on is not None and abs((done_on - today).days) <= 1
    expected = dt.date(
        done_on.year + 1, done_on.month, min(done_on.day, 28 if done_on.month == 2 else done_on.day)
    )
    assert all(s.due_on == expected and s.demand_id is None for s in closed)
    assert "江南计量检测研究院（演示）" in certificates and f"{expected:%Y-%m-%d}" in certificates
    assert page.get_by_test_id("status").inner_text() == "有效"
    assert page.csp_violations == []
