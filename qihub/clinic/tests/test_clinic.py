"""The expert pool (DEM-15) and the quality clinic (DEM-10) through the pages and the API."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qihub.accounts.models import MemberKind, Role
from qihub.clinic.models import Consultation, ConsultationStatus, Expert
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.demands.models import Demand

# A Tuesday morning (Asia/Shanghai 10:00), far from any holiday.
NOW = dt.datetime(2026, 5, 12, 2, 0, tzinfo=dt.UTC)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _expert(name: str, *, fields=("metrology",), keywords="", region="320200", **kw) -> Expert:
    user = testing.VerifiedUserFactory(role=Role.EXPERT, display_name=name)
    operator = testing.VerifiedUserFactory(role=Role.OPERATOR)
    return Expert.objects.create(
        user=user,
        name=name,
        title="高级工程师",
        fields=list(fields),
        keywords=keywords,
        region=region,
        enrolled_by=operator,
        **kw,
    )


@pytest.fixture
def asker(enterprise):
    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    testing.OrganisationFactory(
        account=enterprise, name="无锡精工阀门有限公司", kind=MemberKind.ENTERPRISE, region="320211"
    )
    return enterprise


def _ask(client, **fields):
    data = {
        "field": "metrology",
        "title": "电能表需要检定吗",
        "question": "我们新买了一批电能表，用于贸易结算，是否必须强制检定？",
        "region": "320211",
        **fields,
    }
    return client.post("/clinic/ask/", data, follow=True)


# --- DEM-15: the pool ------------------------------------------------------------------------
@pytest.mark.req("DEM-15")
def test_an_operator_enrols_an_expert_and_declares_a_conflict(operator, client_as):
    account = testing.VerifiedUserFactory(role=Role.EXPERT, display_name="李计量")
    lab = testing.institution("无锡示例计量院")
    browser = client_as(operator)

    page = browser.get("/clinic/experts/new/").content.decode()
    assert "李计量" in page and "专业领域" in page
    bad = browser.post("/clinic/experts/new/", {"user": account.pk, "name": "李计量"})
    assert bad.status_code == 400
    assert "专业领域：至少选择一项" in bad.content.decode()
    assert not Expert.objects.exists()

    done = browser.post(
        "/clinic/experts/new/",
        {
            "user": account.pk,
            "name": "李计量",
            "title": "正高级工程师",
            "fields_": ["metrology", "testing"],
            "keywords": "电能表 检定",
            "region": "320200",
            "available": "on",
            "max_open": "3",
        },
        follow=True,
    )
    expert = Expert.objects.get()
    assert "李计量专家已入库" in _messages(done)
    assert expert.fields == ["metrology", "testing"] and expert.max_open == 3

    declared = browser.post(
        f"/clinic/experts/{expert.pk}/",
        {"what": "conflict", "organisation": "无锡示例计量院"},
        follow=True,
    )
    assert list(expert.conflicts.all()) == [lab]
    assert "利益冲突已登记" in "".join(_messages(declared))
    pool = browser.get("/clinic/experts/").content.decode()
    assert "李计量" in pool and "计量、检验检测" in pool and "可接单" in pool

    listed = browser.get("/api/v1/clinic/experts").json()
    assert listed[0]["name"] == "李计量" and listed[0]["conflicts"] == ["无锡示例计量院"]


@pytest.mark.req("DEM-15")
def test_only_operators_enrol_and_the_pool_is_back_office_only(enterprise, expert, client_as):
    assert client_as(enterprise).get("/clinic/experts/").status_code == 403
    refused = client_as(expert).post("/api/v1/clinic/experts", {"name": "某"})
    assert refused.status_code == 403


# --- DEM-10: routing -------------------------------------------------------------------------
@pytest.mark.req("DEM-10")
@pytest.mark.req("DEM-15")
def test_routing_skips_conflicts_and_busy_experts_and_prefers_the_matching_one(asker, client_as):
    lab = testing.institution("无锡示例计量院")
    conflicted = _expert("王冲突", keywords="电能表 检定")
    conflicted.conflicts.add(lab)
    _expert("赵知产", fields=("ip",), keywords="电能表")
    generalist = _expert("钱通才", keywords="压力表")
    specialist = _expert("孙电表", keywords="电能表 检定", max_open=1)
    browser = client_as(asker)

    first = _ask(browser, institution="无锡示例计量院")
    # The specialist matches the question's words; the conflicted one is never chosen.
    one = Consultation.objects.get()
    assert one.expert == specialist
    assert "已分派给孙电表专家" in "".join(_messages(first))

    # The specialist is at their maximum: the next question goes to another of the field,
    # never to the one who declared the institution as a conflict.
    _ask(browser, institution="无锡示例计量院", title="电能表检定周期")
    two = Consultation.objects.exclude(pk=one.pk).get()
    assert two.expert == generalist

    # Words decide before load: 压力表 goes to the one who knows it despite two open questions.
    _ask(browser, title="压力表", question="压力表多久校准一次？")
    three = Consultation.objects.order_by("-pk").first()
    assert three.expert == generalist

    # Without the institution the conflict no longer matters, and among equals the least
    # loaded expert is chosen.
    _ask(browser, title="计量问题", question="请问怎么办理？")
    four = Consultation.objects.order_by("-pk").first()
    assert four.expert == conflicted


@pytest.mark.req("DEM-10")
def test_a_question_nobody_may_answer_waits_for_an_operator_who_assigns(asker, operator, client_as):
    _ask(client_as(asker), field="ip")
    waiting = Consultation.objects.get()
    assert waiting.status == ConsultationStatus.WAITING and not clocks_for(waiting).exists()

    expert = _expert("赵知产", fields=("ip",))
    wrong = _expert("钱计量")
    browser = client_as(operator)
    refused = browser.post(
        f"/clinic/{waiting.number}/assign/",
        {"version": waiting.version, "expert": wrong.pk},
        follow=True,
    )
    assert "专家：钱计量的专业领域不含知识产权" in _messages(refused)
    browser.post(
        f"/clinic/{waiting.number}/assign/", {"version": waiting.version, "expert": expert.pk}
    )
    waiting.refresh_from_db()
    assert waiting.expert == expert and waiting.status == ConsultationStatus.ROUTED
    assert clocks_for(waiting).get().owner == expert.user


# --- DEM-10: the clock, ask-back, answer, rating --------------------------------------------
@pytest.mark.req("DEM-10")
def test_asking_back_pauses_the_answer_clock_until_the_asker_replies(asker, client_as):
    expert = _expert("孙电表", keywords="电能表")
    with time_machine.travel(NOW, tick=False):
        _ask(client_as(asker))
    record = Consultation.objects.get()
    clock = clocks_for(record).get(code="clinic_answer")
    due = clock.due_at
    assert clock.owner == expert.user and record.answer_days == 2

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        asked = client_as(expert.user).post(
            f"/clinic/{record.number}/ask-back/",
            {"version": record.version, "text": "电能表用于哪种结算？"},
            follow=True,
        )
    assert "已追问，提问人补充前答复时限暂停计算" in _messages(asked)
    clock.refresh_from_db()
    assert clock.state == ClockState.PAUSED
    record.refresh_from_db()
    page = client_as(asker).get(f"/clinic/{record.number}/").content.decode()
    assert "电能表用于哪种结算？" in page and 'data-testid="reply-form"' in page

    # Replied on Friday: three working days paused move the deadline by three.
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        client_as(asker).post(
            f"/clinic/{record.number}/reply/",
            {"version": record.version, "text": "用于电费结算"},
        )
    clock.refresh_from_db()
    record.refresh_from_db()
    assert clock.state == ClockState.RUNNING and record.status == ConsultationStatus.ROUTED
    assert clock.due_at > due

    # Answered after the first deadline but within the shifted one: on time.
    with time_machine.travel(due + dt.timedelta(hours=26), tick=False):
        answered = client_as(expert.user).post(
            f"/api/v1/clinic/consultations/{record.number}/answer",
            {
                "version": record.version,
                "text": "须强制检定，请送法定计量机构。",
                "needs_test": "true",
            },
        )
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["status_label"] == "专家已回答" and body["on_time"] is True and body["needs_test"]
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED


@pytest.mark.req("DEM-10")
def test_only_the_assigned_expert_answers_and_only_the_asker_rates(
    asker, other_enterprise, client_as
):
    expert = _expert("孙电表")
    other = _expert("钱另一")
    _ask(client_as(asker))
    record = Consultation.objects.get()
    path = f"/api/v1/clinic/consultations/{record.number}"

    assert (
        client_as(other.user).post(f"{path}/answer", {"version": 1, "text": "x"}).status_code == 404
    )
    assert client_as(asker).post(f"{path}/answer", {"version": 1, "text": "x"}).status_code == 403
    client_as(expert.user).post(f"{path}/answer", {"version": record.version, "text": "答复"})
    record.refresh_from_db()
    bad = client_as(asker).post(f"{path}/rate", {"version": record.version, "rating": "9"})
    assert bad.status_code == 422 and bad.json()["errors"]["rating"] == ["答复评分：请打 1–5 分"]
    rated = client_as(asker).post(f"{path}/rate", {"version": record.version, "rating": "5"})
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    assert client_as(other_enterprise).get(f"/clinic/{record.number}/").status_code == 404


# --- DEM-10: publish anonymised, the library -------------------------------------------------
@pytest.mark.req("DEM-10")
def test_a_good_answer_is_published_anonymised_and_found_in_the_library(asker, operator, client_as):
    expert = _expert("孙电表")
    _ask(
        client_as(asker),
        question="无锡精工阀门有限公司的电能表是否要检定？联系人张三 13912345678",
    )
    record = Consultation.objects.get()
    path = f"/clinic/{record.number}"
    client_as(expert.user).post(
        f"{path}/answer/",
        {"version": record.version, "text": "贵司无锡精工阀门有限公司须检定电能表。"},
    )
    record.refresh_from_db()
    too_early = client_as(operator).post(
        f"{path}/publish/", {"version": record.version}, follow=True
    )
    assert "只有提问人评分不低于 4 分的答复可以公开" in _messages(too_early)
    client_as(asker).post(f"{path}/rate/", {"version": record.version, "rating": "5"})
    record.refresh_from_db()
    published = client_as(operator).post(
        f"{path}/publish/", {"version": record.version}, follow=True
    )
    assert "已匿名公开到问答库" in _messages(published)

    entry = client_as(None).get(f"/clinic/library/{record.number}/").content.decode()
    assert "电能表" in entry
    for secret in ("无锡精工阀门有限公司", "13912345678", "孙电表"):
        assert secret not in entry
    assert "某单位" in entry and "［电话已隐去］" in entry

    found = client_as(None).get("/clinic/library/", {"q": "电能表检定"}).content.decode()
    missing = client_as(None).get("/clinic/library/", {"q": "甲醛"}).content.decode()
    assert record.number in found and record.number not in missing
    api = client_as(None).get("/api/v1/clinic/library", {"q": "电能表"}).json()
    assert [e["number"] for e in api] == [record.number]
    assert "13912345678" not in api[0]["question"]


# --- DEM-10: to a demand in one click --------------------------------------------------------
@pytest.mark.req("DEM-10")
def test_the_asker_turns_the_answer_into_a_demand_with_its_history(asker, client_as):
    expert = _expert("孙电表")
    _ask(client_as(asker))
    record = Consultation.objects.get()
    client_as(expert.user).post(
        f"/clinic/{record.number}/answer/",
        {"version": record.version, "text": "须强制检定", "needs_test": "on"},
    )
    record.refresh_from_db()
    page = client_as(asker).get(f"/clinic/{record.number}/").content.decode()
    assert 'data-testid="to-demand"' in page and "专家建议进行检测" in page

    done = client_as(asker).post(
        f"/clinic/{record.number}/to-demand/", {"version": record.version}, follow=True
    )
    record.refresh_from_db()
    demand = Demand.objects.get()
    assert "已转为服务需求，平台将尽快响应" in _messages(done)
    assert record.demand == demand and record.status == ConsultationStatus.DEMANDED
    assert demand.client == asker and demand.category == "metrology"
    assert record.number in demand.description and "须强制检定" in demand.description
    assert demand.number in client_as(asker).get(f"/clinic/{record.number}/").content.decode()


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.req("DEM-10")
def test_a_bad_attachment_or_missing_field_is_named_and_nothing_is_saved(asker, client_as):
    fake = SimpleUploadedFile("问题.pdf", b"not a pdf at all", "application/pdf")
    response = _ask(client_as(asker), attachment=fake)
    assert response.status_code == 400
    assert "附件：文件内容不是 PDF、JPG 或 PNG" in response.content.decode()
    missing = client_as(asker).post("/api/v1/clinic/consultations", {"field": "metrology"})
    assert missing.status_code == 422
    assert missing.json()["errors"]["title"] == ["问题标题：必须填写"]
    assert not Consultation.objects.exists()


@pytest.mark.req("DEM-10")
def test_the_api_asks_and_reads_the_history(asker, client_as):
    _expert("孙电表")
    made = client_as(asker).post(
        "/api/v1/clinic/consultations",
        {"field": "metrology", "title": "电能表", "question": "要检定吗", "region": "320211"},
    )
    assert made.status_code == 201 and made.json()["expert"] == "孙电表"
    number = made.json()["number"]
    detail = client_as(asker).get(f"/api/v1/clinic/consultations/{number}").json()
    assert [h["kind"] for h in detail["history"]] == ["asked", "routed"]
    mine = client_as(asker).get("/api/v1/clinic/consultations").json()
    assert [c["number"] for c in mine] == [number]


@pytest.mark.req("DEM-10")
def test_the_workbench_cards_of_the_expert_and_the_enterprise(asker, client_as):
    expert = _expert("孙电表")
    _ask(client_as(asker))
    board = client_as(expert.user).get("/accounts/workbench/").content.decode()
    assert "待回答" in board and "即将超时" in board and "已回答" in board
    assert "/clinic/?show=waiting" in board and "建设中" not in board
    listed = client_as(expert.user).get("/clinic/", {"show": "waiting"}).content.decode()
    assert Consultation.objects.get().number in listed
    assert "我的咨询" in client_as(asker).get("/accounts/workbench/").content.decode()


@pytest.mark.req("DEM-15")
def test_a_paused_expert_is_not_routed_questions(asker, operator, client_as):
    paused = _expert("孙电表", keywords="电能表")
    other = _expert("钱通才")
    saved = client_as(operator).post(
        f"/clinic/experts/{paused.pk}/",
        {
            "what": "profile",
            "name": "孙电表",
            "title": "高级工程师",
            "fields_": ["metrology"],
            "keywords": "电能表",
            "region": "320200",
            "max_open": "5",
        },
        follow=True,
    )
    assert "专家信息已保存" in _messages(saved)
    paused.refresh_from_db()
    assert paused.available is False
    assert "暂停" in client_as(operator).get("/clinic/experts/").content.decode()
    _ask(client_as(asker))
    assert Consultation.objects.get().expert == other
