"""Remote technical support (OPS-1) through the pages and the API a user touches."""

import datetime as dt
import re
from urllib.parse import unquote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qihub.core.models import AuditEvent
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.notifications.models import Notification
from qihub.support.models import SupportRequest, SupportStatus
from qihub.workcal.calendar import TZ

# A Monday morning in Shanghai: the answer is due by the end of Tuesday.
NOW = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _page(response) -> str:
    return response.content.decode()


def _support_link(html: str) -> str:
    found = re.search(r'href="([^"]+)" data-testid="footer-support"', html)
    assert found, "every page has the 技术支持 link in its footer"
    return found.group(1).replace("&amp;", "&")


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


@pytest.mark.req("OPS-1")
def test_link_carries_page_and_role_reply_reaches_inbox_on_the_clock(
    client_as, enterprise, operator, frozen
):
    firm = client_as(enterprise)
    link = _support_link(_page(firm.get("/finance/")))
    assert unquote(link) == "/support/new/?page=/finance/"
    form = _page(firm.get(link))
    assert _hidden(form, "page") == "/finance/"
    assert "企业用户" in form and "已自动记录您刚才所在的页面" in form

    shot = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    sent = firm.post(
        link, {"page": "/finance/", "description": "金融产品打不开", "screenshot": shot}
    )
    assert sent.status_code == 302
    asked = SupportRequest.objects.get()
    assert (asked.page, asked.role, asked.status) == ("/finance/", "enterprise", "submitted")
    assert asked.screenshots.count() == 1
    assert (
        firm.get(f"/support/{asked.number}/screenshots/{asked.screenshots.get().pk}/").status_code
        == 200
    )
    (clock,) = clocks_for(asked)
    assert clock.code == "support_answer" and clock.state == ClockState.RUNNING
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 3, 10)

    # The staff's due list marks it overdue once the working day has passed.
    frozen.move_to(NOW + dt.timedelta(days=2))
    staff = client_as(operator)  # after the jump: staff sessions end when idle
    queue = _page(staff.get("/support/"))
    assert asked.number in queue and 'data-testid="support-overdue"' in queue
    detail = _page(staff.get(f"/support/{asked.number}/"))
    assert 'href="/finance/"' in detail and "企业用户" in detail

    answered = staff.post(
        f"/api/v1/support/requests/{asked.number}/answer",
        {"version": asked.version, "text": "请清除浏览器缓存后重试"},
    )
    assert answered.status_code == 200 and answered.json()["status_label"] == "已答复"
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED
    note = Notification.objects.get(recipient=enterprise, subject__contains=asked.number)
    assert note.body == "请清除浏览器缓存后重试"
    assert asked.number in _page(client_as(enterprise).get("/inbox/"))
    firm = client_as(enterprise)
    mine = _page(firm.get(f"/support/{asked.number}/"))
    assert "请清除浏览器缓存后重试" in mine and "已答复" in mine
    assert asked.number not in _page(staff.get("/support/"))

    # Still broken: more information reopens it and starts the clock again; then closed.
    asked.refresh_from_db()
    more = firm.post(
        f"/support/{asked.number}/add-info/", {"version": asked.version, "text": "仍然打不开"}
    )
    assert more.status_code == 302
    asked.refresh_from_db()
    assert asked.status == SupportStatus.SUBMITTED and "仍然打不开" in asked.description
    assert clocks_for(asked).filter(state=ClockState.RUNNING).count() == 1
    assert (
        firm.post(f"/support/{asked.number}/close/", {"version": asked.version}).status_code == 302
    )
    asked.refresh_from_db()
    assert asked.status == SupportStatus.CLOSED
    assert not clocks_for(asked).exclude(state=ClockState.STOPPED).exists()
    # The user may not answer, and staff may not close someone's request for them.
    assert (
        firm.post(f"/api/v1/support/requests/{asked.number}/answer", {"text": "x"}).status_code
        == 403
    )


