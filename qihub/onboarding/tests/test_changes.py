"""Changes of name, address or legal representative (ACC-7)."""

import datetime as dt

import pytest
import time_machine

from qihub.accounts.models import Organisation
from qihub.deadlines.models import Clock
from qihub.onboarding import workflow
from qihub.onboarding.models import Application, ChangeReport
from qihub.onboarding.tests import helpers
from qihub.workcal.calendar import TZ


@pytest.fixture
def member(client, db, operator, client_as):
    helpers.submit(client, "institution", helpers.institution())
    workflow.approve(Application.objects.get(), by=operator)
    organisation = Organisation.objects.get()
    return organisation, client_as(organisation.account)


def report(change_date: str, **changes) -> dict:
    return {
        "change_date": change_date,
        "new_name": "",
        "new_address": "",
        "new_legal_representative": "",
        "business_licence": helpers.pdf("新执照.pdf"),
        "supporting": helpers.pdf("变更通知书.pdf"),
        **changes,
    }


@pytest.mark.req("ACC-7")
def test_a_change_is_reported_reviewed_and_applied_with_the_old_values_kept(
    member, client_as, operator, client
):
    organisation, member_client = member

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=TZ), tick=False):
        sent = member_client.post(
            "/member/changes/",
            report(
                "2026-11-02",
                new_name="无锡示例计量检测研究院有限公司",
                new_legal_representative="赵六",
            ),
        )
    change = ChangeReport.objects.get()
    queue = client_as(operator).get("/ops/changes/").content.decode()
    decided = client_as(operator).post(f"/ops/changes/{change.pk}/decide/", {"action": "approve"})

    assert sent.status_code == 302 and decided.status_code == 302
    assert "无锡示例计量检测研究院有限公司" in queue
    organisation.refresh_from_db()
    assert (organisation.name, organisation.legal_representative) == (
        "无锡示例计量检测研究院有限公司",
        "赵六",
    )
    change.refresh_from_db()
    assert change.old_values == {"name": "无锡示例计量测试院", "legal_representative": "李四"}
    assert not change.reported_late
    history = organisation.events.get(kind="changed").note
    assert (
        "无锡示例计量测试院 → 无锡示例计量检测研究院有限公司" in history
        and "李四 → 赵六" in history
    )
    assert [row["name"] for row in client.get("/api/v1/institutions").json()] == [
        "无锡示例计量检测研究院有限公司"
    ]


@pytest.mark.req("ACC-7")
def test_a_report_after_one_month_is_marked_late_by_its_clock(member):
    _, member_client = member

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=TZ), tick=False):
        member_client.post(
            "/member/changes/", report("2026-10-15", new_address="无锡市新吴区示例大道 8 号")
        )

    change = ChangeReport.objects.get()
    assert change.reported_late
    clock = Clock.objects.get(code="change_report")
    assert clock.due_at == dt.datetime(2026, 11, 15, 23, 59, 59, tzinfo=TZ)
    assert clock.events.filter(kind="stopped", note__contains="已超时").exists()


@pytest.mark.req("ACC-7")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (report("2026-11-02"), "请至少填写一项变更内容"),
        (report("2099-01-01", new_name="x"), "不能晚于今天"),
        ({**report("2026-11-02", new_name="x"), "business_licence": ""}, "请上传此项材料"),
    ],
)
def test_bad_change_reports_are_explained_and_nothing_changes(member, data, message):
    organisation, member_client = member

    response = member_client.post("/member/changes/", data)

    assert response.status_code == 400 and message in response.content.decode()
    assert not ChangeReport.objects.exists()
    organisation.refresh_from_db()
    assert organisation.name == "无锡示例计量测试院"


@pytest.mark.req("ACC-7")
def test_a_returned_change_needs_a_reason_and_changes_nothing(member, client_as, operator):
    organisation, member_client = member
    member_client.post("/member/changes/", report("2026-11-02", new_name="新名称"))
    change = ChangeReport.objects.get()

    client_as(operator).post(f"/ops/changes/{change.pk}/decide/", {"action": "return"})
    change.refresh_from_db()
    assert change.status == "submitted"
    client_as(operator).post(
        f"/ops/changes/{change.pk}/decide/", {"action": "return", "note": "执照与名称不符"}
    )

    change.refresh_from_db()
    organisation.refresh_from_db()
    assert change.status == "returned" and organisation.name == "无锡示例计量测试院"
    assert "执照与名称不符" in member_client.get("/member/changes/").content.decode()
