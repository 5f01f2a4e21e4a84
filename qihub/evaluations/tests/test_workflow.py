"""The evaluation app's moves on the one workflow mechanism (ADR 0009): every rectification step
through the page and the API alike, as the right role (one event with from/to status), a wrong
role (403, nothing changed) and someone else's record (404); analyses and return visits write
their events too."""

import datetime as dt

import pytest

from qihub.evaluations import workflow
from qihub.evaluations.models import (
    Evaluation,
    EvaluationEvent,
    Rectification,
    RectificationEvent,
    ReturnVisit,
    ReturnVisitEvent,
)
from qihub.evaluations.tests.helpers import served_order
from qihub.evaluations.tests.test_evaluations import order_in


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.fixture
def opened(client_as, company, operator, lab) -> Rectification:
    """A rectification of the lab, opened through the page from a dissatisfied evaluation."""
    served_order(client_as, company, lab, overall=2, comment="样品丢失")
    evaluation = Evaluation.objects.get()
    client_as(operator).post(
        "/ops/rectifications/new/", {"evaluation": evaluation.pk, "problem": "样品管理混乱"}
    )
    return Rectification.objects.get()


def _bring_to(r: Rectification, status: str, lab, operator) -> Rectification:
    """Walk the record to `status` through the workflow (set-up, not the subject of the test)."""
    if status in ("planned", "acted"):
        r = workflow.submit_plan(r, by=lab.account, version=r.version, plan="计划")
    if status == "acted":
        r = workflow.record_actions(r, by=lab.account, version=r.version, actions="措施")
    return r


# (action, API path, who: "party" or "operator", data, from, to, event kind)
STEPS = [
    ("plan", "plan", "party", {"text": "增加夜班复核"}, "open", "planned", "planned"),
    ("actions", "actions", "party", {"text": "已增配人员"}, "planned", "acted", "acted"),
    (
        "verify",
        "verification",
        "operator",
        {"effective": "yes", "text": "抽查均合格"},
        "acted",
        "closed",
        "verified",
    ),
    (
        "verify",
        "verification",
        "operator",
        {"effective": "no", "text": "仍有问题"},
        "acted",
        "planned",
        "rejected",
    ),
]
WRONG = {"party": "supervisor", "operator": "party"}


def _post(client, layer: str, r: Rectification, action: str, api: str, data: dict):
    body = {"version": r.version, **data}
    if layer == "page":
        return client.post(f"/rectifications/{r.number}/{action}/", body)
    return client.post(f"/api/v1/rectifications/{r.number}/{api}", body)


def _actor(who: str, lab, operator, supervisor):
    return {"party": lab.account, "operator": operator, "supervisor": supervisor}[who]


@pytest.mark.req("EVAL-9")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(("action", "api", "who", "data", "source", "target", "kind"), STEPS)
def test_each_step_by_the_right_role_writes_one_event_with_from_and_to(
    client_as,
    opened,
    lab,
    operator,
    supervisor,
    layer,
    action,
    api,
    who,
    data,
    source,
    target,
    kind,
):
    r = _bring_to(opened, source, lab, operator)
    before = RectificationEvent.objects.count()

    response = _post(client_as(_actor(who, lab, operator, supervisor)), layer, r, action, api, data)

    r.refresh_from_db()
    assert response.status_code == (302 if layer == "page" else 200)
    if layer == "api":
        assert response.json()["status"] == target
    assert r.status == target
    assert RectificationEvent.objects.count() == before + 1
    event = r.events.last()
    assert (event.kind, event.from_status, event.to_status) == (kind, source, target)
    assert event.by == _actor(who, lab, operator, supervisor)


@pytest.mark.req("EVAL-9")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(("action", "api", "who", "data", "source", "target", "kind"), STEPS)
def test_a_wrong_role_is_refused_with_403_and_nothing_changes(
    client_as,
    opened,
    lab,
    operator,
    supervisor,
    layer,
    action,
    api,
    who,
    data,
    source,
    target,
    kind,
):
    r = _bring_to(opened, source, lab, operator)
    before = (r.status, r.version, RectificationEvent.objects.count())
    wrong = _actor(WRONG[who], lab, operator, supervisor)

    response = _post(client_as(wrong), layer, r, action, api, data)

    r.refresh_from_db()
    assert response.status_code == 403
    assert (r.status, r.version, RectificationEvent.objects.count()) == before


@pytest.mark.req("EVAL-9")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(("action", "api", "who", "data", "source", "target", "kind"), STEPS)
def test_someone_elses_rectification_is_404(
    client_as,
    opened,
    lab,
    labs,
    operator,
    enterprise,
    layer,
    action,
    api,
    who,
    data,
    source,
    target,
    kind,
):
    r = _bring_to(opened, source, lab, operator)
    before = (r.status, r.version, RectificationEvent.objects.count())

    other_lab = client_as(labs["南京计量测试所"].account)
    stranger = _post(other_lab, layer, r, action, api, data)
    member = _post(client_as(enterprise), layer, r, action, api, data)

    r.refresh_from_db()
    assert stranger.status_code == 404 and member.status_code == 404
    assert (r.status, r.version, RectificationEvent.objects.count()) == before


