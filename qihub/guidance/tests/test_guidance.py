"""Standardization and brand guidance (ENT-4, ENT-5) through the pages and the API."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from qihub.guidance.models import (
    Declaration,
    DeclarationStatus,
    DeclarationWindow,
    EnterpriseStandard,
)
from qihub.guidance.reminders import remind_closing, remind_reviews
from qihub.notifications.models import Notification
from qihub.workcal.calendar import TZ

# A Wednesday morning in Shanghai; every date below is counted from it.
NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
CHECKLIST = "依法设立满三年\n近三年无重大质量、安全事故\n建立并有效运行质量管理体系"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def firm(enterprise):
    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    return enterprise


def _window(operator, *, opens: int = -5, closes: int = 20, **fields) -> DeclarationWindow:
    values = {
        "kind": "quality_award",
        "title": "2026 年度市长质量奖",
        "department": "市市场监督管理局",
        "eligibility": CHECKLIST,
        "materials": "申报表\n自评报告",
        "apply_url": "https://example.gov.cn/apply",
        **fields,
    }
    return DeclarationWindow.objects.create(
        opens_on=TODAY + dt.timedelta(days=opens),
        closes_on=TODAY + dt.timedelta(days=closes),
        published_by=operator,
        **values,
    )


def _page(response) -> str:
    return response.content.decode()


# --- ENT-4: the enterprise's own standards ------------------------------------------------
@pytest.mark.req("ENT-4")
def test_enterprise_registers_a_standard_and_sees_the_declaration_guide(client_as, firm):
    client = client_as(firm)
    response = client.post(
        "/guidance/standards/new/",
        {
            "number": "Q/320200 ABC 001—2024",
            "title": "不锈钢保温杯",
            "product": "保温杯",
            "edition": "第 1 版",
            "issued_on": "2024-01-10",
            "declared": "not_declared",
            "declared_on": "",
            "review_years": "3",
        },
    )
    assert response.status_code == 302

    page = _page(client.get("/guidance/standards/"))
    assert "Q/320200 ABC 001—2024" in page and "未声明" in page
    assert 'data-testid="platform-link"' in page and "https://www.cpbz.gov.cn/" in page
    assert "企业标准信息公共服务平台" in page and "自我声明" in page


@pytest.mark.req("ENT-4")
def test_declared_standard_needs_its_date_and_numbers_are_unique(client_as, firm):
    client = client_as(firm)
    data = {
        "number": "Q/ABC 002—2025",
        "title": "电热水壶",
        "product": "电热水壶",
        "issued_on": "2025-02-01",
        "declared": "declared",
        "declared_on": "",
        "review_years": "3",
    }
    response = client.post("/guidance/standards/new/", data)
    assert response.status_code == 400
    assert "声明公开日期：已声明的标准请填写在平台上公开的日期" in _page(response)
    assert not EnterpriseStandard.objects.exists()

    data["declared_on"] = "2099-01-01"
    assert "声明公开日期：不能晚于今天" in _page(client.post("/guidance/standards/new/", data))

    data["declared_on"] = "2025-02-10"
    assert client.post("/guidance/standards/new/", data).status_code == 302
    again = client.post("/guidance/standards/new/", data)
    assert "标准编号：贵企业已登记过该编号的标准" in _page(again)
    assert EnterpriseStandard.objects.count() == 1


@pytest.mark.req("ENT-4")
def test_standards_api_lists_and_adds_with_named_errors(client_as, firm, other_enterprise):
    client = client_as(firm)
    created = client.post(
        "/api/v1/guidance/standards",
        {
            "number": "Q/ABC 003—2023",
            "title": "豆浆机",
            "product": "豆浆机",
            "issued_on": "2023-01-05",
            "declared": "declared",
            "declared_on": "2023-01-20",
            "review_years": "3",
        },
    )
    assert created.status_code == 201
    assert created.json()["review_due_on"] == "2026-01-20"
    assert created.json()["review_overdue"] is True

    bad = client.post("/api/v1/guidance/standards", {"number": "", "issued_on": "明天"})
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert errors["number"] == ["标准编号：必须填写"]
    assert errors["issued_on"] == ["发布日期：请按“年-月-日”填写日期，如 2026-03-01"]

    assert [s["number"] for s in client.get("/api/v1/guidance/standards").json()] == [
        "Q/ABC 003—2023"
    ]
    assert client_as(other_enterprise).get("/api/v1/guidance/standards").json() == []


@pytest.mark.req("ENT-4")
def test_a_standard_past_its_review_period_is_flagged_and_reminded_once(client_as, firm, frozen):
    client = client_as(firm)
    client.post(
        "/guidance/standards/new/",
        {
            "number": "Q/ABC 004—2023",
            "title": "电饭煲",
            "product": "电饭煲",
            "issued_on": "2023-03-01",
            "declared": "declared",
            "declared_on": "2023-03-06",
            "review_years": "3",
        },
    )
    # Two days before the third anniversary of its declaration: not yet due.
    assert remind_reviews(TODAY) == 0
    assert 'data-review="overdue"' not in _page(client.get("/guidance/standards/"))

    frozen.move_to(dt.datetime(2026, 3, 6, 9, 0, tzinfo=TZ))
    assert remind_reviews(timezone.localdate()) == 1
    assert remind_reviews(timezone.localdate()) == 0  # a rerun of the day sends nothing
    notes = Notification.objects.filter(recipient=firm, subject__contains="复审")
    assert notes.count() == 1 and "Q/ABC 004—2023" in notes.get().subject
    page = _page(client_as(firm).get("/guidance/standards/"))  # a new session: days have passed
    assert 'data-review="overdue"' in page and "已到复审期" in page


# --- ENT-5: operators publish windows; the public calendar ----------------------------------
@pytest.mark.req("ENT-5")
def test_operator_publishes_a_window_with_checked_dates(client_as, operator, firm):
    data = {
        "kind": "credit_grade",
        "level": "province",
        "title": "质量信用 AAA 级企业评定",
        "department": "省市场监督管理局",
        "opens_on": "2026-03-10",
        "closes_on": "2026-03-01",
        "eligibility": "信用记录良好",
        "materials": "申请表",
        "apply_url": "https://example.gov.cn/credit",
        "basis": "",
    }
    client = client_as(operator)
    refused = client.post("/guidance/windows/new/", data)
    assert refused.status_code == 400
    assert "截止日期：不能早于开始日期" in _page(refused)
    assert not DeclarationWindow.objects.exists()

    data["closes_on"] = "2026-04-30"
    response = client.post("/guidance/windows/new/", data)
    assert response.status_code == 302
    window = DeclarationWindow.objects.get()
    assert window.published_by == operator
    page = _page(client_as(None).get(f"/guidance/windows/{window.pk}/"))
    assert "质量信用 AAA 级企业评定" in page and "即将开始" in page and "信用记录良好" in page
    assert "质量信用等级（A/AA/AAA）（省级）" in page

    assert client_as(firm).post("/guidance/windows/new/", data).status_code == 403
    assert DeclarationWindow.objects.count() == 1


@pytest.mark.req("ENT-5")
def test_calendar_lists_open_then_upcoming_then_closed_and_filters_by_kind(client_as, operator):
    closed = _window(
        operator, opens=-60, closes=-1, title="已截止的地理标志申报", kind="geo_indication"
    )
    upcoming = _window(operator, opens=10, closes=40, title="江苏精品认证申报", kind="jiangsu_fine")
    open_now = _window(
        operator, title="2026 年市级标准化试点示范项目遴选", kind="pilot", level="city"
    )
    visitor = client_as(None)

    page = _page(visitor.get("/guidance/windows/"))
    order = [page.index(w.title) for w in (open_now, upcoming, closed)]
    assert order == sorted(order)
    assert "申报中（剩 20 天）" in page and "即将开始" in page and "已截止" in page

    pilot = _page(visitor.get("/guidance/windows/?kind=pilot"))
    assert open_now.title in pilot and upcoming.title not in pilot
    only_closed = _page(visitor.get("/guidance/windows/?phase=closed"))
    assert closed.title in only_closed and open_now.title not in only_closed
    assert visitor.get("/guidance/windows/?kind=unknown").status_code == 200
    city = _page(visitor.get("/guidance/windows/?level=city"))
    assert open_now.title in city and closed.title not in city
    by_level = visitor.get("/api/v1/guidance/windows?level=city").json()
    assert [(w["title"], w["level_label"]) for w in by_level] == [(open_now.title, "市级")]

    api = visitor.get("/api/v1/guidance/windows").json()
    assert [w["title"] for w in api] == [open_now.title, upcoming.title, closed.title]
    assert [w["phase_label"] for w in api] == ["申报中", "即将开始", "已截止"]
    assert visitor.get("/api/v1/guidance/windows?phase=soon").status_code == 422


# --- ENT-5: self-check, the steps and who sees them ---------------------------------------
@pytest.mark.req("ENT-5")
def test_enterprise_checks_itself_and_follows_a_declaration_to_its_result(
    client_as, operator, firm
):
    window = _window(operator)
    items = window.checklist
    client = client_as(firm)

    check = _page(client.get(f"/guidance/windows/{window.pk}/", {"check": "1", "met": items[:2]}))
    assert 'data-testid="check-result"' in check
    assert "还有 1 项条件未满足" in check and items[2] in check

    started = client.post(f"/guidance/windows/{window.pk}/", {"met": items[:2]})
    declaration = Declaration.objects.get()
    assert started["Location"] == f"/guidance/declarations/{declaration.number}/"
    assert declaration.status == DeclarationStatus.PREPARING and declaration.met == items[:2]
    again = client.post(f"/guidance/windows/{window.pk}/", {"met": items})
    assert again.status_code == 302 and Declaration.objects.count() == 1

    base = f"/guidance/declarations/{declaration.number}"
    client.post(f"{base}/recheck/", {"version": 0, "met": items})
    client.post(f"{base}/submit/", {"version": 1})
    client.post(f"{base}/review/", {"version": 2})
    client.post(f"{base}/approve/", {"version": 3, "note": "获 2026 年度市长质量奖提名"})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PASSED and declaration.met == items

    page = _page(client.get(f"{base}/"))
    assert "通过" in page and "获 2026 年度市长质量奖提名" in page
    assert "准备材料 → 已提交" in page and "评审中 → 通过" in page
    assert list(declaration.events.values_list("kind", flat=True)) == [
        "started",
        "recheck",
        "submit",
        "review",
        "passed",
    ]


@pytest.mark.req("ENT-5")
def test_api_declares_and_a_result_of_failure_needs_a_reason(client_as, operator, firm):
    window = _window(operator, kind="trademark", title="商标品牌培育项目")
    client = client_as(firm)
    made = client.post(f"/api/v1/guidance/windows/{window.pk}/declare", {"met": window.checklist})
    assert made.status_code == 201 and made.json()["unmet"] == []
    number = made.json()["number"]
    client.post(f"/api/v1/guidance/declarations/{number}/submit", {"version": 0})

    # Operators follow the declarations and may record the review for the enterprise.
    staff = client_as(operator)
    assert (
        staff.post(f"/api/v1/guidance/declarations/{number}/review", {"version": 1}).json()[
            "status_label"
        ]
        == "评审中"
    )
    missing = staff.post(f"/api/v1/guidance/declarations/{number}/reject", {"version": 2})
    assert missing.status_code == 422
    assert missing.json()["errors"]["note"] == ["未通过原因：必须填写"]
    done = staff.post(
        f"/api/v1/guidance/declarations/{number}/reject", {"version": 2, "note": "材料不全"}
    )
    assert done.status_code == 200 and done.json()["status_label"] == "未通过"
    assert client_as(None).post(f"/api/v1/guidance/windows/{window.pk}/declare").status_code == 401
    assert staff.post(f"/api/v1/guidance/windows/{window.pk}/declare").status_code == 403


@pytest.mark.req("ENT-5")
def test_no_declaration_after_the_window_closes(client_as, operator, firm, frozen):
    window = _window(operator, closes=2)
    client = client_as(firm)
    client.post(f"/guidance/windows/{window.pk}/", {"met": []})
    declaration = Declaration.objects.get()
    frozen.move_to(NOW + dt.timedelta(days=3))
    client = client_as(firm)  # a new session: days have passed

    response = client.post(f"/guidance/declarations/{declaration.number}/submit/", {"version": 0})
    assert response.status_code == 302
    page = _page(client.get(response["Location"]))
    assert "申报已截止，不能再登记提交" in page
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.PREPARING

    late = client.post(
        f"/api/v1/guidance/windows/{_window(operator, opens=-30, closes=-1).pk}/declare"
    )
    assert late.status_code == 409 and late.json()["detail"] == "该申报已截止，不能再开始申报"


@pytest.mark.req("ENT-5")
def test_operators_see_who_is_declaring_what_enterprises_only_their_own(
    client_as, operator, firm, other_enterprise
):
    other_enterprise.verified_at = timezone.now()
    other_enterprise.save(update_fields=["verified_at"])
    window = _window(operator, kind="pilot", title="省级标准化试点示范项目")
    client_as(firm).post(f"/guidance/windows/{window.pk}/", {"met": []})
    client_as(other_enterprise).post(f"/guidance/windows/{window.pk}/", {"met": []})
    mine, theirs = (
        Declaration.objects.get(enterprise=firm),
        Declaration.objects.get(enterprise=other_enterprise),
    )

    overview = _page(client_as(operator).get("/guidance/declarations/"))
    assert "企业申报跟踪" in overview
    assert mine.number in overview and theirs.number in overview
    assert firm.party_name in overview and "省级标准化试点示范项目" in overview

    own = _page(client_as(firm).get("/guidance/declarations/"))
    assert mine.number in own and theirs.number not in own
    assert client_as(firm).get(f"/guidance/declarations/{theirs.number}/").status_code == 404
    api = client_as(firm).get("/api/v1/guidance/declarations").json()
    assert [d["number"] for d in api] == [mine.number]


# --- ENT-5: reminders before the window closes ---------------------------------------------
@pytest.mark.req("ENT-5")
def test_reminded_ten_and_three_days_before_closing_once_each(client_as, operator, firm, frozen):
    window = _window(operator, closes=12)
    client_as(firm).post(f"/guidance/windows/{window.pk}/", {"met": []})
    submitted_window = _window(operator, closes=10, title="已提交的项目申报", kind="project")
    client_as(firm).post(f"/guidance/windows/{submitted_window.pk}/", {"met": []})
    submitted = Declaration.objects.get(window=submitted_window)
    client_as(firm).post(f"/guidance/declarations/{submitted.number}/submit/", {"version": 0})

    def reminders() -> list[str]:
        return list(
            Notification.objects.filter(recipient=firm, subject__startswith="申报截止提醒")
            .order_by("pk")
            .values_list("subject", flat=True)
        )

    assert remind_closing(timezone.localdate()) == 0  # 12 days left
    frozen.move_to(NOW + dt.timedelta(days=2))
    assert remind_closing(timezone.localdate()) == 1
    assert remind_closing(timezone.localdate()) == 0  # the same day again: nothing
    frozen.move_to(NOW + dt.timedelta(days=5))  # 7 days left: between the two leads
    assert remind_closing(timezone.localdate()) == 0
    frozen.move_to(NOW + dt.timedelta(days=9))
    assert remind_closing(timezone.localdate()) == 1
    assert reminders() == [
        "申报截止提醒：“2026 年度市长质量奖”将于10 天后截止",
        "申报截止提醒：“2026 年度市长质量奖”将于3 天后截止",
    ]


@pytest.mark.req("ENT-5")
def test_a_late_run_sends_only_the_nearest_reminder(client_as, operator, firm, frozen):
    window = _window(operator, closes=2)
    client_as(firm).post(f"/guidance/windows/{window.pk}/", {"met": []})
    assert remind_closing(TODAY) == 1
    assert Notification.objects.filter(dedupe_key__endswith="closing-3").count() == 1
    assert not Notification.objects.filter(dedupe_key__endswith="closing-10").exists()


# --- the workbench -------------------------------------------------------------------------
@pytest.mark.req("ENT-5")
def test_workbench_cards_count_what_waits(client_as, operator, firm):
    window = _window(operator)
    client_as(firm).post(f"/guidance/windows/{window.pk}/", {"met": []})
    EnterpriseStandard.objects.create(
        owner=firm, number="Q/ABC 9", title="水杯", product="水杯", issued_on=TODAY
    )

    page = _page(client_as(firm).get("/accounts/workbench/"))
    for title in ("企业标准自我声明", "申报日历", "我的申报"):
        assert title in page
    assert "建设中" not in page
    staff = _page(client_as(operator).get("/accounts/workbench/"))
    assert "企业申报跟踪" in staff and "申报信息发布" in staff


# --- demo data -----------------------------------------------------------------------------
@pytest.mark.req("ENT-5")
def test_demo_data_has_each_phase_and_the_enterprise_standards(client_as, db):
    from qihub.accounts.models import User
    from qihub.core.demo import load_demo_data

    load_demo_data()
    load_demo_data()  # a second run adds nothing
    assert DeclarationWindow.objects.count() == 5
    api = client_as(None).get("/api/v1/guidance/windows").json()
    assert {w["phase"] for w in api} == {"open", "upcoming", "closed"}
    enterprise = User.objects.get(username="demo_enterprise")
    page = _page(client_as(enterprise).get("/guidance/standards/"))
    assert "已到复审期" in page and "未声明" in page
    assert Declaration.objects.filter(enterprise=enterprise).count() == 1


@pytest.mark.req("ENT-5")
def test_roles_that_do_not_declare_get_no_dead_links(client_as, operator, individual, institution):
    window = _window(operator)
    for user in (individual, institution):
        client = client_as(user)
        calendar = _page(client.get("/guidance/windows/"))
        assert "/guidance/declarations/" not in calendar
        assert "开始申报并跟进进度" not in _page(client.get(f"/guidance/windows/{window.pk}/"))
        assert client.post(f"/guidance/windows/{window.pk}/", {"met": []}).status_code == 403
    assert not Declaration.objects.exists()
    assert "企业申报跟踪" in _page(client_as(operator).get("/guidance/windows/"))
