"""Full agency (DEM-11) through the pages and the API: the entrustment, online signing with the
second factor, the printed PDF and its signed upload, steps within scope and period only, the
client's withdrawal, and the order's 代办领取 closing the linked item."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from qihub.agency.models import AgencyStep, EntrustedItem, Entrustment
from qihub.catalog.models import ServiceItem
from qihub.core import testing

pytestmark = [pytest.mark.django_db, pytest.mark.req("DEM-11")]
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC)


def _service() -> ServiceItem:
    return ServiceItem.objects.order_by("category", "position").first()


def _create(client, agent, *, authorities=("submit", "collect"), order=None, **extra):
    data = {
        "agent": agent.pk,
        "item_1": _service().pk,
        "task_1": "代为办理压力表检定",
        "authorities": list(authorities),
        "handed_over": "营业执照复印件\n压力表清单",
        "period_from": "2026-06-01",
        "period_to": "2026-06-30",
        **extra,
    }
    if order is not None:
        data["order_1"] = order.pk
    return client.post("/agency/new/", data)


def _signed(client, enterprise, agent, **kwargs) -> Entrustment:
    answer = _create(client, agent, **kwargs)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    entrustment = Entrustment.objects.get(client=enterprise)
    device = TOTPDevice.objects.create(user=enterprise, name="手机", confirmed=True)
    answer = client.post(
        f"/agency/{entrustment.number}/sign/",
        {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"},
    )
    assert answer.status_code == 302
    entrustment.refresh_from_db()
    assert entrustment.status == "active"
    return entrustment


@time_machine.travel(NOW, tick=False)
def test_the_client_fills_in_and_signs_online_with_a_current_code(
    client_as, enterprise, station_staff
):
    page = client_as(enterprise)
    answer = _create(page, station_staff)
    entrustment = Entrustment.objects.get(client=enterprise)
    assert answer.url == f"/agency/{entrustment.number}/"
    assert entrustment.status == "signing" and entrustment.agent == station_staff
    shown = page.get(answer.url).content.decode()
    assert "代为提交申请、代为领取证书报告" in shown and "待委托人签署" in shown

    # A wrong code is refused with the reason, and nothing is signed.
    device = TOTPDevice.objects.create(user=enterprise, name="手机", confirmed=True)
    wrong = f"{(totp(device.bin_key) + 500_000) % 1_000_000:06d}"
    refused = page.post(
        f"/agency/{entrustment.number}/sign/", {"password": PASSWORD, "code": wrong}, follow=True
    )
    assert "当前动态口令：不正确或已过期" in refused.content.decode()
    entrustment.refresh_from_db()
    assert entrustment.status == "signing"

    page.post(
        f"/agency/{entrustment.number}/sign/",
        {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"},
    )
    entrustment.refresh_from_db()
    assert entrustment.status == "active" and entrustment.signed_by == "online"
    assert "在线签署（动态口令确认）" in page.get(answer.url).content.decode()


def test_an_enterprise_adds_an_authenticator_then_signs_online(
    client_as, enterprise, station_staff
):
    """The enterprise path: no authenticator → the signing page links to adding one → added on
    the account page with the password → the entrustment is signed online with its code."""
    with time_machine.travel(NOW, tick=False) as clock:
        page = client_as(enterprise)
        answer = _create(page, station_staff)
        entrustment = Entrustment.objects.get(client=enterprise)
        shown = page.get(answer.url).content.decode()
        assert 'data-testid="need-authenticator"' in shown
        assert 'href="/accounts/second-factor/"' in shown
        refused = page.post(
            f"/agency/{entrustment.number}/sign/",
            {"password": PASSWORD, "code": "123456"},
            follow=True,
        )
        assert "您还没有添加动态口令验证器" in refused.content.decode()

        workbench = page.get("/accounts/workbench/").content.decode()
        assert 'data-testid="second-factor-link"' in workbench
        clock.shift(60)
        page.post("/accounts/second-factor/add/", {"name": "手机", "password": PASSWORD})
        device = TOTPDevice.objects.get(user=enterprise, confirmed=False)
        clock.shift(60)
        page.post("/accounts/second-factor/confirm/", {"code": f"{totp(device.bin_key):06d}"})
        device.refresh_from_db()
        assert device.confirmed
        assert 'data-testid="need-authenticator"' not in page.get(answer.url).content.decode()

        clock.shift(60)
        page.post(
            f"/agency/{entrustment.number}/sign/",
            {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"},
        )
        entrustment.refresh_from_db()
        assert entrustment.status == "active" and entrustment.signed_by == "online"


@time_machine.travel(NOW, tick=False)
def test_bad_input_names_the_field_and_saves_nothing(client_as, enterprise, station_staff):
    page = client_as(enterprise)
    answer = _create(page, station_staff, authorities=(), period_to="2026-05-01", task_1="")
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "授权范围：至少勾选一项" in body and "委托期限止：不能早于委托期限起" in body
    assert "委托事项1：请填写代办内容" in body
    assert not Entrustment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_printed_pdf_and_the_signed_upload(client_as, enterprise, station_staff):
    page = client_as(enterprise)
    _create(page, station_staff)
    entrustment = Entrustment.objects.get(client=enterprise)
    pdf = page.get(f"/agency/{entrustment.number}/print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    not_pdf = SimpleUploadedFile("签字.pdf", b"not a pdf at all", "application/pdf")
    page.post(f"/agency/{entrustment.number}/sign-paper/", {"scan": not_pdf})
    entrustment.refresh_from_db()
    assert entrustment.status == "signing"

    scan = SimpleUploadedFile("签字.pdf", testing.pdf_bytes(), "application/pdf")
    page.post(f"/agency/{entrustment.number}/sign-paper/", {"scan": scan})
    entrustment.refresh_from_db()
    assert entrustment.status == "active" and entrustment.signed_by == "paper"
    assert entrustment.signed_scan.original_name == "签字.pdf"


@time_machine.travel(NOW, tick=False)
def test_the_agent_takes_steps_within_scope_and_the_client_sees_them(
    client_as, enterprise, station_staff
):
    entrustment = _signed(client_as(enterprise), enterprise, station_staff)
    item = entrustment.items.get()
    agent = client_as(station_staff)
    page = agent.get(f"/agency/{entrustment.number}/").content.decode()
    assert 'data-testid="step-submit"' in page and 'data-testid="step-sample"' not in page

    doc = SimpleUploadedFile("申请表.pdf", testing.pdf_bytes(), "application/pdf")
    agent.post(
        f"/agency/{entrustment.number}/step/submit/",
        {"item": item.pk, "note": "已向机构提交检定申请", "attachment": doc},
    )
    step = AgencyStep.objects.get()
    assert step.kind == "submit" and step.documents.get().original_name == "申请表.pdf"
    shown = client_as(enterprise).get(f"/agency/{entrustment.number}/").content.decode()
    assert "代为提交申请：已向机构提交检定申请" in shown and "申请表.pdf" in shown

    # Outside the scope: 代为送样 was not authorised — refused on page and API, nothing written.
    refused = agent.post(
        f"/agency/{entrustment.number}/step/sample/", {"item": item.pk, "note": "送样"}
    )
    assert refused.status_code == 403
    api = agent.post(
        f"/api/v1/agency/entrustments/{entrustment.number}/step/sample",
        {"item": item.pk, "note": "送样"},
    )
    assert api.status_code == 403
    assert "超出委托范围：委托书未授权“代为送样”" in api.json()["detail"]
    assert AgencyStep.objects.count() == 1

    # Collecting the certificate closes the item; then the agent can finish the entrustment.
    agent.post(
        f"/agency/{entrustment.number}/step/collect/", {"item": item.pk, "note": "证书已领取"}
    )
    item.refresh_from_db()
    assert item.status == "closed"
    agent.post(f"/agency/{entrustment.number}/finish/")
    entrustment.refresh_from_db()
    assert entrustment.status == "done"


def test_no_step_after_the_period_ends(client_as, enterprise, station_staff):
    with time_machine.travel(NOW, tick=False):
        entrustment = _signed(client_as(enterprise), enterprise, station_staff)
    item = entrustment.items.get()
    with time_machine.travel(dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        api = client_as(station_staff).post(
            f"/api/v1/agency/entrustments/{entrustment.number}/step/submit",
            {"item": item.pk, "note": "补交材料"},
        )
    assert api.status_code == 409
    assert "不在委托期限内（2026-06-01 至 2026-06-30）" in api.json()["detail"]
    assert not AgencyStep.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_client_withdraws_and_open_items_stop(client_as, enterprise, station_staff):
    page = client_as(enterprise)
    entrustment = _signed(page, enterprise, station_staff)
    shown = page.get(f"/agency/{entrustment.number}/").content.decode()
    assert 'data-testid="withdraw" data-confirm="确定撤回委托吗？' in shown
    # The agent may not withdraw the client's entrustment.
    assert (
        client_as(station_staff).post(f"/agency/{entrustment.number}/withdraw/").status_code == 403
    )
    page.post(f"/agency/{entrustment.number}/withdraw/", {"reason": "自行办理"})
    entrustment.refresh_from_db()
    assert entrustment.status == "withdrawn"
    assert EntrustedItem.objects.get().status == "stopped"
    api = client_as(station_staff).post(
        f"/api/v1/agency/entrustments/{entrustment.number}/step/submit",
        {"item": entrustment.items.get().pk, "note": "继续"},
    )
    # Nothing more can be done on a withdrawn entrustment.
    assert api.status_code == 409
    assert "当前状态（委托人已撤回）不能代为提交申请" in api.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_the_orders_collection_by_the_agent_closes_the_linked_item(
    client_as, enterprise, station_staff
):
    order = testing.order_in("completed", enterprise)
    entrustment = _signed(client_as(enterprise), enterprise, station_staff, order=order)
    item = entrustment.items.get()
    agent = client_as(station_staff)
    # The agency page sends the report's collection to the order's 代办领取.
    direct = agent.post(
        f"/api/v1/agency/entrustments/{entrustment.number}/step/collect",
        {"item": item.pk, "note": "领取"},
    )
    assert direct.status_code == 409 and "请在订单页登记代办领取" in direct.json()["detail"]
    agent.post(
        f"/orders/{order.number}/collection/",
        {"collected_by": "王代办", "id_number": "320201199001011234"},
    )
    item.refresh_from_db()
    assert item.status == "closed"
    assert AgencyStep.objects.get().note.startswith("代办领取报告")


@time_machine.travel(NOW, tick=False)
def test_a_collection_outside_the_scope_is_refused_with_the_order(
    client_as, enterprise, station_staff
):
    order = testing.order_in("completed", enterprise)
    entrustment = _signed(
        client_as(enterprise), enterprise, station_staff, order=order, authorities=("submit",)
    )
    answer = client_as(station_staff).post(
        f"/api/v1/orders/{order.number}/collection",
        {"collected_by": "王代办", "id_number": "320201199001011234"},
    )
    assert answer.status_code == 409 and "未授权“代为领取证书报告”" in answer.json()["detail"]
    assert entrustment.items.get().status == "open"
    assert not order.report.collections.exists()


@time_machine.travel(NOW, tick=False)
def test_the_api_creates_lists_and_shows_the_steps(client_as, enterprise, station_staff):
    api = client_as(enterprise)
    bad = api.post("/api/v1/agency/entrustments", {"agent": station_staff.pk})
    assert bad.status_code == 422 and "authorities" in bad.json()["errors"]
    made = api.post(
        "/api/v1/agency/entrustments",
        {
            "agent": station_staff.pk,
            "item_1": _service().pk,
            "task_1": "代为申请",
            "authorities": ["submit"],
            "period_from": "2026-06-01",
            "period_to": "2026-06-30",
        },
    )
    assert made.status_code == 201
    number = made.json()["number"]
    assert made.json()["actions"] == ["sign_online", "sign_paper", "withdraw"]
    listed = client_as(station_staff).get("/api/v1/agency/entrustments").json()
    assert [e["number"] for e in listed] == [number]


@time_machine.travel(NOW, tick=False)
def test_workbench_cards_count_what_waits(client_as, enterprise, station_staff):
    _signed(client_as(enterprise), enterprise, station_staff)
    mine = client_as(enterprise).get("/agency/")
    assert mine.status_code == 200 and "代办中" in mine.content.decode()
    queue = client_as(station_staff).get("/agency/queue/")
    assert queue.status_code == 200 and "代办中" in queue.content.decode()
    bench = client_as(station_staff).get("/accounts/workbench/").content.decode()
    assert "代办事项" in bench


@time_machine.travel(NOW, tick=False)
def test_the_guide_leads_a_client_to_an_entrustment_with_the_item_preset(
    client_as, enterprise, station_staff
):
    service = ServiceItem.objects.exclude(flow="external").first()
    guide = client_as(enterprise).get(f"/services/{service.code}/").content.decode()
    link = f"/agency/new/?item={service.code}"
    assert f'href="{link}" data-testid="start-agency">委托全程代办</a>' in guide
    form = client_as(enterprise).get(link).content.decode()
    assert f'<option value="{service.pk}" selected>{service.name}</option>' in form
    # Staff are not offered it: they cannot entrust.
    staff = client_as(station_staff).get(f"/services/{service.code}/").content.decode()
    assert "start-agency" not in staff


@time_machine.travel(NOW, tick=False)
def test_signing_and_withdrawing_through_the_api(client_as, enterprise, station_staff):
    api = client_as(enterprise)
    _create(api, station_staff)
    number = Entrustment.objects.get().number
    device = TOTPDevice.objects.create(user=enterprise, name="手机", confirmed=True)
    wrong = api.post(
        f"/api/v1/agency/entrustments/{number}/sign", {"password": "错的", "code": "123456"}
    )
    assert wrong.status_code == 409 and "登录密码：不正确" in wrong.json()["detail"]
    signed = api.post(
        f"/api/v1/agency/entrustments/{number}/sign",
        {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"},
    )
    assert signed.status_code == 200 and signed.json()["status_label"] == "代办中"
    gone = api.post(f"/api/v1/agency/entrustments/{number}/withdraw", {"reason": "不再需要"})
    assert (
        gone.status_code == 200 and gone.json()["items"][0]["status_label"] == "已终止（委托撤回）"
    )
