"""The self-service kiosk (STA-3): public look-up without log-in, report printing by the code
on the report or the owner's phone QR, queue tickets and guide slips, and the idle reset."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from qihub.catalog.models import ServiceItem
from qihub.catalog.workflow import publish
from qihub.core import testing
from qihub.kiosk.models import QueueTicket
from qihub.orders.models import Report
from qihub.orders.tests.test_reports import institution_pdf, issue

pytestmark = [pytest.mark.req("STA-3"), pytest.mark.django_db]


def set_up_terminal(client, station) -> None:
    """What the installer does once: open the start page with the station's number."""
    assert client.get(f"/kiosk/?station={station.pk}").status_code == 302


@pytest.fixture
def issued(client_as, running_order) -> Report:
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    return Report.objects.get()


def print_address(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_the_start_page_offers_every_service_in_big_targets_without_the_site_navigation(client):
    station = testing.station()
    set_up_terminal(client, station)

    page = client.get("/kiosk/").content.decode()

    assert station.name in page
    for label in ("办事指南", "查找机构", "服务站点", "通知公告", "打印报告", "取号"):
        assert f'<span class="kiosk-tile-name">{label}</span>' in page
    assert "主导航" not in page and "登录" not in page
    assert "kiosk/kiosk.js" in page and "<script>" not in page  # CSP: no inline script


def test_an_unknown_station_in_the_set_up_address_is_a_clear_error(client):
    response = client.get("/kiosk/?station=999")

    assert response.status_code == 404
    assert "没有该服务站点" in response.content.decode()


def test_guides_open_without_log_in_and_print_as_a_slip(client):
    item = ServiceItem.objects.filter(guides__isnull=False).first()

    listing = client.get("/kiosk/guides/").content.decode()
    guide = client.get(f"/kiosk/guides/{item.code}/").content.decode()
    slip = client.get(f"/kiosk/guides/{item.code}/slip/").content.decode()

    assert item.name in listing and f"/kiosk/guides/{item.code}/" in listing
    assert "申请材料" in guide and "打印办事指引单" in guide
    assert 'data-autoprint="1"' in slip and "办事指引单" in slip and "服务热线" in slip


def test_institutions_stations_and_notices_are_public(client, labs, operator):
    testing.station("梁溪服务站")
    notice = publish(by=operator, title="元旦假期服务安排", body="一月一日休息。")

    found = client.get("/kiosk/institutions/", {"q": "塑料管材"}).content.decode()
    stations = client.get("/kiosk/stations/").content.decode()
    notices = client.get("/kiosk/notices/").content.decode()
    one = client.get(f"/kiosk/notices/{notice.pk}/").content.decode()

    assert "无锡塑料制品检验所" in found
    assert "梁溪服务站" in stations and "江苏省" in stations  # the region in words
    assert "元旦假期服务安排" in notices and "一月一日休息" in one


def test_the_right_number_and_code_print_the_report(client, issued):
    response = client.post(
        "/kiosk/report/", {"number": issued.number, "code": issued.verification_code}
    )
    page = client.get(print_address(response))
    frame = re.search(r'src="([^"]+report\.pdf)"', page.content.decode()).group(1)
    pdf = client.get(frame)

    assert page.status_code == 200 and issued.number in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert "attachment" not in pdf.get("Content-Disposition", "")  # shown, to be printed


def test_lower_case_and_spaces_in_the_code_are_forgiven(client, issued):
    response = client.post(
        "/kiosk/report/",
        {"number": f" {issued.number.lower()} ", "code": issued.verification_code.lower()},
    )

    assert response.status_code == 302


def test_a_wrong_code_is_refused_in_chinese_and_nothing_is_shown(client, issued):
    response = client.post("/kiosk/report/", {"number": issued.number, "code": "AAAAAAAAAA"})
    page = response.content.decode()

    assert response.status_code == 400
    assert "报告编号或核验码不正确" in page
    assert issued.conclusion not in page and "report.pdf" not in page


def test_missing_fields_are_named(client, issued):
    page = client.post("/kiosk/report/", {"number": "", "code": ""}).content.decode()

    assert "报告编号：请填写报告编号" in page and "核验码：请填写报告封面上的核验码" in page


def test_the_owners_phone_qr_prints_the_report_at_the_kiosk(client_as, client, company, issued):
    phone = client_as(company)
    order_page = phone.get(f"/orders/{issued.order.number}/").content.decode()
    qr_page = phone.get(f"/orders/{issued.order.number}/kiosk-qr/").content.decode()
    from qihub.kiosk.printing import phone_token

    token = phone_token(issued)  # what the QR on that page carries; the scanner types it
    response = client.post("/kiosk/report/", {"token": token})

    assert "在自助终端打印" in order_page
    assert "data:image/svg+xml;base64," in qr_page and "5 分钟内有效" in qr_page
    assert client.get(print_address(response)).status_code == 200


def test_an_expired_qr_is_refused(client, issued):
    from qihub.kiosk.printing import phone_token

    with time_machine.travel(timezone.now() - dt.timedelta(minutes=6), tick=False):
        token = phone_token(issued)
    response = client.post("/kiosk/report/", {"token": token})

    assert response.status_code == 400
    assert "二维码已过期" in response.content.decode()


def test_a_made_up_or_altered_qr_is_refused(client, issued):
    from qihub.kiosk.printing import phone_token

    forged = phone_token(issued)[:-2] + "xx"
    response = client.post("/kiosk/report/", {"token": forged})

    assert response.status_code == 400 and "二维码无法识别" in response.content.decode()


def test_an_expired_print_page_no_longer_shows_the_report(client, issued):
    response = client.post(
        "/kiosk/report/", {"number": issued.number, "code": issued.verification_code}
    )
    address = print_address(response)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        page = client.get(address)
        pdf = client.get(address + "report.pdf")

    assert page.status_code == 400 and "打印页面已失效" in page.content.decode()
    assert issued.number not in page.content.decode()
    assert pdf.status_code == 404


def test_nobody_else_gets_a_qr_for_another_persons_report(client_as, other_enterprise, issued):
    stranger = client_as(other_enterprise)
    lab = client_as(issued.order.institution.account)

    assert stranger.get(f"/orders/{issued.order.number}/kiosk-qr/").status_code == 404
    # The institution sees the order but is not its owner: no QR, and no button.
    assert lab.get(f"/orders/{issued.order.number}/kiosk-qr/").status_code == 404
    assert "在自助终端打印" not in lab.get(f"/orders/{issued.order.number}/").content.decode()


def test_guessing_codes_is_rate_limited(client, issued, settings):
    settings.RATELIMIT_ENABLE = True
    settings.QIHUB_RATES = {**settings.QIHUB_RATES, "kiosk_report": "3/m"}

    answers = [
        client.post("/kiosk/report/", {"number": issued.number, "code": f"WRONG{i}"}).status_code
        for i in range(4)
    ]
    last = client.post("/kiosk/report/", {"number": issued.number, "code": "WRONG9"})

    assert answers[:3] == [400, 400, 400]
    assert last.status_code == 429 and "频繁" in last.content.decode()


def test_tickets_are_numbered_per_station_per_day(client):
    wuxi, other = testing.station(), testing.station("梁溪服务站")
    second = type(client)()
    set_up_terminal(client, wuxi)
    set_up_terminal(second, other)

    first = client.post("/kiosk/ticket/", {"service": "consultation"})
    again = client.post("/kiosk/ticket/", {"service": "report"})
    elsewhere = second.post("/kiosk/ticket/", {"service": "sample"})
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        tomorrow = client.post("/kiosk/ticket/", {"service": "report"})
    printed = client.get(again["Location"]).content.decode()

    numbers = [
        QueueTicket.objects.get(pk=r["Location"].rstrip("/").rsplit("/", 1)[1]).label
        for r in (first, again, elsewhere, tomorrow)
    ]
    assert numbers == ["001", "002", "001", "001"]
    assert "002" in printed and "报告领取" in printed and "在您之前已取 1 个号" in printed
    assert 'data-autoprint="1"' in printed and wuxi.name in printed


def test_a_ticket_needs_a_service_and_a_set_up_terminal(client):
    unset = client.get("/kiosk/ticket/").content.decode()
    set_up_terminal(client, testing.station())
    empty = client.post("/kiosk/ticket/", {})

    assert "尚未设置所属服务站点" in unset
    assert empty.status_code == 400 and "办理业务：" in empty.content.decode()
    assert QueueTicket.objects.count() == 0


def test_another_terminal_cannot_reprint_a_stations_ticket(client):
    set_up_terminal(client, testing.station())
    taken = client.post("/kiosk/ticket/", {"service": "other"})["Location"]

    assert type(client)().get(taken).status_code == 404


def test_the_reset_forgets_the_session_but_keeps_the_terminals_station(client, company):
    station = testing.station()
    set_up_terminal(client, station)
    client.force_login(company)

    response = client.post("/kiosk/reset/")

    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    assert "_auth_user_id" not in client.session
    assert station.name in client.get("/kiosk/").content.decode()


# --- the same authorisation through the API -------------------------------------------------
def test_the_api_prints_with_the_right_code_and_refuses_a_wrong_one(client, issued):
    right = client.post(
        "/api/v1/kiosk/report", {"number": issued.number, "code": issued.verification_code}
    )
    wrong = client.post("/api/v1/kiosk/report", {"number": issued.number, "code": "AAAAAAAAAA"})
    empty = client.post("/api/v1/kiosk/report", {})
    pdf = client.get(right.json()["pdf"])

    assert right.status_code == 200 and right.json()["number"] == issued.number
    assert right.json()["expires_in_seconds"] == 300
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert wrong.status_code == 403 and "报告编号或核验码不正确" in wrong.json()["detail"]
    assert empty.status_code == 422
    assert set(empty.json()["errors"]) == {"number", "code"}


def test_the_api_gives_the_owner_a_phone_token_and_nobody_else(
    client_as, client, company, other_enterprise, issued
):
    number = issued.order.number
    mine = client_as(company).get(f"/api/v1/orders/{number}/kiosk-token")
    theirs = client_as(other_enterprise).get(f"/api/v1/orders/{number}/kiosk-token")
    lab = client_as(issued.order.institution.account).get(f"/api/v1/orders/{number}/kiosk-token")
    anonymous = client.get(f"/api/v1/orders/{number}/kiosk-token")
    printed = client.post("/api/v1/kiosk/report", {"token": mine.json()["token"]})

    assert mine.status_code == 200 and printed.status_code == 200
    assert theirs.status_code == 404 and lab.status_code == 404
    assert anonymous.status_code == 401


def test_the_api_refuses_an_expired_phone_token(client_as, client, company, issued):
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=6), tick=False):
        token = client_as(company).get(f"/api/v1/orders/{issued.order.number}/kiosk-token")
    response = client.post("/api/v1/kiosk/report", {"token": token.json()["token"]})

    assert response.status_code == 403 and "二维码已过期" in response.json()["detail"]


def test_the_api_is_rate_limited_like_the_page(client, issued, settings):
    settings.RATELIMIT_ENABLE = True
    settings.QIHUB_RATES = {**settings.QIHUB_RATES, "kiosk_report": "2/m"}

    codes = [
        client.post("/api/v1/kiosk/report", {"number": issued.number, "code": "X"}).status_code
        for _ in range(3)
    ]

    assert codes == [403, 403, 429]


def test_the_back_office_lists_the_days_tickets(client, client_as, admin):
    station = testing.station()
    set_up_terminal(client, station)
    client.post("/kiosk/ticket/", {"service": "sample"})

    page = client_as(admin).get("/admin/kiosk/queueticket/")

    assert page.status_code == 200
    assert station.name in page.content.decode() and "送样与委托" in page.content.decode()
