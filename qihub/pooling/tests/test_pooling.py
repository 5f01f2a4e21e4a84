"""Pooled demands (DEM-13) through the pages and the API: similar open demands of different
enterprises are grouped (mixed wording, unrelated ones apart), pooled into a batch for one
institution, offered at a price per enterprise with a period, accepted (own order, own report)
or declined (demand untouched), with the refusals."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from qihub.accounts.models import Role
from qihub.core import testing
from qihub.deadlines.queries import open_clock
from qihub.demands.models import Demand, DemandStatus
from qihub.orders.models import Order
from qihub.pooling.models import Batch, BatchMember

pytestmark = [pytest.mark.django_db, pytest.mark.req("DEM-13")]
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC)  # a Tuesday


def _enterprise(name: str):
    user = testing.VerifiedUserFactory(role=Role.ENTERPRISE)
    testing.OrganisationFactory(account=user, name=name)
    return user


def _cable(client, title: str, product: str = "", **fields) -> Demand:
    return testing.demand(
        client,
        category="testing",
        title=title,
        product=product,
        standard=fields.pop("standard", ""),
        description=fields.pop("description", "我司产品需要送检，请推荐机构"),
        **fields,
    )


def _lab(account):
    account.verified_at = NOW
    account.save(update_fields=["verified_at"])
    lab = testing.institution(
        "无锡电缆检测中心",
        account=account,
        scope=(("testing", "电线电缆", "导体电阻", "GB/T 3048.4-2007"),),
        categories=["testing"],
        qualification_type="CMA",
    )
    service = lab.services.get()
    service.price = Decimal("800.00")
    service.save(update_fields=["price"])
    return lab, service


@pytest.fixture
def demands(enterprise, other_enterprise):
    """Eleven open demands of mixed wording; three enterprises want the cable test."""
    third = _enterprise("无锡第三线缆有限公司")
    fourth = _enterprise("无锡食品有限公司")
    fifth = _enterprise("无锡第二食品有限公司")
    made = {
        "a": _cable(enterprise, "电线电缆 导体电阻检测", "电力电缆"),
        "b": _cable(other_enterprise, "电缆导体电阻检测", "低压电缆"),
        "c": _cable(third, "电线电缆导体电阻测试", "控制电缆"),
        # Same standard, other wording: joins the cable group through the standard number.
        "d": _cable(fourth, "导线直流电阻", standard="GB/T 3956-2008"),
        "e": _cable(third, "绝缘导线检验", standard="GB/T 3956-2008"),
        "f": _cable(fourth, "食品微生物检测", "糕点"),
        "g": _cable(fifth, "食品中微生物指标检验", "面包"),
        # Unrelated: must not group with anything.
        "h": testing.demand(enterprise, title="压力表检定", product="压力表"),
        "i": _cable(other_enterprise, "口罩过滤效率检测", "医用口罩"),
        "j": _cable(fifth, "电梯限速器校验", "曳引电梯"),
        # A closed demand is never offered for pooling.
        "k": _cable(fifth, "电线电缆导体电阻检测", "铜芯线", status=DemandStatus.CLOSED),
    }
    return made


def _groups(client, **query) -> list[dict]:
    answer = client.get("/api/v1/pooling/groups", query)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_grouping_finds_similar_demands_across_enterprises(client_as, operator, demands):
    groups = _groups(client_as(operator))
    sets = [set(g["demands"]) for g in groups]
    d = {k: v.number for k, v in demands.items()}
    cable = {d["a"], d["b"], d["c"]}
    assert any(cable <= s for s in sets)
    assert {d["f"], d["g"]} in sets
    grouped = set().union(*sets)
    for unrelated in ("h", "i", "j", "k"):
        assert d[unrelated] not in grouped
    # The page shows the groups with their counts.
    page = client_as(operator).get("/pooling/")
    html = page.content.decode()
    assert page.status_code == 200
    assert d["a"] in html and d["b"] in html and d["k"] not in html
    assert "家企业" in html


def test_filters_by_category_industry_words_and_region(client_as, operator, demands):
    d = {k: v.number for k, v in demands.items()}
    food = _groups(client_as(operator), words="食品")
    assert [set(g["demands"]) for g in food] == [{d["f"], d["g"]}]
    assert _groups(client_as(operator), category="metrology") == []
    assert _groups(client_as(operator), region="310100") == []
    assert len(_groups(client_as(operator), region="320200")) == 3
    bad = client_as(operator).get("/api/v1/pooling/groups", {"category": "nonsense"})
    assert bad.status_code == 422


def _pool(client, demands, institution_name="无锡电缆检测中心", title="电缆导体电阻批量检测"):
    return client.post(
        "/api/v1/pooling/batches",
        {"title": title, "institution": institution_name, "demands": [x.number for x in demands]},
    )


@time_machine.travel(NOW, tick=False)
def test_pool_offer_accept_decline_each_gets_own_order(
    client_as, operator, institution, enterprise, other_enterprise, demands
):
    lab, service = _lab(institution)
    a, b, c = demands["a"], demands["b"], demands["c"]
    # The operator pools three enterprises' demands on the grouping page.
    page = client_as(operator).post(
        "/pooling/create/",
        {
            "title": "电缆导体电阻批量检测",
            "institution": lab.name,
            "demands": [a.number, b.number, c.number],
        },
    )
    batch = Batch.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/pooling/batches/{batch.number}/"
    assert batch.status == "offering"
    assert open_clock(batch, "pool_offer") is not None
    # Before the offer the enterprises have nothing to answer; the institution sees a to-do.
    assert client_as(enterprise).get(f"/pooling/batches/{batch.number}/").status_code == 404
    bench = client_as(institution).get("/accounts/workbench/").content.decode()
    assert "批量委托" in bench
    # The institution offers a price per enterprise and a period on its page.
    offered = client_as(institution).post(
        f"/pooling/batches/{batch.number}/offer/",
        {"service": service.pk, "price": "600", "period_days": "7", "version": batch.version},
    )
    assert offered.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "offered" and batch.price == Decimal("600.00")
    assert open_clock(batch, "pool_offer") is None
    member_a = BatchMember.objects.get(demand=a)
    assert open_clock(member_a, "pool_answer") is not None
    # The enterprise sees the offer and the saving on its demand page, and on its workbench.
    html = client_as(enterprise).get(f"/demands/{a.number}/").content.decode()
    assert "每家企业 ¥600.00" in html and "节省 ¥200.00" in html
    assert 'data-testid="accept-offer"' in html and "data-confirm" in html
    assert "批量报价" in client_as(enterprise).get("/accounts/workbench/").content.decode()
    # A accepts on the page: its own order from its own demand at the batch price.
    accepted = client_as(enterprise).post(
        f"/pooling/batches/{batch.number}/accept/", {"version": batch.version}
    )
    assert accepted.status_code == 302
    member_a.refresh_from_db()
    order = member_a.order
    assert member_a.answer == "accepted" and order is not None
    assert order.client == enterprise and order.demand == a and order.institution == lab
    assert order.price == Decimal("600.00") and order.period_days == 7
    a.refresh_from_db()
    assert a.status == DemandStatus.IN_SERVICE
    assert open_clock(member_a, "pool_answer") is None
    # B declines through the API: its demand is untouched.
    b_status = b.status
    batch.refresh_from_db()
    declined = client_as(other_enterprise).post(
        f"/api/v1/pooling/batches/{batch.number}/decline", {"reason": "已自行送检"}
    )
    assert declined.status_code == 200, declined.content
    members = {m["demand"]: m for m in declined.json()["members"]}
    assert members[b.number]["answer"] == "declined"
    assert members[a.number]["order"] == order.number
    b.refresh_from_db()
    assert b.status == b_status and not Order.objects.filter(demand=b).exists()
    # Answered: a second answer is refused, nothing changes.
    again = client_as(enterprise).post(f"/api/v1/pooling/batches/{batch.number}/decline", {})
    assert again.status_code == 403
    assert BatchMember.objects.get(demand=a).answer == "accepted"
    # The institution confirms A's order as usual; the batch shows the order's status.
    from qihub.orders import workflow as orders

    orders.confirm(order, by=institution, version=None)
    shown = client_as(operator).get(f"/pooling/batches/{batch.number}/").content.decode()
    assert order.number in shown and "服务中" in shown


@time_machine.travel(NOW, tick=False)
def test_refusals(
    client_as, operator, institution, other_institution, enterprise, other_enterprise, demands
):
    lab, service = _lab(institution)
    # A closed demand cannot be pooled.
    closed = _pool(client_as(operator), [demands["a"], demands["k"]])
    assert closed.status_code == 409
    assert "不能打包" in closed.json()["detail"]
    # One is not enough; an enterprise cannot pool; a missing institution names the field.
    assert _pool(client_as(operator), [demands["a"]]).status_code == 422
    assert _pool(client_as(enterprise), [demands["a"], demands["b"]]).status_code == 403
    missing = _pool(client_as(operator), [demands["a"], demands["b"]], institution_name="")
    assert missing.status_code == 422 and "institution" in missing.json()["errors"]
    control = client_as(operator).post(
        "/api/v1/pooling/batches",
        {
            "title": "批次",
            "institution": "无锡电缆检测中心",
            "demands": [demands["a"].number, "1\x00"],
        },
    )
    assert control.status_code == 422 and "控制字符" in str(control.json())
    assert not Batch.objects.exists()
    made = _pool(client_as(operator), [demands["a"], demands["b"]])
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    # A demand already in a batch cannot be pooled again.
    twice = _pool(client_as(operator), [demands["a"], demands["c"]])
    assert twice.status_code == 409 and "已在其他打包批次中" in twice.json()["detail"]
    # Another institution cannot offer; a bad price names the field.
    foreign = client_as(other_institution).post(
        f"/api/v1/pooling/batches/{number}/offer",
        {"service": service.pk, "price": "600", "period_days": "7"},
    )
    assert foreign.status_code == 404
    bad = client_as(institution).post(
        f"/api/v1/pooling/batches/{number}/offer",
        {"service": service.pk, "price": "-1", "period_days": "7"},
    )
    assert bad.status_code == 422 and "批量价格" in str(bad.json())
    ok = client_as(institution).post(
        f"/api/v1/pooling/batches/{number}/offer",
        {"service": service.pk, "price": "600", "period_days": "7"},
    )
    assert ok.status_code == 200, ok.json()
    # A foreign enterprise (not in the batch) cannot accept.
    outsider = _enterprise("无锡外来有限公司")
    assert (
        client_as(outsider).post(f"/api/v1/pooling/batches/{number}/accept", {}).status_code == 404
    )
    assert client_as(outsider).post(f"/pooling/batches/{number}/accept/", {}).status_code == 404
    assert not Order.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_institution_turns_down_and_demands_stay(client_as, operator, institution, demands):
    lab, _ = _lab(institution)
    number = _pool(client_as(operator), [demands["f"], demands["g"]]).json()["number"]
    empty = client_as(institution).post(f"/api/v1/pooling/batches/{number}/turn-down", {})
    assert empty.status_code == 422 and "原因" in str(empty.json())
    answer = client_as(institution).post(
        f"/api/v1/pooling/batches/{number}/turn-down", {"reason": "本机构不具备食品检测能力"}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "declined"
    # The demands are free to be pooled again.
    assert any(
        {demands["f"].number, demands["g"].number} == set(g["demands"])
        for g in _groups(client_as(operator))
    )


@time_machine.travel(NOW, tick=False)
def test_staff_cancel_an_offered_batch_and_the_answer_clocks_stop(
    client_as, operator, institution, enterprise, demands
):
    lab, service = _lab(institution)
    number = _pool(client_as(operator), [demands["a"], demands["b"]]).json()["number"]
    client_as(institution).post(
        f"/api/v1/pooling/batches/{number}/offer",
        {"service": service.pk, "price": "600", "period_days": "7"},
    )
    # An enterprise may not cancel; staff must give a reason.
    assert (
        client_as(enterprise)
        .post(f"/pooling/batches/{number}/cancel/", {"reason": "x"})
        .status_code
        == 403
    )
    page = client_as(operator).post(f"/pooling/batches/{number}/cancel/", {"reason": ""})
    assert page.status_code == 302 and Batch.objects.get().status == "offered"
    page = client_as(operator).post(
        f"/pooling/batches/{number}/cancel/", {"reason": "机构产能不足"}
    )
    assert page.status_code == 302
    batch = Batch.objects.get()
    assert batch.status == "cancelled"
    assert all(open_clock(m, "pool_answer") is None for m in batch.members.all())
    demands["a"].refresh_from_db()
    assert demands["a"].status == DemandStatus.PUBLISHED
    # Cancelled: the demands may be pooled again.
    assert _pool(client_as(operator), [demands["a"], demands["b"]]).status_code == 201
