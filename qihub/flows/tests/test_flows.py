"""Guided flows (BIO-2) and the pharma catalogue (BIO-1) through the pages and the API: the
services of LYG 6.2.1 with their guides and provincial links; an enterprise starts a flow from a
guide, the enterprise and the service team tick the steps off with documents, each limited step
runs its clock; operators edit a template, which makes a new version while running flows keep
theirs."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.catalog.models import ServiceItem
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.deadlines.workflow import sweep
from qihub.flows.models import FlowRun, FlowTemplate, RunStatus, RunStep, StepState
from qihub.notifications.models import Notification

NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)  # a Tuesday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _pdf(name: str = "委托书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def company(enterprise) -> Organisation:
    return testing.OrganisationFactory(account=enterprise, name="连云港康源制药有限公司")


@pytest.mark.req("BIO-1")
def test_every_service_of_lyg_6_2_1_is_in_the_catalogue_with_guide_and_provincial_steps(client, db):
    pharma = ServiceItem.objects.filter(category="pharma")
    codes = set(pharma.values_list("code", flat=True))
    listing = client.get("/services/").content.decode()

    assert {
        "drug-production-licence",
        "drug-business-licence",
        "device-registration",
        "device-production-licence",
        "device-business",
        "internet-drug-information",
        "drug-testing",
        "cleanroom-testing",
    } <= codes
    # The three items seeded first are revised, not duplicated.
    assert pharma.filter(name__startswith="药品生产许可").count() == 1
    for name in ["药品经营许可", "医疗器械经营备案与许可", "互联网药品信息服务资格审批", "洁净区"]:
        assert name in listing
    for item in pharma.exclude(code__in=["drug-testing", "cleanroom-testing"]):
        page = client.get(f"/services/{item.code}/").content.decode()
        assert 'href="https://www.jszwfw.gov.cn/"' in page and "https://da.jiangsu.gov.cn/" in page
        assert "受理条件" in page and "申请材料" in page and "设定依据" in page
        assert 'data-testid="guided-flow"' in page

    licence = client.get("/services/drug-production-licence/").content.decode()
    assert "GMP 符合性检查" in licence and "办事指南第 2 版" in licence
    assert "换发" in licence and "《药品生产监督管理办法》" in licence
    business = client.get("/services/device-business/").content.decode()
    assert "第三类医疗器械经营许可" in business and "注销" in business
    testing_page = client.get("/services/drug-testing/").content.decode()
    assert "中药" in testing_page and "微生物" in testing_page and "药理" in testing_page


@pytest.mark.req("BIO-2")
@time_machine.travel(NOW, tick=False)
def test_an_enterprise_follows_the_drug_testing_flow_with_the_team_to_the_end(
    client_as, enterprise, operator, company
):
    firm, team = client_as(enterprise), client_as(operator)
    guide = firm.get("/services/drug-testing/").content.decode()
    assert "/flows/start/B/?item=drug-testing" in guide

    started = firm.post("/flows/start/B/?item=drug-testing", {"subject": "头孢片含量测定"})
    run = FlowRun.objects.get()
    assert started.status_code == 302 and started.url == f"/flows/runs/{run.number}/"
    assert run.enterprise == company and run.item.code == "drug-testing"
    assert run.template.code == "B" and run.status == RunStatus.RUNNING

    # Step 1 expects the commission letter: without it nothing moves.
    refused = firm.post(
        f"/flows/runs/{run.number}/tick/", {"version": run.version, "position": 1}, follow=True
    )
    assert "上传文件：本步骤需上传检验委托书（写明检验项目与依据标准）" in _messages(refused)
    assert RunStep.objects.get(run=run, position=1).state == StepState.CURRENT

    ticked = firm.post(
        f"/flows/runs/{run.number}/tick/",
        {"version": run.version, "position": 1, "note": "委托含量测定", "document": _pdf()},
        follow=True,
    )
    assert "已完成该步骤" in _messages(ticked)
    first = RunStep.objects.get(run=run, position=1)
    assert first.state == StepState.DONE and first.document.original_name == "委托书.pdf"
    opened = firm.get(f"/documents/{first.document.pk}/")
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF

    # Step 2 is the team's, limited to 3 working days: its clock runs; the enterprise waits.
    second = RunStep.objects.get(run=run, position=2)
    clock = clocks_for(second).get()
    assert clock.state == ClockState.RUNNING and clock.code == "flow_step"
    assert timezone.localtime(clock.due_at).date() == dt.date(2026, 5, 15)
    page = firm.get(f"/flows/runs/{run.number}/").content.decode()
    assert "等待服务团队办理" in page and "截止：2026-05-15" in page
    run.refresh_from_db()
    wrong = firm.post(
        f"/api/v1/flows/runs/{run.number}/tick", {"version": run.version, "position": 2}
    )
    assert wrong.status_code == 409 and "由服务团队办理" in wrong.json()["detail"]

    done = team.post(
        f"/api/v1/flows/runs/{run.number}/tick",
        {"version": run.version, "position": 2, "note": "匹配省药检院"},
    )
    assert done.status_code == 200 and done.json()["steps"][1]["state_label"] == "已完成"
    assert clocks_for(second).get().state == ClockState.STOPPED

    # The rest, to the end: steps with documents get them, the last tick ends the run.
    for position in range(3, 8):
        run.refresh_from_db()
        rs = RunStep.objects.select_related("step").get(run=run, position=position)
        who = firm if rs.step.actor == "enterprise" else team
        data = {"version": run.version, "position": position}
        if rs.step.documents:
            data["document"] = _pdf(f"第{position}步.pdf")
        assert who.post(f"/flows/runs/{run.number}/tick/", data).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    history = firm.get(f"/flows/runs/{run.number}/").content.decode()
    assert "已办结" in history and "匹配省药检院" in history and "办理中 → 已办结" in history
    # Pages name the standard by its number, never by the project's shorthand for it.
    assert "DB3207/T 2018" in history and "LYG" not in history
    listed = firm.get("/flows/").content.decode()
    assert run.number in listed and "我的办理流程" in listed


@pytest.mark.req("BIO-2")
def test_a_late_step_is_reminded_and_escalated_like_every_clock(
    client_as, enterprise, station_staff, supervisor, company
):
    with time_machine.travel(NOW, tick=False):
        staff = client_as(station_staff)
        made = staff.post(
            "/flows/start/F/", {"subject": "首席质量官培训", "enterprise": company.name}
        )
        run = FlowRun.objects.get()
        assert made.status_code == 302 and run.started_by == station_staff
        # The enterprise is told the team started a flow for it.
        assert (
            Notification.objects.filter(
                recipient=enterprise, subject__contains="首席质量官"
            ).exists()
            or Notification.objects.filter(
                recipient=enterprise, subject__contains="人员质量管理能力提升培训"
            ).exists()
        )
        for position in (1, 2):
            run.refresh_from_db()
            data = {"version": run.version, "position": position, "document": _pdf()}
            staff.post(f"/flows/runs/{run.number}/tick/", data)
        third = RunStep.objects.get(run=run, position=3)
        assert clocks_for(third).get().state == ClockState.RUNNING
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        sweep()
        clock = clocks_for(third).get()
        assert clock.overdue_at is not None
        assert Notification.objects.filter(subject="超时督办：流程步骤办理").exists()
        page = client_as(station_staff).get(f"/flows/runs/{run.number}/").content.decode()
        assert "已超时" in page
        bench = client_as(station_staff).get("/accounts/workbench/").content.decode()
        assert "流程办理" in bench


@pytest.mark.req("BIO-2")
@time_machine.travel(NOW, tick=False)
def test_operators_edit_a_template_as_a_new_version_and_running_flows_keep_theirs(
    client_as, operator, enterprise, company
):
    firm, ops = client_as(enterprise), client_as(operator)
    firm.post("/flows/start/A/", {"subject": "药品经营许可换发"})
    old_run = FlowRun.objects.get()
    form = ops.get("/ops/flows/A/").content.decode()
    assert "医药企业质量提升基本服务流程" in form and "第 1 版" in form
    assert "删除" in form and "Delete" not in form and "LYG" not in form

    template = FlowTemplate.current("A")
    steps = list(template.steps.all())
    data = {
        "title": template.title,
        "source": template.source,
        "summary": template.summary,
        "change_note": "增加材料预审步骤",
        "steps-TOTAL_FORMS": str(len(steps) + 1),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, s in enumerate(steps):
        data.update(
            {
                f"steps-{i}-title": s.title,
                f"steps-{i}-actor": s.actor,
                f"steps-{i}-documents": s.documents,
                f"steps-{i}-limit_days": s.limit_days or "",
                f"steps-{i}-source_note": s.source_note,
                f"steps-{i}-link": s.link,
                f"steps-{i}-link_label": s.link_label,
            }
        )
    n = len(steps)
    data.update(
        {
            f"steps-{n}-title": "申请材料预审",
            f"steps-{n}-actor": "team",
            f"steps-{n}-limit_days": "2",
            f"steps-{n}-link": "ftp://错误",
        }
    )
    bad = ops.post("/ops/flows/A/", data)
    assert bad.status_code == 400
    assert f"第 {n + 1} 行 衔接页面（可留空）" in bad.content.decode()
    assert FlowTemplate.objects.filter(code="A").count() == 1

    data[f"steps-{n}-link"] = ""
    saved = ops.post("/ops/flows/A/", data, follow=True)
    assert any("第 2 版" in m for m in _messages(saved))
    current = FlowTemplate.current("A")
    assert current.version == 2 and current.steps.last().title == "申请材料预审"

    old_page = firm.get(f"/flows/runs/{old_run.number}/").content.decode()
    assert "第 1 版" in old_page and "申请材料预审" not in old_page
    api = firm.post("/api/v1/flows/A/runs", {"subject": "互联网药品信息服务换证"})
    assert api.status_code == 201 and api.json()["template_version"] == 2
    assert api.json()["steps"][-1]["title"] == "申请材料预审"
    templates = firm.get("/api/v1/flows/templates").json()
    assert sorted(t["code"] for t in templates) == list("ABCDEF")

    # Nobody but the platform's deciders edits templates.
    assert firm.get("/ops/flows/A/").status_code in (302, 403)


@pytest.mark.req("BIO-2")
def test_the_seeded_flows_hand_over_to_the_ledgers_and_the_provincial_systems(
    client_as, enterprise
):
    c = FlowTemplate.current("C")
    e = FlowTemplate.current("E")
    assert c.steps.last().link == "/equipment/instruments/"
    assert e.steps.last().link == "/equipment/special/"
    assert [s.title[:2] for s in e.steps.all()][:4] == ["提出", "受理", "审查", "发证"]
    page = client_as(enterprise).get("/flows/start/C/").content.decode()
    assert "网上申报计量器具检定流程" in page and "把检定结果登记到计量器具台账" in page


@pytest.mark.req("BIO-2")
def test_a_client_cannot_see_another_enterprise_run(client_as, enterprise, individual, operator):
    company = testing.OrganisationFactory(account=enterprise, name="连云港恒瑞器械有限公司")
    from qihub.flows import workflow

    run = workflow.start(FlowTemplate.current("A"), by=operator, enterprise=company)
    assert client_as(individual).get(f"/flows/runs/{run.number}/").status_code == 404
    api = client_as(individual).post(
        f"/api/v1/flows/runs/{run.number}/cancel", {"version": run.version, "reason": "无"}
    )
    assert api.status_code == 404
    cancelled = client_as(enterprise).post(
        f"/api/v1/flows/runs/{run.number}/cancel", {"version": run.version, "reason": "不再办理"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status_label"] == "已撤销"


@pytest.mark.req("BIO-2")
def test_the_demo_has_one_running_flow_the_team_must_act_on(client_as, db):
    from django.core.management import call_command

    from qihub.accounts.models import User

    call_command("seed-demo", stdout=None)
    run = FlowRun.objects.get()
    firm = client_as(User.objects.get(username="demo_enterprise"))
    listed = firm.get("/flows/").content.decode()
    page = firm.get(f"/flows/runs/{run.number}/").content.decode()

    assert run.status == RunStatus.RUNNING and run.number in listed
    assert "检验委托书（PDF）" in page and "等待服务团队办理" in page
    team = client_as(User.objects.get(username="demo_operator")).get("/flows/").content.decode()
    assert run.number in team


@pytest.mark.req("BIO-2")
def test_staff_start_a_flow_for_an_enterprise_through_the_api_naming_it(
    client_as, station_staff, enterprise, company, institution
):
    staff = client_as(station_staff)
    missing = staff.post("/api/v1/flows/E/runs", {"subject": "压力容器使用登记"})
    assert missing.status_code == 422 and "企业：必须填写" in str(missing.json())
    assert not FlowRun.objects.exists()

    made = staff.post(
        "/api/v1/flows/E/runs", {"subject": "压力容器使用登记", "enterprise": company.name}
    )
    assert made.status_code == 201 and made.json()["enterprise"] == company.name
    assert made.json()["steps"][0]["state_label"] == "办理中"
    assert client_as(institution).post("/api/v1/flows/E/runs", {}).status_code == 403
    assert staff.post("/api/v1/flows/Z/runs", {}).status_code == 404
