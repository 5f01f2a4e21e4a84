"""Reject (不予通过), resubmission through the API and change-report history on the one workflow
mechanism: the same table answers the review page and the API (ACC-6, ACC-7)."""

import datetime as dt

import pytest

from qihub.deadlines.models import Clock
from qihub.notifications.models import Notification
from qihub.onboarding.models import Application, ApplicationEvent, ChangeReport
from qihub.onboarding.tests import helpers
from qihub.onboarding.tests.test_changes import member, report  # noqa: F401 - fixture

TODAY = dt.date.today().isoformat()


@pytest.fixture
def application(client, db):
    helpers.submit(client, "enterprise", helpers.enterprise())
    return Application.objects.get()


def assert_rejected(application: Application, operator) -> None:
    application.refresh_from_db()
    assert application.status == "rejected" and application.decided_at is not None
    assert application.applicant.verified_at is None  # the account stays unverified
    event = application.events.get(kind="rejected")
    assert (event.from_status, event.to_status, event.by, event.note) == (
        "submitted",
        "rejected",
        operator,
        "营业执照与申请主体不一致，且无法补正",
    )
    assert Clock.objects.get(code="account_review").state == "stopped"
    notice = Notification.objects.get(
        recipient=application.applicant, subject="注册申请不予通过", channel="inbox"
    )
    assert "营业执照与申请主体不一致" in notice.body


@pytest.mark.req("ACC-6")
def test_an_operator_rejects_an_application_with_a_reason_on_the_review_page(
    application, client_as, operator
):
    reviewer = client_as(operator)
    page = reviewer.get(f"/ops/reviews/{application.pk}/").content.decode()

    done = reviewer.post(
        f"/applications/{application.pk}/reject/",
        {"reason": "营业执照与申请主体不一致，且无法补正"},
        follow=True,
    )

    assert "不予通过原因" in page
    assert done.status_code == 200 and "已决定不予通过" in done.content.decode()
    assert_rejected(application, operator)
    status_page = client_as(application.applicant).get("/register/status/").content.decode()
    assert "不予通过" in status_page and "无法补正" in status_page
    # Decided: the review page no longer offers any decision.
    assert "不予通过原因" not in reviewer.get(f"/ops/reviews/{application.pk}/").content.decode()


@pytest.mark.req("ACC-6")
def test_an_operator_rejects_an_application_through_the_api(application, client_as, operator):
    answer = client_as(operator).post(
        f"/api/v1/registrations/{application.pk}/reject",
        {"reason": "营业执照与申请主体不一致，且无法补正"},
    )

    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["status_label"]) == ("rejected", "不予通过")
    assert_rejected(application, operator)


@pytest.mark.req("ACC-6")
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused_naming_the_field(
    application, client_as, operator, reason
):
    reviewer = client_as(operator)

    api = reviewer.post(f"/api/v1/registrations/{application.pk}/reject", {"reason": reason})
    page = reviewer.post(f"/applications/{application.pk}/reject/", {"reason": reason}, follow=True)

    assert api.status_code == 422
    assert "不予通过原因：必须填写" in str(api.json())
    assert "不予通过原因：必须填写" in page.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert [e.kind for e in application.events.all()] == ["submitted"]


@pytest.mark.req("ACC-6")
@pytest.mark.parametrize("who", ["supervisor", "enterprise", "applicant"])
def test_only_a_decider_may_reject_and_a_refusal_changes_nothing(
    application, client_as, who, supervisor, enterprise
):
    user = {"supervisor": supervisor, "enterprise": enterprise}.get(who, application.applicant)
    data = {"reason": "不符合要求"}

    page = client_as(user).post(f"/applications/{application.pk}/reject/", data)
    api = client_as(user).post(f"/api/v1/registrations/{application.pk}/reject", data)

    # Someone else's application is not even known to an unrelated member.
    expected = 404 if who == "enterprise" else 403
    assert (page.status_code, api.status_code) == (expected, expected)
    application.refresh_from_db()
    assert application.status == "submitted" and application.decided_at is None
    assert ApplicationEvent.objects.count() == 1
    assert Clock.objects.get(code="account_review").state == "running"
    assert not Notification.objects.filter(subject="注册申请不予通过").exists()


