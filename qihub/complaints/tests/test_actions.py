"""Every record action of a complaint through both layers of its action table (ADR 0009): the
right role moves it and leaves one event with from/to status; a wrong role gets 403 with nothing
changed; someone who may not know of the complaint gets 404 (CMP-1, CMP-2)."""

import pytest

from qihub.complaints import workflow
from qihub.complaints.models import Complaint, ComplaintType
from qihub.deadlines.models import Clock

STAGES = ("accepted", "investigated", "forwarded", "responded", "decided", "closed", "paused")


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.fixture
def at_stage(company, operator, lab):
    """A complaint by `company` against `lab`, taken through the workflow to the named stage."""

    def make(stage: str) -> Complaint:
        assert stage in STAGES
        c = workflow.submit(
            complainant=company,
            target="institution",
            complaint_type=ComplaintType.objects.get(name="办理时限"),
            content="检测报告超期未出具",
            request="尽快出具",
            against_organisation=lab,
        )
        if stage == "paused":
            workflow.pause(c, by=operator, reason="等待投诉人提供送样单")
        if stage in ("investigated", "decided", "closed"):
            c = workflow.record_findings(c, by=operator, version=c.version, findings="核实超期")
        if stage in ("forwarded", "responded"):
            c = workflow.forward(c, by=operator, version=c.version)
        if stage == "responded":
            c = workflow.respond(c, by=lab.account, version=c.version, response="设备故障")
        if stage in ("decided", "closed"):
            c = workflow.decide(
                c, by=operator, version=c.version, substantiated=True, decision="责令整改"
            )
        if stage == "closed":
            c = workflow.feed_back(c, by=operator, version=c.version, outcome="已整改")
        c.refresh_from_db()
        return c

    return make


# action, stage, who may, payload (without version), from → to, event kind, a wrong role
CASES = [
    (
        "findings",
        "accepted",
        "operator",
        {"text": "核实：超期 15 天"},
        "accepted",
        "accepted",
        "investigated",
        "company",
    ),
    (
        "forward",
        "accepted",
        "operator",
        {"text": "请答复"},
        "accepted",
        "forwarded",
        "forwarded",
        "supervisor",
    ),
    (
        "respond",
        "forwarded",
        "lab",
        {"text": "设备故障导致延误"},
        "forwarded",
        "responded",
        "institution_responded",
        "operator",
    ),
    (
        "decide",
        "investigated",
        "admin",
        {"substantiated": "no", "decision": "不属实"},
        "accepted",
        "decided",
        "decided",
        "company",
    ),
    (
        "feedback",
        "decided",
        "operator",
        {"text": "已整改并退费"},
        "decided",
        "closed",
        "closed",
        "supervisor",
    ),
    ("rate", "closed", "company", {"satisfied": "yes"}, "closed", "closed", "rated", "operator"),
    (
        "pause",
        "accepted",
        "operator",
        {"reason": "等待投诉人补充送样单"},
        "accepted",
        "accepted",
        "paused",
        "company",
    ),
    ("resume", "paused", "admin", {}, "accepted", "accepted", "resumed", "supervisor"),
]
CLOCK_AFTER = {"pause": "paused", "resume": "running", "feedback": "stopped"}


def _user(name, request, lab):
    return lab.account if name == "lab" else request.getfixturevalue(name)


def _post(client, layer, complaint, action, payload):
    body = {"version": complaint.version, **payload}
    if layer == "page":
        return client.post(f"/complaints/{complaint.number}/{action}/", body)
    return client.post(f"/api/v1/complaints/{complaint.number}/{action}", body)


def _state(complaint):
    complaint.refresh_from_db()
    return (complaint.status, complaint.version, complaint.events.count())