@pytest.mark.req("OPS-1")
def test_error_number_of_the_500_page_prefills_the_form(client_as, enterprise, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("qihub.finance.views.is_decider", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(enterprise)
    failed = browser.get("/finance/", headers={"x-request-id": "ab12cd34"})
    assert failed.status_code == 500
    html = _page(failed)
    number = re.search(r'data-testid="error-number">([^<]+)<', html).group(1)
    link = re.search(r'href="([^"]+)" data-testid="support-link"', html).group(1)
    form = _page(browser.get(link))
    assert f'value="{number}"' in form and "错误编号" in form
    # Opened later from any page's footer, the number is still remembered.
    later = _page(browser.get("/support/new/?page=/orders/"))
    assert f'value="{number}"' in later
    browser.post("/support/new/", {"error_number": number, "description": "订单页报错"})
    assert SupportRequest.objects.get().error_number == number


@pytest.mark.req("OPS-1")
def test_bad_input_is_named_in_chinese_and_nothing_is_saved(client_as, enterprise, visitor):
    firm = client_as(enterprise)
    empty = _page(firm.post("/support/new/", {"description": ""}))
    assert "问题描述：必须填写" in empty
    outside = _page(
        firm.post("/support/new/", {"page": "https://evil.example/", "description": "x"})
    )
    assert "问题页面：只能是本平台内的页面地址" in outside
    fake = SimpleUploadedFile("截图.png", b"not an image at all", content_type="image/png")
    faked = _page(firm.post("/support/new/", {"description": "x", "screenshot": fake}))
    assert "问题截图：文件内容不是 PDF、JPG 或 PNG" in faked
    odd = _page(firm.post("/support/new/", {"description": "x", "error_number": "<script>"}))
    assert "错误编号：只能包含字母、数字和短横线" in odd
    anonymous = _page(client_as(visitor).post("/support/new/", {"description": "登录不了"}))
    assert "联系人：未登录时请填写" in anonymous and "联系电话：未登录时请填写" in anonymous
    # An address elsewhere offered in the link is dropped, never carried.
    assert _hidden(_page(firm.get("/support/new/?page=//evil.example/x")), "page") == ""
    assert not SupportRequest.objects.exists()
    api = firm.post("/api/v1/support/requests", {"description": ""})
    assert api.status_code == 422 and "问题描述：必须填写" in str(api.json())


@pytest.mark.req("OPS-1")
def test_visitor_asks_with_contact_details_and_api_member_follows_own(
    client_as, visitor, enterprise, individual, operator
):
    done = client_as(visitor).post(
        "/support/new/",
        {
            "description": "注册时收不到验证码",
            "contact_name": "王女士",
            "contact_phone": "13800000000",
        },
    )
    assert done.status_code == 200 and "技术支持请求已提交" in _page(done)
    asked = SupportRequest.objects.get()
    assert asked.submitter is None and asked.get_role_display() == "访客"

    mine = client_as(individual).post(
        "/api/v1/support/requests", {"description": "打印报告乱码", "page": "/orders/"}
    )
    assert mine.status_code == 201 and mine.json()["role_label"] == "个人用户"
    listed = client_as(individual).get("/api/v1/support/requests").json()
    assert [r["number"] for r in listed] == [mine.json()["number"]]
    assert client_as(enterprise).get("/api/v1/support/requests").json() == []
    assert len(client_as(operator).get("/api/v1/support/requests").json()) == 2
    assert client_as(enterprise).get(f"/support/{asked.number}/").status_code == 404


@pytest.mark.req("OPS-1")
def test_operator_sees_the_submitters_workbench_read_only_and_audited(
    client_as, enterprise, operator
):
    client_as(enterprise).post("/support/new/", {"description": "工作台上找不到订单"})
    asked = SupportRequest.objects.get()
    assert client_as(enterprise).get(f"/support/{asked.number}/as-user/").status_code == 403
    seen = _page(client_as(operator).get(f"/support/{asked.number}/as-user/"))
    assert "所见的工作台" in seen and "我的技术支持" in seen and "未关闭 1" in seen
    assert "<form" not in seen.split('data-testid="view-as"')[1].split("</main>")[0]
    audit = AuditEvent.objects.get(action="support_view_as")
    assert audit.actor == operator and audit.target_id == str(enterprise.pk)
    assert asked.number in audit.reason


@pytest.mark.req("OPS-1")
def test_answered_request_left_alone_is_closed_after_seven_days(
    client_as, enterprise, operator, frozen
):
    from qihub.support.workflow import close_stale

    client_as(enterprise).post("/support/new/", {"description": "导出表格打不开"})
    asked = SupportRequest.objects.get()
    client_as(operator).post(f"/support/{asked.number}/answer/", {"text": "请用表格软件打开"})
    frozen.move_to(NOW + dt.timedelta(days=6))
    assert close_stale() == 0
    frozen.move_to(NOW + dt.timedelta(days=8))
    assert close_stale() == 1
    asked.refresh_from_db()
    assert asked.status == SupportStatus.CLOSED
    assert "已关闭" in _page(client_as(enterprise).get(f"/support/{asked.number}/"))
