"""Product archives (BIO-3, BIO-4, BIO-9), the two-weekly follow-up (BIO-5) and the dossier
pre-review with mock inspection (BIO-6), through the pages and the API."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from qihub.biomed.models import ProductArchive
from qihub.core import testing
from qihub.training.testing import pledged
from qihub.workcal.calendar import TZ

NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _staff_signed_the_pledge(operator, station_staff, expert):
    # Staff read enterprise archives only under a signed confidentiality pledge (TRN-2);
    # the refusal without one is tested in qihub/training.
    pledged(operator, station_staff, expert)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _pdf(name: str = "资料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, testing.pdf_bytes(), "application/pdf")


def _open(client, **fields) -> ProductArchive:
    data = {
        "name": "一次性使用无菌注射器",
        "product_class": "device_2",
        "route": "registration",
        "stage": "introduction",
        **fields,
    }
    response = client.post("/biomed/archives/new/", data)
    assert response.status_code == 302, response.content.decode()
    return ProductArchive.objects.latest("pk")


def _text(response) -> str:
    return response.content.decode()


def _card(page: str, title: str) -> str:
    found = re.search(
        r'<a class="card[^"]*" href="([^"]*)" data-testid="workbench-card">\s*<div[^>]*>\s*'
        rf"<h2[^>]*>{title}</h2>(.*?)</a>",
        page,
        re.S,
    )
    assert found, f"no card {title}"
    return found.group(0)


@pytest.mark.req("BIO-3")
def test_enterprise_opens_a_merged_archive_and_sees_it_free(
    client_as, enterprise, other_enterprise
):
    client = client_as(enterprise)
    archive = _open(client, merged_products="医用输液器\n医用采血针")
    page = _text(client.get(f"/biomed/archives/{archive.number}/"))
    assert "一次性使用无菌注射器、医用输液器、医用采血针" in page
    assert "免费" in page and "价格" not in page and "费用" not in page
    assert "第二类医疗器械" in page
    assert archive.number in _text(client.get("/biomed/archives/"))
    # Nobody else's enterprise sees it, by page or API.
    other = client_as(other_enterprise)
    assert other.get(f"/biomed/archives/{archive.number}/").status_code == 404
    assert other.get("/api/v1/biomed/archives").json() == []


@pytest.mark.req("BIO-3")
def test_open_archive_names_the_bad_field_and_saves_nothing(client_as, enterprise, operator):
    client = client_as(enterprise)
    response = client.post("/biomed/archives/new/", {"name": "", "product_class": "药品类"})
    assert response.status_code == 400
    page = _text(response)
    assert "产品名称：必须填写" in page and "产品类别：请从列表中选择" in page
    assert not ProductArchive.objects.exists()
    api = client.post("/api/v1/biomed/archives", {"name": "", "product_class": "drug"})
    assert api.status_code == 422
    # Only enterprises open archives.
    assert client_as(operator).post("/api/v1/biomed/archives", {"name": "甲"}).status_code == 403


@pytest.mark.req("BIO-4")
def test_stages_move_in_order_with_history_on_page_and_api(client_as, enterprise, operator):
    archive = _open(client_as(enterprise))
    client = client_as(operator)
    client.post(f"/biomed/archives/{archive.number}/advance/", {"version": archive.version})
    archive.refresh_from_db()
    answer = client.post(
        f"/api/v1/biomed/archives/{archive.number}/advance", {"version": archive.version}
    )
    assert answer.status_code == 200
    assert answer.json()["stage_label"] == "设计开发"
    assert [s["to"] for s in answer.json()["stages"]] == ["initiation", "design"]
    page = _text(client_as(enterprise).get(f"/biomed/archives/{archive.number}/"))
    assert "引进 → 立项" in page and "立项 → 设计开发" in page
    # A stale page does not move it again.
    stale = client.post(
        f"/api/v1/biomed/archives/{archive.number}/advance", {"version": archive.version}
    )
    assert stale.status_code == 409


@pytest.mark.req("BIO-4")
def test_last_stage_has_no_next(client_as, enterprise, operator):
    archive = _open(client_as(enterprise), stage="post_market")
    answer = client_as(operator).post(f"/api/v1/biomed/archives/{archive.number}/advance", {})
    assert answer.status_code == 409
    assert "没有下一阶段" in answer.json()["detail"]


@pytest.mark.req("BIO-9")
def test_service_records_per_stage_with_document(client_as, enterprise, station_staff, expert):
    archive = _open(client_as(enterprise), stage="design")
    client = client_as(station_staff)
    response = client.post(
        f"/biomed/archives/{archive.number}/service/",
        {
            "kind": "tech_requirements",
            "served_on": "2026-03-03",
            "advice": "性能指标按 GB 15810 编写",
            "document": _pdf("技术要求模板.pdf"),
        },
    )
    assert response.status_code == 302
    page = _text(client_as(enterprise).get(f"/biomed/archives/{archive.number}/"))
    assert "【设计开发】技术要求编写" in page and "性能指标按 GB 15810 编写" in page
    assert "技术要求模板.pdf" in page
    record = archive.services.get()
    download = client_as(enterprise).get(
        f"/biomed/archives/{archive.number}/documents/{record.document_id}/"
    )
    assert download.status_code == 200
    # Bad input: a future date and a file that is not a document are refused by name.
    bad = client.post(
        f"/api/v1/biomed/archives/{archive.number}/services",
        {
            "kind": "qms",
            "served_on": "2026-04-01",
            "advice": "x",
            "document": SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf"),
        },
    )
    assert bad.status_code == 422
    text = str(bad.json())
    assert "服务日期：不能晚于今天" in text and "PDF" in text
    assert archive.services.count() == 1
    # The enterprise and an expert not invited do not record services.
    assert (
        client_as(enterprise)
        .post(f"/api/v1/biomed/archives/{archive.number}/services", {})
        .status_code
        == 403
    )
    assert (
        client_as(expert).post(f"/api/v1/biomed/archives/{archive.number}/services", {}).status_code
        == 404
    )


@pytest.mark.req("BIO-5")
def test_follow_up_falls_overdue_and_restarts(client_as, enterprise, operator, frozen):
    archive = _open(client_as(enterprise))
    # Staff sessions lapse when idle: each jump in time logs the team in afresh.
    frozen.move_to(NOW + dt.timedelta(days=14))
    page = _text(client_as(operator).get("/biomed/follow-ups/overdue/"))
    assert "没有超期未跟踪的产品档案" in page and archive.number not in page
    frozen.move_to(NOW + dt.timedelta(days=18))
    team = client_as(operator)
    page = _text(team.get("/biomed/follow-ups/overdue/"))
    assert archive.number in page and "4 天" in page, page
    assert team.get("/api/v1/biomed/follow-ups/overdue").json()[0]["days_overdue"] == 4
    # The workbench card counts it as overdue and opens the overdue list.
    card = _card(_text(team.get("/accounts/workbench/")), "产品定期跟踪")
    assert "在档 1" in card and "超时 1" in card and "/biomed/follow-ups/overdue/" in card
    response = team.post(
        f"/biomed/archives/{archive.number}/follow-up/",
        {
            "contact": "李经理 13800000000",
            "progress": "注册检验已送样",
            "needs": "希望对接临床医院",
        },
    )
    assert response.status_code == 302
    assert archive.number not in _text(team.get("/biomed/follow-ups/overdue/"))
    detail = team.get(f"/api/v1/biomed/archives/{archive.number}").json()
    assert detail["follow_up_due"].startswith("2026-04-05")
    page = _text(client_as(enterprise).get(f"/biomed/archives/{archive.number}/"))
    assert "注册检验已送样" in page and "希望对接临床医院" in page
    # Missing fields are named.
    bad = team.post(f"/api/v1/biomed/archives/{archive.number}/follow-ups", {"contact": ""})
    assert bad.status_code == 422 and "注册进展：必须填写" in str(bad.json())


@pytest.mark.req("BIO-5")
def test_overdue_sorted_by_days_and_only_for_the_team(client_as, enterprise, operator, frozen):
    first = _open(client_as(enterprise), name="甲产品")
    frozen.move_to(NOW + dt.timedelta(days=5))
    second = _open(client_as(enterprise), name="乙产品")
    frozen.move_to(NOW + dt.timedelta(days=30))
    rows = client_as(operator).get("/api/v1/biomed/follow-ups/overdue").json()
    assert [r["number"] for r in rows] == [first.number, second.number]
    assert rows[0]["days_overdue"] > rows[1]["days_overdue"]
    assert client_as(enterprise).get("/biomed/follow-ups/overdue/").status_code == 403


@pytest.mark.req("BIO-6")
def test_pre_review_rounds_until_passed(client_as, enterprise, operator, expert):
    archive = _open(client_as(enterprise), stage="application")
    firm, team = client_as(enterprise), client_as(operator)
    # The team invites an expert reviewer.
    assert (
        team.post(f"/biomed/archives/{archive.number}/reviewer/", {"expert": expert.pk}).status_code
        == 302
    )
    response = firm.post(
        f"/biomed/archives/{archive.number}/review/",
        {
            "version": archive.version,
            "title_1": "产品技术要求",
            "file_1": _pdf(),
            "title_2": "风险管理报告",
            "file_2": _pdf(),
        },
    )
    assert response.status_code == 302
    archive.refresh_from_db()
    assert archive.review_round == 1 and archive.review_status == "submitted"
    first, second = archive.dossier.all()
    reviewer = client_as(expert)
    answer = reviewer.post(
        f"/api/v1/biomed/archives/{archive.number}/review-comments",
        {
            "verdict": "return",
            f"comment_{first.pk}": "检验方法缺少引用标准",
            f"nonconforming_{first.pk}": "on",
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["review_status_label"] == "待补正"
    page = _text(firm.get(f"/biomed/archives/{archive.number}/"))
    assert "检验方法缺少引用标准" in page and "不符合项" in page
    assert "补正后再次提交" in page
    # Round 2.
    archive.refresh_from_db()
    firm.post(
        f"/biomed/archives/{archive.number}/review/",
        {"version": archive.version, "title_1": "产品技术要求（修订）", "file_1": _pdf()},
    )
    archive.refresh_from_db()
    assert archive.review_round == 2
    revised = archive.dossier.get(round=2)
    # Passing with a nonconformity marked is refused.
    refused = team.post(
        f"/api/v1/biomed/archives/{archive.number}/review-comments",
        {"verdict": "pass", f"nonconforming_{revised.pk}": "on"},
    )
    assert refused.status_code == 409
    passed = team.post(
        f"/api/v1/biomed/archives/{archive.number}/review-comments",
        {"verdict": "pass", f"comment_{revised.pk}": "符合要求"},
    )
    assert passed.json()["review_status_label"] == "预审通过"
    # No further round once passed.
    again = firm.post(
        f"/api/v1/biomed/archives/{archive.number}/review",
        {"title_1": "再交", "file_1": _pdf()},
    )
    assert again.status_code == 409


@pytest.mark.req("BIO-6")
def test_apply_review_needs_a_document_named(client_as, enterprise):
    archive = _open(client_as(enterprise))
    bad = client_as(enterprise).post(
        f"/api/v1/biomed/archives/{archive.number}/review", {"title_1": "说明书"}
    )
    assert bad.status_code == 422 and "资料 1 文件：请上传文件" in str(bad.json())
    assert not archive.dossier.exists()


@pytest.mark.req("BIO-6")
def test_mock_inspection_findings_graded_and_rectified(client_as, enterprise, operator):
    archive = _open(client_as(enterprise), stage="licensing")
    team, firm = client_as(operator), client_as(enterprise)
    answer = team.post(
        f"/api/v1/biomed/archives/{archive.number}/findings",
        {"grade": "major", "description": "洁净区压差未记录", "found_on": "2026-03-04"},
    )
    assert answer.status_code == 200
    finding = answer.json()["findings"][0]
    assert finding["grade_label"] == "主要" and not finding["closed"]
    early = team.post(
        f"/api/v1/biomed/archives/{archive.number}/closed-findings", {"finding": finding["id"]}
    )
    assert early.status_code == 409
    firm.post(
        f"/biomed/archives/{archive.number}/rectify/",
        {"finding": finding["id"], "rectification": "已增设压差记录表"},
    )
    team.post(f"/biomed/archives/{archive.number}/close-finding/", {"finding": finding["id"]})
    page = _text(firm.get(f"/biomed/archives/{archive.number}/"))
    assert "已增设压差记录表" in page and "整改已确认" in page and "主要" in page


@pytest.mark.req("BIO-3")
def test_station_staff_see_the_archives_they_serve_and_experts_those_they_review(
    client_as, enterprise, operator, station_staff, expert
):
    archive = _open(client_as(enterprise))
    staff = client_as(station_staff)
    # Nobody in charge yet: station staff may take it.
    assert archive.number in _text(staff.get("/biomed/archives/"))
    assert client_as(expert).get(f"/biomed/archives/{archive.number}/").status_code == 404
    answer = client_as(operator).post(
        f"/api/v1/biomed/archives/{archive.number}/assign",
        {"handler": operator.pk, "version": archive.version},
    )
    assert answer.status_code == 200 and answer.json()["handler"] == operator.party_name
    assert staff.get(f"/biomed/archives/{archive.number}/").status_code == 404
    assert archive.number not in _text(staff.get("/biomed/archives/"))
    client_as(operator).post(
        f"/api/v1/biomed/archives/{archive.number}/reviewers", {"expert": expert.pk}
    )
    page = _text(client_as(expert).get(f"/biomed/archives/{archive.number}/"))
    assert "预审专家" in page and expert.party_name in page


@pytest.mark.req("BIO-9")
def test_service_form_offers_todays_date_a_date_input_accepts(client_as, enterprise, operator):
    archive = _open(client_as(enterprise))
    page = _text(client_as(operator).get(f"/biomed/archives/{archive.number}/"))
    assert 'type="date" name="served_on" value="2026-03-04"' in page
