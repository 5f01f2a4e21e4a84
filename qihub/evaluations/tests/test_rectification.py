"""Rectification within 15 working days with the re-check published (EVAL-9)."""

import datetime as dt

import pytest
import time_machine

from qihub.complaints.models import Complaint, ComplaintType
from qihub.deadlines.models import Clock
from qihub.evaluations.models import Evaluation, Rectification
from qihub.evaluations.tests.helpers import served_order
from qihub.workcal.calendar import TZ


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


def substantiated_complaint(client_as, company, operator, lab) -> Complaint:
    client_as(company).post(
        "/complaints/new/",
        {
            "target": "institution",
            "against": lab.name,
            "against_name": "",
            "order": "",
            "type": ComplaintType.objects.get(name="办理时限").pk,
            "content": "报告超期",
            "request": "说明原因",
        },
    )
    complaint = Complaint.objects.get()
    staff = client_as(operator)
    staff.post(
        f"/complaints/{complaint.number}/findings/", {"version": 1, "text": "系统记录显示超期 6 天"}
    )
    staff.post(
        f"/complaints/{complaint.number}/decide/",
        {"version": 2, "substantiated": "yes", "decision": "责令机构整改报告时效"},
    )
    complaint.refresh_from_db()
    return complaint


@pytest.mark.req("EVAL-9")
def test_a_substantiated_complaint_opens_a_rectification_that_is_planned_done_verified_and_published(
    client_as, company, operator, lab
):
    start = dt.datetime(2026, 9, 29, 2, 0, tzinfo=dt.UTC)  # Tuesday before National Day
    with time_machine.travel(start, tick=False):
        complaint = substantiated_complaint(client_as, company, operator, lab)
        staff, inst = client_as(operator), client_as(lab.account)
        opened = staff.post(
            "/ops/rectifications/new/", {"complaint": complaint.number, "problem": "报告超期出具"}
        )
        r = Rectification.objects.get()
        twice = staff.post(
            "/ops/rectifications/new/",
            {"complaint": complaint.number, "problem": "again"},
            follow=True,
        )
        inst.post(
            f"/rectifications/{r.number}/plan/",
            {"version": 1, "text": "增加夜班，报告三级审核限时"},
        )
        inst.post(f"/rectifications/{r.number}/actions/", {"version": 2, "text": "已增配人员两名"})
        staff.post(
            f"/rectifications/{r.number}/verify/",
            {"version": 3, "effective": "no", "text": "仍有超期"},
        )
        r.refresh_from_db()
        assert r.status == "planned"  # sent back to corrective actions
        inst.post(
            f"/rectifications/{r.number}/actions/",
            {"version": r.version, "text": "引入 LIMS 时限提醒"},
        )
        r.refresh_from_db()
        staff.post(
            f"/rectifications/{r.number}/verify/",
            {"version": r.version, "effective": "yes", "text": "抽查 20 份报告均按期"},
        )
        public = client_as(None).get("/statistics/?year=2026&quarter=3").content.decode()
    r.refresh_from_db()
    clock = Clock.objects.get(code="rectification")

    assert opened.status_code == 302 and r.institution == lab and r.source == "complaint"
    assert "该问题已发起整改" in twice.content.decode()
    # 15 working days after 29 Sep: 30 Sep, 9–10 Oct (10th a make-up Saturday), 12–16, 19–23, 26.
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 10, 26)
    assert r.status == "closed" and clock.state == "stopped" and clock.stopped_at <= clock.due_at
    assert "抽查 20 份报告均按期" in public and r.number in public
    assert list(r.events.values_list("kind", flat=True)) == [
        "opened",
        "planned",
        "acted",
        "rejected",
        "acted",
        "verified",
    ]


@pytest.mark.req("EVAL-9")
def test_a_dissatisfied_evaluation_opens_one_and_a_satisfied_one_cannot(
    client_as, company, operator, lab
):
    served_order(client_as, company, lab, overall=2, comment="样品丢失")
    served_order(client_as, company, lab, overall=5)
    bad, good = Evaluation.objects.order_by("overall")
    staff = client_as(operator)

    refused = staff.post(
        "/ops/rectifications/new/", {"evaluation": good.pk, "problem": "x"}, follow=True
    )
    staff.post("/ops/rectifications/new/", {"evaluation": bad.pk, "problem": "样品管理混乱"})

    assert "只有不满意评价才能发起整改" in refused.content.decode()
    r = Rectification.objects.get()
    assert (r.source, r.institution, r.evaluation) == ("evaluation", lab, bad)


@pytest.mark.req("EVAL-9")
def test_only_the_responsible_party_acts_and_only_the_operator_verifies(
    client_as, company, operator, lab, labs, enterprise
):
    complaint = substantiated_complaint(client_as, company, operator, lab)
    client_as(operator).post(
        "/ops/rectifications/new/", {"complaint": complaint.number, "problem": "报告超期"}
    )
    r = Rectification.objects.get()
    other_lab = labs["南京计量测试所"]

    stranger = client_as(other_lab.account).get(f"/rectifications/{r.number}/")
    member = client_as(enterprise).get(f"/rectifications/{r.number}/")
    empty = client_as(lab.account).post(
        f"/rectifications/{r.number}/plan/", {"version": 1, "text": ""}, follow=True
    )
    client_as(lab.account).post(f"/rectifications/{r.number}/plan/", {"version": 1, "text": "计划"})
    client_as(lab.account).post(
        f"/rectifications/{r.number}/actions/", {"version": 2, "text": "措施"}
    )
    claim = {"version": 3, "effective": "yes", "text": "自己说好"}
    self_verified = client_as(lab.account).post(f"/rectifications/{r.number}/verify/", claim)
    stale = client_as(operator).post(
        f"/rectifications/{r.number}/verify/",
        {"version": 1, "effective": "yes", "text": "好"},
        follow=True,
    )

    assert stranger.status_code == 404 and member.status_code == 404
    assert "内容：必须填写" in empty.content.decode()
    assert self_verified.status_code == 403
    assert "已被他人处理" in stale.content.decode()
    r.refresh_from_db()
    assert r.status == "acted"