@pytest.mark.req("CMP-2")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(
    ("action", "stage", "who", "payload", "source", "target", "kind", "wrong"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_the_right_role_takes_the_action_and_leaves_one_event(
    request,
    client_as,
    at_stage,
    lab,
    layer,
    action,
    stage,
    who,
    payload,
    source,
    target,
    kind,
    wrong,
):
    complaint = at_stage(stage)
    before = complaint.events.count()

    response = _post(client_as(_user(who, request, lab)), layer, complaint, action, payload)

    assert response.status_code == (302 if layer == "page" else 200)
    complaint.refresh_from_db()
    assert complaint.status == target
    assert complaint.events.count() == before + 1
    event = complaint.events.last()
    assert (event.kind, event.from_status, event.to_status) == (kind, source, target)
    assert event.by == _user(who, request, lab)
    if action in CLOCK_AFTER:
        assert Clock.objects.get(code="complaint").state == CLOCK_AFTER[action]
    if layer == "api":
        assert response.json()["status"] == target


@pytest.mark.req("CMP-2")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(
    ("action", "stage", "who", "payload", "source", "target", "kind", "wrong"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_a_wrong_role_is_refused_and_nothing_changes(
    request,
    client_as,
    at_stage,
    lab,
    layer,
    action,
    stage,
    who,
    payload,
    source,
    target,
    kind,
    wrong,
):
    complaint = at_stage(stage)
    before = _state(complaint)
    clock = Clock.objects.get(code="complaint").state

    response = _post(client_as(_user(wrong, request, lab)), layer, complaint, action, payload)

    assert response.status_code == 403
    assert _state(complaint) == before
    assert Clock.objects.get(code="complaint").state == clock


@pytest.mark.req("CMP-2")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(
    ("action", "stage", "who", "payload", "source", "target", "kind", "wrong"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_someone_elses_complaint_is_not_found(
    client_as,
    at_stage,
    other_enterprise,
    other_institution,
    layer,
    action,
    stage,
    who,
    payload,
    source,
    target,
    kind,
    wrong,
):
    complaint = at_stage(stage)
    before = _state(complaint)
    # Another member, and another institution for the institution's own action.
    stranger = other_institution if who == "lab" else other_enterprise

    response = _post(client_as(stranger), layer, complaint, action, payload)

    assert response.status_code == 404
    assert _state(complaint) == before


@pytest.mark.req("CMP-2")
def test_the_page_offers_each_actor_only_the_forms_the_table_allows(
    client_as, at_stage, company, operator, lab
):
    complaint = at_stage("forwarded")
    url = f"/complaints/{complaint.number}/"

    staff = client_as(operator).get(url).content.decode()
    institution = client_as(lab.account).get(url).content.decode()
    complainant = client_as(company).get(url).content.decode()

    assert f"{url}findings/" in staff and f"{url}pause/" in staff
    assert f"{url}respond/" not in staff and f"{url}forward/" not in staff
    assert f"{url}respond/" in institution and f"{url}findings/" not in institution
    assert not any(f"{url}{a}/" in complainant for a, *_ in CASES)


@pytest.mark.req("CMP-2")
def test_a_move_not_legal_from_the_status_is_a_conflict_on_both_layers(
    client_as, at_stage, operator
):
    complaint = at_stage("accepted")
    staff = client_as(operator)

    api = staff.post(
        f"/api/v1/complaints/{complaint.number}/feedback", {"version": 1, "text": "结果"}
    )
    page = staff.post(
        f"/complaints/{complaint.number}/feedback/", {"version": 1, "text": "结果"}, follow=True
    )

    assert (
        api.status_code == 409
        and "当前状态（已受理，调查中）不能反馈处理结果" in api.json()["detail"]
    )
    assert "不能反馈处理结果" in page.content.decode()
    assert _state(complaint) == ("accepted", 1, 1)


@pytest.mark.req("CMP-2")
@pytest.mark.parametrize(
    ("action", "stage", "payload", "field", "message"),
    [
        ("pause", "accepted", {"reason": ""}, "reason", "暂停原因：必须填写"),
        (
            "decide",
            "investigated",
            {"substantiated": "maybe", "decision": "x"},
            "substantiated",
            "投诉是否属实：请选择属实或不属实",
        ),
        ("findings", "accepted", {"text": ""}, "text", "调查核实情况：必须填写"),
        ("feedback", "decided", {"text": ""}, "text", "反馈投诉人的处理结果：必须填写"),
        ("forward", "accepted", {"version": "abc", "text": ""}, "version", "版本号：应为整数"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_changes_nothing(
    client_as, at_stage, operator, action, stage, payload, field, message
):
    complaint = at_stage(stage)
    before = _state(complaint)
    staff = client_as(operator)
    body = {"version": complaint.version, **payload}

    api = staff.post(f"/api/v1/complaints/{complaint.number}/{action}", body)
    page = staff.post(f"/complaints/{complaint.number}/{action}/", body, follow=True)

    assert api.status_code == 422 and api.json()["errors"][field] == [message]
    assert message in page.content.decode()
    assert _state(complaint) == before


@pytest.mark.req("CMP-2")
def test_resuming_a_running_clock_or_pausing_a_paused_one_is_refused_in_chinese(
    client_as, at_stage, operator
):
    running, paused = at_stage("accepted"), at_stage("paused")
    staff = client_as(operator)

    resume = staff.post(f"/api/v1/complaints/{running.number}/resume", {})
    pause = staff.post(f"/api/v1/complaints/{paused.number}/pause", {"reason": "再等等"})

    assert (
        resume.status_code == 409 and resume.json()["detail"] == "只有已暂停计时的投诉可以恢复计时"
    )
    assert pause.status_code == 409 and pause.json()["detail"] == "只有计时中的投诉可以暂停计时"


@pytest.mark.req("CMP-2")
def test_a_complaint_is_rated_once(client_as, at_stage, company):
    complaint = at_stage("closed")
    client = client_as(company)

    first = client.post(f"/api/v1/complaints/{complaint.number}/rate", {"satisfied": "no"})
    again = client.post(f"/api/v1/complaints/{complaint.number}/rate", {"satisfied": "yes"})

    assert first.status_code == 200 and first.json()["complainant_satisfied"] is False
    assert again.status_code == 409 and again.json()["detail"] == "已评价过处理结果"
    assert complaint.events.filter(kind="rated").count() == 1


@pytest.mark.req("CMP-1")
def test_submitting_writes_one_accepted_event_and_starts_the_clock(at_stage, company):
    complaint = at_stage("accepted")

    event = complaint.events.get()
    assert (event.kind, event.from_status, event.to_status, event.by) == (
        "accepted",
        "",
        "accepted",
        company,
    )
    assert Clock.objects.get(code="complaint").state == "running"
