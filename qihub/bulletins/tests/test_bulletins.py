"""Policies, safety alerts and product-defect reports (CAT-7, CMP-5) through pages and the API."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from qihub.bulletins.models import DefectReport, DefectStatus, Policy
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.notifications.models import Notification
from qihub.workcal.calendar import TZ

# A Monday morning in Shanghai: five working days later is the next Monday (no holiday between).
NOW = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _page(response) -> str:
    return response.content.decode()


POLICY = {
    "title": "关于加强电梯质量安全工作的意见",
    "issuer": "国务院办公厅",
    "number": "国办发〔2018〕8号",
    "issued_on": "2018-02-06",
    "validity": "in_force",
    "field": "special_equipment",
    "text": "为进一步加强电梯质量安全工作，保障人民群众生命财产安全……",
    "link": "",
}


# --- CAT-7: the policy library ------------------------------------------------------------
@pytest.mark.req("CAT-7")
def test_operator_keeps_policies_and_a_compound_query_finds_them(client_as, operator, visitor):
    staff = client_as(operator)
    saved = staff.post("/bulletins/policies/new/", POLICY)
    assert saved.status_code == 302
    staff.post(
        "/bulletins/policies/new/",
        {
            **POLICY,
            "title": "计量器具监督管理办法",
            "number": "",
            "field": "metrology",
            "text": "计量器具的制造、修理与使用",
            "validity": "repealed",
        },
    )
    public = client_as(visitor)
    # Typed without spaces and not a substring of any title: found word by word (jieba).
    page = _page(public.get("/bulletins/policies/", {"q": "电梯安全意见"}))
    assert "关于加强电梯质量安全工作的意见" in page
    assert "计量器具监督管理办法" not in page
    found = public.get("/api/v1/bulletins/policies", {"q": "电梯安全意见"}).json()
    assert [p["title"] for p in found["results"]] == ["关于加强电梯质量安全工作的意见"]
    assert found["results"][0]["validity_label"] == "现行有效"
    # A word the policy lacks excludes it; the validity filter narrows the list.
    assert public.get("/api/v1/bulletins/policies", {"q": "电梯锅炉"}).json()["count"] == 0
    repealed = public.get("/api/v1/bulletins/policies", {"validity": "repealed"}).json()
    assert [p["title"] for p in repealed["results"]] == ["计量器具监督管理办法"]
    detail = _page(
        public.get(f"/bulletins/policies/{Policy.objects.get(number='国办发〔2018〕8号').pk}/")
    )
    assert "国务院办公厅" in detail and "现行有效" in detail


@pytest.mark.req("CAT-7")
def test_policy_form_names_bad_fields_and_saves_nothing(client_as, operator, enterprise):
    staff = client_as(operator)
    response = staff.post(
        "/bulletins/policies/new/", {**POLICY, "title": "", "issued_on": "去年", "text": ""}
    )
    page = _page(response)
    assert response.status_code == 200
    assert "标题：必须填写" in page and "发布日期：请按" in page
    assert Policy.objects.count() == 0
    no_text = staff.post("/bulletins/policies/new/", {**POLICY, "text": "", "link": ""})
    assert "全文或原文链接：至少填写一项" in _page(no_text)
    assert client_as(enterprise).post("/api/v1/bulletins/policies", POLICY).status_code == 403
    bad_search = client_as(enterprise).get("/api/v1/bulletins/policies", {"field": "火星"})
    assert bad_search.status_code == 422
    assert "领域：请从列表中选择" in str(bad_search.json())


# --- CAT-7: safety alerts and subscriptions ------------------------------------------------
ALERT = {
    "kind": "drug_reaction",
    "field": "drug",
    "title": "关于警惕阿莫西林严重过敏反应的通报",
    "product": "阿莫西林胶囊",
    "published_on": "2026-03-09",
    "text": "近期监测到阿莫西林胶囊严重过敏反应病例，请使用单位加强监测。",
    "source": "国家药品不良反应监测中心",
}


@pytest.mark.req("CAT-7")
def test_a_matching_alert_notifies_the_subscriber_and_others_are_not_told(
    client_as, operator, enterprise, other_enterprise
):
    mine = client_as(enterprise)
    assert (
        mine.post(
            "/bulletins/subscriptions/", {"field": "drug", "keywords": "阿莫西林，头孢"}
        ).status_code
        == 302
    )
    assert "阿莫西林、头孢" in _page(mine.get("/bulletins/subscriptions/"))
    # Another enterprise follows medical devices only.
    theirs = client_as(other_enterprise).post(
        "/api/v1/bulletins/subscriptions", {"field": "device", "keywords": ""}
    )
    assert theirs.status_code == 201

    staff = client_as(operator)
    published = staff.post("/bulletins/alerts/new/", ALERT)
    assert published.status_code == 302
    told = Notification.objects.filter(subject__contains="阿莫西林")
    assert list(told.values_list("recipient__username", flat=True)) == ["enterprise"]
    assert "已通知 1 家订阅企业" in _page(staff.get(published["Location"]))

    # Same field, a product the enterprise did not name: nobody is told.
    other = staff.post(
        "/api/v1/bulletins/alerts",
        {
            **ALERT,
            "title": "布洛芬混悬液召回",
            "product": "布洛芬混悬液",
            "kind": "recall",
            "text": "某批次布洛芬混悬液主动召回。",
        },
    )
    assert other.status_code == 201 and other.json()["notified"] == 0
    assert not Notification.objects.filter(subject__contains="布洛芬").exists()

    # The device subscriber hears of a device alert (no keywords: every product of the field).
    client_as(operator).post(
        "/api/v1/bulletins/alerts",
        {
            **ALERT,
            "field": "device",
            "kind": "device_event",
            "title": "输液泵不良事件提示",
            "product": "输液泵",
            "text": "输液泵流速异常。",
        },
    )
    assert list(
        Notification.objects.filter(subject__contains="输液泵").values_list(
            "recipient__username", flat=True
        )
    ) == ["other_enterprise"]
    listed = client_as(None).get("/bulletins/alerts/", {"kind": "recall"})
    assert "布洛芬混悬液召回" in _page(listed) and "阿莫西林" not in _page(listed)


# --- CMP-5: product-defect reports --------------------------------------------------------
DEFECT = {
    "contact_name": "王先生",
    "contact_phone": "0510-88886666",
    "product": "电动自行车充电器",
    "maker": "某电器有限公司",
    "model_spec": "CD-48V",
    "field": "consumer",
    "defect": "充电时外壳严重发热并冒烟",
}


@pytest.mark.req("CMP-5")
def test_a_visitor_reports_a_defect_staff_answer_on_the_clock_and_pass_it_on(
    client_as, visitor, operator, frozen
):
    public = client_as(visitor)
    photo = SimpleUploadedFile("冒烟.png", testing.png_bytes(), "image/png")
    done = public.post("/bulletins/defects/new/", {**DEFECT, "evidence_1": photo})
    assert done.status_code == 200
    report = DefectReport.objects.get()
    assert report.number in _page(done)
    assert report.status == DefectStatus.RECEIVED
    assert report.evidence.get().original_name == "冒烟.png"
    clock = clocks_for(report).get()
    assert clock.code == "defect_answer"
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 3, 16)  # 5 working days

    staff = client_as(operator)
    due_list = _page(staff.get("/bulletins/defects/"))
    assert report.number in due_list and "剩余" in due_list
    frozen.shift(dt.timedelta(days=1))
    staff = client_as(operator)  # a new day, a new log-in (staff sessions time out when idle)
    answered = staff.post(
        f"/bulletins/defects/{report.number}/answer/",
        {"version": report.version, "text": "已联系生产企业核实，建议暂停使用。"},
    )
    assert answered.status_code == 302
    report.refresh_from_db()
    assert report.status == DefectStatus.ANSWERED
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED and clock.stopped_at <= clock.due_at
    assert report.number not in _page(staff.get("/bulletins/defects/"))

    passed = staff.post(
        f"/api/v1/bulletins/defects/{report.number}/pass_on",
        {
            "version": report.version,
            "to": "regulator",
            "name": "市市场监督管理局",
            "note": "涉嫌存在安全缺陷",
        },
    )
    assert passed.status_code == 200
    assert passed.json()["status_label"] == "已移送"
    assert passed.json()["passed_to_name"] == "市市场监督管理局"
    page = _page(staff.get(f"/bulletins/defects/{report.number}/"))
    assert "市场监管部门：市市场监督管理局" in page
    assert "已受理 → 已答复" in page and "已答复 → 已移送" in page  # the history
    assert list(report.events.values_list("kind", flat=True)) == [
        "submitted",
        "answered",
        "passed_on",
    ]


@pytest.mark.req("CMP-5")
def test_a_member_sees_own_report_and_bad_input_saves_nothing(
    client_as, enterprise, other_enterprise, visitor
):
    public = client_as(visitor)
    fake = SimpleUploadedFile("证据.pdf", b"just text, not a pdf", "application/pdf")
    refused = public.post(
        "/bulletins/defects/new/", {**DEFECT, "contact_phone": "电话", "evidence_1": fake}
    )
    page = _page(refused)
    assert "联系电话：请填写" in page and "文件内容不是 PDF、JPG 或 PNG" in page
    assert DefectReport.objects.count() == 0
    api = public.post("/api/v1/bulletins/defects", {**DEFECT, "product": ""})
    assert api.status_code == 422 and "产品名称：必须填写" in str(api.json())

    made = client_as(enterprise).post("/api/v1/bulletins/defects", DEFECT)
    assert made.status_code == 201
    number = made.json()["number"]
    assert client_as(enterprise).get(f"/bulletins/defects/{number}/").status_code == 200
    assert client_as(other_enterprise).get(f"/bulletins/defects/{number}/").status_code == 404
    assert (
        client_as(enterprise)
        .post(f"/api/v1/bulletins/defects/{number}/answer", {"text": "自己答复"})
        .status_code
        == 403
    )