@pytest.mark.req("EVAL-9")
def test_the_api_names_bad_fields_in_chinese_and_refuses_a_stale_version(
    client_as, opened, lab, operator
):
    inst = client_as(lab.account)
    url = f"/api/v1/rectifications/{opened.number}"

    empty = inst.post(f"{url}/plan", {"version": 1, "text": ""})
    no_version = inst.post(f"{url}/plan", {"text": "计划"})
    inst.post(f"{url}/plan", {"version": 1, "text": "计划"})
    stale = inst.post(f"{url}/actions", {"version": 1, "text": "措施"})
    inst.post(f"{url}/actions", {"version": 2, "text": "措施"})
    odd = client_as(operator).post(
        f"{url}/verification", {"version": 3, "effective": "maybe", "text": "好"}
    )
    shown = inst.get(url).json()

    assert empty.status_code == 422 and empty.json()["errors"]["text"] == ["内容：必须填写"]
    assert (
        no_version.status_code == 422 and "版本：必须填写" in no_version.json()["errors"]["version"]
    )
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["detail"]
    assert odd.status_code == 422 and "验证结论" in odd.json()["errors"]["effective"][0]
    assert (shown["status"], shown["may"]) == ("acted", [])
    assert list(RectificationEvent.objects.values_list("kind", flat=True)) == [
        "opened",
        "planned",
        "acted",
    ]


@pytest.mark.req("EVAL-9")
def test_the_page_shows_a_form_only_to_who_may_take_it_now(client_as, opened, lab, supervisor):
    party = client_as(lab.account).get(f"/rectifications/{opened.number}/").content.decode()
    watcher = client_as(supervisor).get(f"/rectifications/{opened.number}/").content.decode()

    assert f"/rectifications/{opened.number}/plan/" in party
    assert f"/rectifications/{opened.number}/verify/" not in party
    assert "/plan/" not in watcher and "/verify/" not in watcher
    opening = RectificationEvent.objects.get()
    assert (opening.kind, opening.from_status, opening.to_status) == ("opened", "", "open")


@pytest.mark.req("EVAL-1")
@pytest.mark.req("EVAL-6")
def test_evaluating_and_analysing_each_write_one_event(
    client_as, company, lab, operator, supervisor
):
    served_order(client_as, company, lab, overall=2, comment="样品丢失")
    evaluation = Evaluation.objects.get()
    url = f"/ops/evaluations/{evaluation.pk}/analyse/"

    refused = client_as(supervisor).post(url, {"analysis": "越权"})
    empty = client_as(operator).post(url, {"analysis": ""}, follow=True)
    client_as(operator).post(url, {"analysis": "样品交接无记录"})
    again = client_as(operator).post(url, {"analysis": "再次分析"}, follow=True)

    evaluation.refresh_from_db()
    assert refused.status_code == 403
    assert "不满意原因分析：必须填写" in empty.content.decode()
    assert "不能分析不满意原因" in again.content.decode()
    assert (evaluation.status, evaluation.analysis) == ("analysed", "样品交接无记录")
    rows = list(
        EvaluationEvent.objects.values_list("kind", "from_status", "to_status", "by__username")
    )
    assert rows == [
        ("evaluated", "", "evaluated", company.username),
        ("analysed", "evaluated", "analysed", "operator"),
    ]


@pytest.mark.req("EVAL-1")
def test_the_api_refuses_someone_who_did_not_order_with_403(client_as, company, labs):
    order = order_in(client_as, company, labs)

    lab = client_as(order.institution.account).post(
        f"/api/v1/orders/{order.number}/evaluation",
        {"process": 5, "timeliness": 5, "attitude": 5, "competence": 5, "overall": 5},
    )

    assert lab.status_code == 403
    assert not Evaluation.objects.exists() and not EvaluationEvent.objects.exists()


@pytest.mark.req("EVAL-2")
def test_scheduling_and_recording_a_return_visit_each_write_one_event(
    client_as, company, labs, station_staff, operator
):
    order = order_in(client_as, company, labs)
    staff = client_as(station_staff)
    url = f"/orders/{order.number}/return-visits/"
    on = (dt.date.today() + dt.timedelta(days=2)).isoformat()

    client_as(company).post(url, {"on": on})
    staff.post(url, {"on": on})
    # Completing the order already scheduled one visit by itself (EVAL-2); this is the manual one.
    visit = ReturnVisit.objects.get(scheduled_by=station_staff)
    result = {"visit": visit.pk, "method": "电话", "result": "报告已使用", "satisfied": "true"}
    client_as(company).post(url, result)
    staff.post(url, result)
    again = client_as(operator).post(url, {**result, "result": "再登记"}, follow=True)
    unknown = staff.post(url, {**result, "visit": visit.pk + 100})
    page = staff.get(url).content.decode()

    visit.refresh_from_db()
    assert (visit.status, visit.result, visit.done_by) == ("done", "报告已使用", station_staff)
    assert "当前状态（已回访）不能登记回访结果" in again.content.decode()
    assert unknown.status_code == 404
    assert page.count("登记结果</button>") == 1  # only the automatic visit is still to make
    rows = list(
        ReturnVisitEvent.objects.filter(visit=visit).values_list(
            "kind", "from_status", "to_status", "by"
        )
    )
    assert rows == [
        ("scheduled", "", "scheduled", station_staff.pk),
        ("recorded", "scheduled", "done", station_staff.pk),
    ]
