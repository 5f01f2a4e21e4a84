"""One service, one evaluation (EVAL-1) and return visits (EVAL-2)."""

import datetime as dt

import pytest

from qihub.evaluations.models import Evaluation, ReturnVisit
from qihub.notifications.models import Notification
from qihub.orders.models import Order
from qihub.orders.tests.test_orders import service

SCORES = {
    "process": 5,
    "timeliness": 4,
    "attitude": 5,
    "competence": 5,
    "overall": 5,
    "comment": "很专业",
}


def order_in(client_as, company, labs, *, finish: bool = True) -> Order:
    lab = labs["无锡塑料制品检验所"]
    client_as(company).post(
        f"/orders/new/{service(lab).pk}/", {"description": "PE 管", "quantity": 1}
    )
    order = Order.objects.get()
    lab_client = client_as(lab.account)
    lab_client.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    if finish:
        lab_client.post(f"/orders/{order.number}/complete/", {"version": order.version})
        order.refresh_from_db()
    return order


@pytest.mark.req("EVAL-1")
def test_the_client_evaluates_a_completed_order_once(client_as, company, labs):
    order = order_in(client_as, company, labs)
    ent = client_as(company)

    before = ent.get("/orders/").content.decode()
    first = ent.post(f"/orders/{order.number}/evaluate/", SCORES)
    second = ent.post(f"/orders/{order.number}/evaluate/", {**SCORES, "overall": 1})
    page = ent.get(f"/orders/{order.number}/").content.decode()

    assert first.status_code == 302
    assert second.status_code == 400 and "一事一评，不能重复评价" in second.content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.overall, evaluation.channel, evaluation.entered_by) == (5, "online", None)
    assert "总体 5 分" in page and "很专业" in page
    assert "待评价" in before and "已评价" in ent.get("/orders/").content.decode()  # the next step


@pytest.mark.req("EVAL-1")
def test_an_unfinished_order_or_someone_elses_cannot_be_evaluated(
    client_as, company, other_enterprise, labs
):
    order = order_in(client_as, company, labs, finish=False)

    early = client_as(company).post(f"/orders/{order.number}/evaluate/", SCORES)
    stranger = client_as(other_enterprise).post(f"/orders/{order.number}/evaluate/", SCORES)
    lab = client_as(order.institution.account).post(f"/orders/{order.number}/evaluate/", SCORES)

    assert early.status_code == 400 and "服务完成后才能评价" in early.content.decode()
    assert stranger.status_code == 404
    assert lab.status_code == 403
    assert not Evaluation.objects.exists()


@pytest.mark.req("EVAL-1")
@pytest.mark.parametrize(
    ("change", "message"),
    [({"overall": "9"}, "总体满意度：请打 1–5 分"), ({"process": ""}, "服务流程：请打分")],
)
def test_scores_outside_one_to_five_are_refused_by_name(client_as, company, labs, change, message):
    order = order_in(client_as, company, labs)

    response = client_as(company).post(f"/orders/{order.number}/evaluate/", {**SCORES, **change})

    assert response.status_code == 400 and message in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.req("EVAL-1")
def test_staff_enter_an_evaluation_received_by_phone_marked_as_such(
    client_as, company, operator, labs
):
    order = order_in(client_as, company, labs)

    client_as(operator).post(
        f"/orders/{order.number}/evaluate/", {**SCORES, "overall": 2, "channel": "phone"}
    )

    evaluation = Evaluation.objects.get()
    assert (evaluation.channel, evaluation.entered_by, evaluation.by) == (
        "phone",
        operator,
        company,
    )
    assert (
        "电话（工作人员代录）"
        in client_as(company).get(f"/orders/{order.number}/").content.decode()
    )
    # A dissatisfied result reaches the operators at once (it is analysed later, EVAL-6).
    assert Notification.objects.filter(
        recipient=operator, subject__startswith="不满意评价"
    ).exists()


@pytest.mark.req("EVAL-2")
def test_staff_schedule_a_return_visit_and_record_its_result(
    client_as, company, station_staff, labs
):
    order = order_in(client_as, company, labs)
    staff = client_as(station_staff)
    on = (dt.date.today() + dt.timedelta(days=3)).isoformat()

    staff.post(f"/orders/{order.number}/return-visits/", {"on": on})
    visit = ReturnVisit.objects.get(scheduled_by=station_staff)
    result = {
        "visit": visit.pk,
        "method": "电话",
        "result": "客户表示报告已用于投标",
        "satisfied": "true",
    }
    staff.post(f"/orders/{order.number}/return-visits/", result)
    page = staff.get(f"/orders/{order.number}/return-visits/").content.decode()
    refused = client_as(company).get(f"/orders/{order.number}/return-visits/")

    visit.refresh_from_db()
    assert visit.done_by == station_staff and visit.satisfied is True
    assert "客户表示报告已用于投标" in page and "满意" in page
    assert refused.status_code == 403


@pytest.mark.req("EVAL-2")
def test_a_return_visit_in_the_past_is_refused(client_as, company, operator, labs):
    order = order_in(client_as, company, labs)

    response = client_as(operator).post(
        f"/orders/{order.number}/return-visits/", {"on": "2020-01-01"}, follow=True
    )

    assert "计划回访日期：不能早于今天" in response.content.decode()
    # Only the visit the platform scheduled itself when the order was completed.
    assert list(ReturnVisit.objects.values_list("scheduled_by", flat=True)) == [None]


@pytest.mark.req("EVAL-1")
def test_the_api_evaluates_once_with_the_same_rules(client_as, company, labs):
    order = order_in(client_as, company, labs)
    ent = client_as(company)

    first = ent.post(f"/api/v1/orders/{order.number}/evaluation", SCORES)
    again = ent.post(f"/api/v1/orders/{order.number}/evaluation", SCORES)
    bad = ent.post(f"/api/v1/orders/{order.number}/evaluation", {**SCORES, "overall": 0})

    assert first.status_code == 201 and first.json()["overall"] == 5
    assert again.status_code == 409 and "一事一评" in again.json()["detail"]
    assert bad.status_code == 422 and "overall" in bad.json()["errors"]
