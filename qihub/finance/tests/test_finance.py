"""The finance directory and referral requests (OPS-5) through pages and the API."""

import datetime as dt

import pytest
import time_machine

from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.finance.models import FinanceProduct, Referral, ReferralStatus
from qihub.notifications.models import Notification
from qihub.workcal.calendar import TZ

# A Monday morning in Shanghai: three working days later is Thursday.
NOW = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)

PRODUCT = {
    "kind": "quality_loan",
    "name": "质量信用贷",
    "provider": "某农村商业银行",
    "summary": "以企业质量信用、质量荣誉为依据发放的信用贷款。",
    "conditions": "近三年无重大质量事故；获得质量管理体系认证。",
    "terms": "最高 500 万元，期限 1 年",
    "contact": "0510-80000000",
    "active": "on",
}
APPLY = {
    "amount": "200",
    "purpose": "购置检测设备",
    "contact_name": "李经理",
    "contact_phone": "0510-87654321",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.req("OPS-5")
def test_referral_is_referred_on_the_clock_followed_up_and_its_outcome_kept(
    client_as, operator, enterprise, visitor
):
    staff = client_as(operator)
    assert staff.post("/finance/products/new/", PRODUCT).status_code == 302
    product = FinanceProduct.objects.get()
    directory = _page(client_as(visitor).get("/finance/"))
    assert "质量贷" in directory and "质量信用贷" in directory and "某农村商业银行" in directory
    assert "获得质量管理体系认证" in _page(
        client_as(visitor).get(f"/finance/products/{product.pk}/")
    )

    firm = client_as(enterprise)
    applied = firm.post(f"/finance/products/{product.pk}/", APPLY)
    assert applied.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.RECEIVED
    clock = clocks_for(referral).get()
    assert clock.code == "finance_referral"
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 3, 12)  # 3 working days

    due_list = _page(staff.get("/finance/referrals/"))
    assert referral.number in due_list and "剩余" in due_list
    refer = staff.post(
        f"/finance/referrals/{referral.number}/refer/",
        {"version": referral.version, "note": "已推送某农商行普惠金融部张经理"},
    )
    assert refer.status_code == 302
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED
    referral.refresh_from_db()
    follow = staff.post(
        f"/api/v1/finance/referrals/{referral.number}/follow_up",
        {"version": referral.version, "note": "银行已上门调查"},
    )
    assert follow.status_code == 200 and follow.json()["status_label"] == "跟进中"
    loaned = staff.post(
        f"/finance/referrals/{referral.number}/loaned/",
        {"version": follow.json()["version"], "note": "放款 200 万元"},
    )
    assert loaned.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.LOANED
    assert referral.outcome_note == "放款 200 万元"
    mine = _page(firm.get(f"/finance/referrals/{referral.number}/"))
    assert "已放款" in mine and "放款 200 万元" in mine and "跟进中 → 已放款" in mine
    assert Notification.objects.filter(
        recipient=enterprise, subject__contains="登记已放款"
    ).exists()
    # Concluded: off the staff's due list, and no further step is legal.
    assert referral.number not in _page(staff.get("/finance/referrals/"))
    late = staff.post(
        f"/api/v1/finance/referrals/{referral.number}/declined",
        {"version": referral.version, "note": "重复"},
    )
    assert late.status_code == 409


@pytest.mark.req("OPS-5")
def test_only_enterprises_apply_they_may_withdraw_and_bad_input_is_named(
    client_as, operator, enterprise, individual, other_enterprise
):
    made = client_as(operator).post(
        "/api/v1/finance/products", {**PRODUCT, "kind": "ip_pledge", "name": "知识产权质押贷"}
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (
        client_as(individual).post(f"/api/v1/finance/products/{pk}/referrals", APPLY).status_code
        == 403
    )
    bad = client_as(enterprise).post(
        f"/api/v1/finance/products/{pk}/referrals", {**APPLY, "purpose": "", "amount": "很多"}
    )
    assert bad.status_code == 422
    assert "资金用途或保障需求：必须填写" in str(bad.json()) and "需求金额（万元）" in str(
        bad.json()
    )
    assert Referral.objects.count() == 0

    applied = client_as(enterprise).post(f"/api/v1/finance/products/{pk}/referrals", APPLY)
    assert applied.status_code == 201
    number = applied.json()["number"]
    assert (
        client_as(other_enterprise)
        .post(f"/api/v1/finance/referrals/{number}/withdraw", {})
        .status_code
        == 404
    )
    gone = client_as(enterprise).post(
        f"/finance/referrals/{number}/withdraw/", {"note": "已自筹资金"}
    )
    assert gone.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert clocks_for(referral).get().state == ClockState.STOPPED
