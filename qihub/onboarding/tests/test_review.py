"""Review within 3 working days; return per item, supplement, resubmit, approve (ACC-6)."""

import datetime as dt

import pytest
import time_machine

from qihub.deadlines.models import Clock
from qihub.notifications.models import Notification
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers
from qihub.workcal.calendar import TZ


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def submitted(client, db):
    """An enterprise that registered on Wednesday 30 September 2026, before National Day."""
    with time_machine.travel(at("2026-09-30 16:00"), tick=False):
        helpers.submit(client, "enterprise", helpers.enterprise())
    return client, Application.objects.get()


@pytest.mark.req("ACC-6")
def test_the_queue_shows_the_three_working_day_deadline_and_time_left(
    submitted, client_as, operator
):
    with time_machine.travel(at("2026-10-08 09:00"), tick=False):
        page = client_as(operator).get("/ops/reviews/").content.decode()

    assert "无锡示例精密机械有限公司" in page
    assert "2026-10-10 23:59" in page  # the make-up Saturday is the 3rd working day
    assert "剩余 2 个工作日" in page


@pytest.mark.req("ACC-6")
def test_return_supplement_resubmit_and_approve_with_history_and_notifications(
    submitted, client_as, operator
):
    _, application = submitted
    reviewer = client_as(operator)
    applicant_client = client_as(application.applicant)

    with time_machine.travel(at("2026-10-08 10:00"), tick=False):
        returned = reviewer.post(
            f"/applications/{application.pk}/return/",
            {
                "note": "请补充材料",
                "reason_qualification_certificate": "资质证书已过期，请上传有效证书",
            },
        )
    with time_machine.travel(at("2026-10-08 10:05"), tick=False):
        status_page = applicant_client.get("/register/status/").content.decode()
    with time_machine.travel(at("2026-10-09 11:00"), tick=False):
        # The next day: the applicant's session has timed out too (30 idle minutes).
        resubmitted = client_as(application.applicant).post(
            f"/applications/{application.pk}/resubmit/",
            {
                "qualification_certificate": helpers.pdf("新资质证书.pdf"),
                "note": "已更换",
            },
        )
    with time_machine.travel(at("2026-10-12 09:30"), tick=False):
        # Days later: the reviewer's earlier session has timed out, so a fresh log-in.
        approved = client_as(operator).post(f"/applications/{application.pk}/approve/")

    assert returned.status_code == resubmitted.status_code == approved.status_code == 302
    assert approved["Location"] == f"/applications/{application.pk}/"
    assert "资质证书已过期，请上传有效证书" in status_page and "退回补正" in status_page
    application.refresh_from_db()
    assert (application.status, application.round) == ("approved", 2)
    assert application.applicant.verified_at is not None
    assert [e.kind for e in application.events.all()] == [
        "submitted",
        "returned",
        "resubmitted",
        "approved",
    ]
    clocks = list(Clock.objects.filter(code="account_review").order_by("started_at"))
    assert [c.state for c in clocks] == ["stopped", "stopped"]
    # A new 3-working-day clock from Fri 9 Oct: the make-up Sat 10th, Mon 12th, Tue 13th.
    assert clocks[1].due_at == at("2026-10-13 23:59:59")
    subjects = list(
        Notification.objects.filter(recipient=application.applicant, channel="inbox")
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects == ["注册申请已提交", "注册申请需要补正材料", "注册申请已审核通过"]
    current = application.documents.filter(kind="qualification_certificate", superseded=False).get()
    assert current.original_name == "新资质证书.pdf"


@pytest.mark.req("ACC-6")
def test_a_return_needs_at_least_one_reason_and_a_supervisor_may_only_look(
    submitted, client_as, operator, supervisor
):
    _, application = submitted

    # The review page's older form (action field) reaches the same table.
    empty = client_as(operator).post(
        f"/ops/reviews/{application.pk}/", {"action": "return"}, follow=True
    )
    looked = client_as(supervisor).get(f"/ops/reviews/{application.pk}/")
    decided = client_as(supervisor).post(f"/applications/{application.pk}/approve/")

    assert "退回原因：请至少为一项材料填写退回原因" in empty.content.decode()
    assert looked.status_code == 200 and decided.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.req("ACC-6")
def test_an_unanswered_application_is_escalated_when_its_three_days_pass(submitted, supervisor):
    from django.core.management import call_command

    with time_machine.travel(at("2026-10-11 08:00"), tick=False):
        call_command("sweep", "--no-deliver", stdout=__import__("io").StringIO())

    assert Notification.objects.filter(recipient=supervisor, subject="超时督办：注册审核").exists()