@pytest.mark.req("ACC-6")
def test_the_applicant_resubmits_through_the_api(application, client_as, operator):
    returned = client_as(operator).post(
        f"/api/v1/registrations/{application.pk}/return",
        {"reason_business_licence": "营业执照模糊，请重新扫描", "note": ""},
    )
    applicant = client_as(application.applicant)
    missing = applicant.post(f"/api/v1/registrations/{application.pk}/resubmit", {"note": "x"})
    by_operator = client_as(operator).post(
        f"/api/v1/registrations/{application.pk}/resubmit",
        {"business_licence": helpers.pdf("新执照.pdf")},
    )
    done = applicant.post(
        f"/api/v1/registrations/{application.pk}/resubmit",
        {"business_licence": helpers.pdf("新执照.pdf"), "note": "已重新扫描"},
    )

    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert missing.status_code == 422 and "business_licence" in missing.json()["errors"]
    assert by_operator.status_code == 403
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["round"]) == ("submitted", 2)
    application.refresh_from_db()
    events = list(application.events.all())
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        ("submitted", "", "submitted"),
        ("returned", "submitted", "returned"),
        ("resubmitted", "returned", "submitted"),
    ]
    assert events[1].returned_items == [
        {"item": "business_licence", "label": "营业执照", "reason": "营业执照模糊，请重新扫描"}
    ]
    current = application.documents.get(kind="business_licence", superseded=False)
    assert current.original_name == "新执照.pdf"
    assert [c.state for c in Clock.objects.filter(code="account_review").order_by("id")] == [
        "stopped",
        "running",
    ]


@pytest.mark.req("ACC-7")
def test_each_change_report_step_writes_one_event(member, client_as, operator):  # noqa: F811
    organisation, member_client = member
    member_client.post("/member/changes/", report(TODAY, new_name="新名称有限公司"))
    member_client.post("/member/changes/", report(TODAY, new_address="新住所 8 号"))
    returned_one, approved_one = ChangeReport.objects.order_by("id")
    reviewer = client_as(operator)

    no_reason = reviewer.post(
        f"/ops/changes/{returned_one.pk}/decide/", {"action": "return"}, follow=True
    )
    reviewer.post(
        f"/ops/changes/{returned_one.pk}/decide/", {"action": "return", "note": "执照与名称不符"}
    )
    reviewer.post(f"/ops/changes/{approved_one.pk}/decide/", {"action": "approve"})
    looker = client_as(operator).get("/ops/changes/").content.decode()

    assert "审核意见：退回变更报备时必须填写原因" in no_reason.content.decode()
    returned = [
        (e.kind, e.from_status, e.to_status, e.by, e.note) for e in returned_one.events.all()
    ]
    assert returned == [
        ("reported", "", "submitted", organisation.account, ""),
        ("returned", "submitted", "returned", operator, "执照与名称不符"),
    ]
    approval = approved_one.events.get(kind="approved")
    assert (approval.before, approval.after) == (
        {"address": "江苏省无锡市滨湖区示例路 1 号"},
        {"address": "新住所 8 号"},
    )
    assert approved_one.events.count() == 2
    history = organisation.events.get(kind="changed")
    assert history.before == {"address": "江苏省无锡市滨湖区示例路 1 号"}
    assert (
        "审核通过"
        not in looker.split(f'data-report="{approved_one.pk}"')[1].split("</div></div>")[0]
    )


@pytest.mark.req("ACC-7")
def test_a_supervisor_may_not_decide_a_change_report(member, client_as, supervisor):  # noqa: F811
    _, member_client = member
    member_client.post("/member/changes/", report(TODAY, new_name="新名称有限公司"))
    change = ChangeReport.objects.get()

    refused = client_as(supervisor).post(f"/ops/changes/{change.pk}/decide/", {"action": "approve"})

    assert refused.status_code == 403
    change.refresh_from_db()
    assert change.status == "submitted" and change.events.count() == 1
