"""The year's improvement plan (EVAL-10) through the pages and the API: the drafted summary's
figures match the year's data, the supervisor edits it into actions with owners and due dates
and publishes it, owners record progress, and the public sees each action's progress."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from qihub.complaints.models import ComplaintType, OpinionKind, OpinionStatus
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.evaluations import statistics
from qihub.evaluations.tests.helpers import served_order
from qihub.improvement.models import ImprovementPlan, PlanAction
from qihub.improvement.services import draft_last_year
from qihub.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.req("EVAL-10")]

SEEDED = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # a Monday morning in Wuxi
DRAFTED = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


def _seed_year(client_as, company, lab) -> None:
    """Two evaluations (one dissatisfied), three complaints (one closed in time, two whose
    clocks lapsed), two opinions (one handled), one rectification whose clock lapsed."""
    served_order(client_as, company, lab, overall=5)
    served_order(client_as, company, lab, overall=2, timeliness=2)
    testing.complaint(status="closed")
    testing.complaint(status="accepted")
    testing.rectification(institution_org=lab)  # opened from a substantiated complaint
    testing.opinion(kind=OpinionKind.SUGGESTION)
    testing.opinion(kind=OpinionKind.CRITICISM, status=OpinionStatus.CLOSED)


def _text(response) -> str:
    return response.content.decode()


def test_the_drafted_summary_matches_the_year_s_data(client_as, company, labs, supervisor):
    lab = labs["无锡塑料制品检验所"]
    with time_machine.travel(SEEDED, tick=True) as clock:
        _seed_year(client_as, company, lab)
        clock.move_to(DRAFTED)
        page = client_as(supervisor)
        answer = page.post("/improvement/", {"year": "2026"})
        assert answer.status_code == 302 and answer.url == "/improvement/2026/"
        plan = ImprovementPlan.objects.get(year=2026)
        shown = _text(page.get(answer.url))

    s = plan.summary
    assert s["evaluations"]["count"] == 2 and s["evaluations"]["dissatisfied"] == 1
    # The same figure as the statistics dashboard, not a second computation.
    (platform,) = statistics.compute(statistics.Period(2026, None), "platform")
    assert s["evaluations"]["index"] == platform.index()
    assert s["complaints"]["count"] == 3 and s["complaints"]["substantiated"] == 2
    kind = ComplaintType.objects.order_by("pk").first().name
    assert s["complaints"]["by_type"] == [{"name": kind, "count": 3}]
    # The closed complaint was answered in time; the two open ones are past their 7 days.
    assert (s["complaints"]["on_time"], s["complaints"]["due"]) == (1, 3)
    assert s["opinions"]["count"] == 2 and s["opinions"]["closed"] == 1
    assert {k["name"] for k in s["opinions"]["by_kind"]} == {"建议", "批评"}
    assert s["rectifications"] == {"count": 1, "closed": 0, "closure_rate": 0.0}
    overdue = {row["name"]: row["missed"] for row in s["overdue"]}
    assert overdue["投诉调查核实"] == 2 and overdue["整改"] == 1
    assert s["overdue_total"] == sum(overdue.values())

    assert plan.status == "draft" and plan.events.get().kind == "drafted"
    for testid, value in [
        ("s-evaluations", 2),
        ("s-dissatisfied", 1),
        ("s-complaints", 3),
        ("s-opinions", 2),
        ("s-rectifications", 1),
        ("s-overdue", s["overdue_total"]),
    ]:
        assert f'data-testid="{testid}">{value}<' in shown, testid
    # The analysis is drafted in words from the same figures, for the supervisor to edit.
    assert "收到服务评价 2 条，其中不满意 1 条" in plan.analysis
    assert "受理投诉 3 件，经查属实 2 件" in plan.analysis


def test_the_supervisor_edits_it_into_actions_publishes_and_progress_is_public(
    client_as, supervisor, operator, enterprise
):
    with time_machine.travel(DRAFTED, tick=True):
        page = client_as(supervisor)
        page.post("/improvement/", {"year": "2026"})
        plan = ImprovementPlan.objects.get(year=2026)
        assert client_as(None).get("/improvement/public/2026/").status_code == 404

        page.post(
            "/improvement/2026/edit/",
            {"version": plan.version, "analysis": "投诉处理超时较多，须加强跟踪。"},
        )
        plan.refresh_from_db()
        assert plan.analysis == "投诉处理超时较多，须加强跟踪。"
        assert plan.events.filter(kind="edited").get().after == {
            "analysis": "投诉处理超时较多，须加强跟踪。"
        }

        # Publishing an empty plan is refused with the reason.
        refused = page.post("/improvement/2026/publish/", {"version": plan.version}, follow=True)
        assert "至少要有一项改进措施" in _text(refused)

        # Bad input names the field and saves nothing.
        bad = page.post(
            "/improvement/2026/actions/add/",
            {"problem": "投诉超时", "measure": "每周督办", "owner": "", "due_on": "2026-13-01"},
            follow=True,
        )
        assert "责任人：必须填写" in _text(bad) and "完成期限：格式不正确" in _text(bad)
        past = page.post(
            "/improvement/2026/actions/add/",
            {
                "problem": "投诉超时",
                "measure": "每周督办",
                "owner": operator.pk,
                "due_on": "2026-01-05",
            },
            follow=True,
        )
        assert "完成期限：不能早于今天" in _text(past)
        assert not PlanAction.objects.exists()

        form_page = _text(page.get("/improvement/2026/"))
        assert f'<option value="{operator.pk}">' in form_page  # the owner picker
        added = page.post(
            "/improvement/2026/actions/add/",
            {
                "problem": "投诉处理超时",
                "measure": "投诉受理后每周督办一次",
                "owner": operator.pk,
                "due_on": "2026-09-30",
            },
        )
        assert added.status_code == 302
        action = PlanAction.objects.get()
        assert action.owner == operator and action.due_on == dt.date(2026, 9, 30)
        (clock,) = clocks_for(action)
        assert clock.code == "improvement_action"
        assert timezone.localtime(clock.due_at).date() == dt.date(2026, 9, 30)

        # The owner cannot record progress before the plan is published.
        owner = client_as(operator)
        early = owner.post(
            f"/improvement/actions/{action.number}/progress/",
            {"version": action.version, "percent": "10", "progress": "已制定督办表"},
            follow=True,
        )
        assert "改进计划发布后才能登记进展" in _text(early)

        plan.refresh_from_db()
        published = page.post("/improvement/2026/publish/", {"version": plan.version})
        assert published.status_code == 302
        plan.refresh_from_db()
        assert plan.status == "published" and plan.published_at is not None
        assert Notification.objects.filter(
            recipient=operator, subject=f"您负责的改进措施：{action.number}"
        ).exists()

        # The owner's workbench counts the action; the list shows it; progress through the page.
        bench = _text(owner.get("/accounts/workbench/"))
        card = bench[bench.index('href="/improvement/mine/"') :][:800]
        assert "我负责的改进措施" in card and "待办 1" in card
        assert action.number in _text(owner.get("/improvement/mine/"))
        owner.post(
            f"/improvement/actions/{action.number}/progress/",
            {"version": action.version, "percent": "50", "progress": "已建立每周督办表"},
        )
        action.refresh_from_db()
        assert (action.percent, action.status) == (50, "doing")

        public = _text(client_as(None).get("/improvement/public/2026/"))
        assert "投诉受理后每周督办一次" in public and "已建立每周督办表" in public
        assert 'data-testid="percent">50%<' in public and "进行中" in public
        assert operator.shown_name not in public  # the public page names no person
        assert "2026年度改进计划" in _text(client_as(None).get("/improvement/public/"))

        # Completing through the API stops the clock; progress cannot go back.
        back = owner.post(
            f"/api/v1/improvement/actions/{action.number}/progress",
            {"version": action.version, "percent": 30, "progress": "回退"},
        )
        assert back.status_code == 409 and "不能低于已登记的 50%" in back.json()["detail"]
        done = owner.post(
            f"/api/v1/improvement/actions/{action.number}/progress",
            {"version": action.version, "percent": 100, "progress": "督办制度已运行三个月"},
        )
        assert done.status_code == 200, done.content
        assert done.json()["status_label"] == "已完成"
        (clock,) = clocks_for(action)
        assert clock.state == ClockState.STOPPED
        bench = _text(owner.get("/accounts/workbench/"))
        assert "待办 0" in bench[bench.index('href="/improvement/mine/"') :][:800]

        answer = client_as(None).get("/api/v1/public/improvement/2026")
        assert answer.status_code == 200
        assert answer.json()["actions"][0]["percent"] == 100 and answer.json()["progress"] == 100

        # The Excel export lists each action with its owner, due date and progress.
        sheet = load_workbook(io.BytesIO(page.get("/improvement/2026/export.xlsx").content)).active
        rows = list(sheet.values)
        assert rows[0][:5] == ("措施编号", "针对问题", "改进措施", "责任人", "完成期限")
        assert rows[1][0] == action.number and rows[1][3] == operator.party_name
        assert rows[1][5] == "100%" and rows[1][6] == "已完成"

        # Others neither see the draft nor touch the plan.
        assert client_as(enterprise).get("/improvement/2026/").status_code == 404
        assert (
            owner.post(
                "/improvement/2026/actions/add/",
                {"problem": "x", "measure": "y", "owner": operator.pk, "due_on": "2026-10-01"},
            ).status_code
            == 403
        )


def test_the_api_drafts_edits_adds_and_publishes(client_as, supervisor, station_staff):
    with time_machine.travel(DRAFTED, tick=True):
        api = client_as(supervisor)
        made = api.post("/api/v1/improvement", {"year": 2026})
        assert made.status_code == 201 and made.json()["status_label"] == "草拟中"
        again = api.post("/api/v1/improvement", {"year": 2026})
        assert again.status_code == 409 and "已经草拟" in again.json()["detail"]
        bad = api.post(
            "/api/v1/improvement/2026/actions",
            {"problem": "窗口等候时间长", "measure": "增设自助终端", "owner": station_staff.pk},
        )
        assert bad.status_code == 422 and "完成期限：必须填写" in str(bad.json())
        added = api.post(
            "/api/v1/improvement/2026/actions",
            {
                "problem": "窗口等候时间长",
                "measure": "增设自助终端",
                "owner": station_staff.pk,
                "due_on": "2026-12-31",
            },
        )
        assert added.status_code == 200 and len(added.json()["actions"]) == 1
        version = added.json()["version"]
        published = api.post("/api/v1/improvement/2026/publish", {"version": version})
        assert published.status_code == 200 and published.json()["status"] == "published"
        number = published.json()["actions"][0]["number"]
        # Odd years in the address are "no such plan", never a server error.
        for odd in ("99999999999999999999999", "²⁰²⁶", "20x6"):
            assert api.get(f"/api/v1/improvement/{odd}").status_code == 404
            assert api.get(f"/api/v1/public/improvement/{odd}").status_code == 404
            assert api.get(f"/improvement/public/{odd}/").status_code == 404
        shown = client_as(station_staff).get(f"/api/v1/improvement/actions/{number}")
        assert shown.status_code == 200 and shown.json()["may"] == ["complete", "progress"]


def test_the_yearly_task_drafts_last_year_once(client_as, supervisor):
    with time_machine.travel(dt.datetime(2027, 1, 2, 0, 0, tzinfo=dt.UTC), tick=True):
        testing.opinion()
        plan = draft_last_year(dt.datetime(2027, 1, 2, 0, 0, tzinfo=dt.UTC))
        assert plan is not None and plan.year == 2026 and plan.drafted_by is None
        assert plan.summary["opinions"]["count"] == 0  # an opinion of 2027 is not 2026's
        assert draft_last_year(dt.datetime(2027, 1, 2, 0, 0, tzinfo=dt.UTC)) is None
        shown = _text(client_as(supervisor).get("/improvement/2026/"))
        assert "系统按年度自动汇总" in shown
        refused = client_as(supervisor).post("/improvement/", {"year": "2026"}, follow=True)
        assert "2026年度的改进计划已经草拟" in _text(refused)
        bad = client_as(supervisor).post("/improvement/", {"year": "二〇二六"}, follow=True)
        assert "年度：格式不正确" in _text(bad)
