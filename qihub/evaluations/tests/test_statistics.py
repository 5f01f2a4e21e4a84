"""Quarterly and yearly figures per platform, institution and station, published without personal
data, with every dissatisfied evaluation analysed (EVAL-6)."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import UserFactory
from qihub.accounts.models import Role, Station
from qihub.evaluations.models import Evaluation
from qihub.evaluations.tests.helpers import served_order


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.fixture
def clerk(db):
    station = Station.objects.create(name="滨湖区一站式服务站", region="320211")
    return UserFactory(
        username="clerk", role=Role.STATION_STAFF, station=station, display_name="窗口小王"
    )


def quarter_query() -> str:
    today = timezone.localdate()
    return f"year={today.year}&quarter={(today.month - 1) // 3 + 1}"


@pytest.mark.req("EVAL-6")
def test_the_public_page_shows_groups_large_enough_and_never_a_person(
    client_as, company, lab, labs, clerk, settings
):
    settings.QIHUB_STATS_MIN_GROUP = 3
    for overall in (5, 4, 2):
        served_order(
            client_as,
            company,
            lab,
            clerk,
            overall=overall,
            comment="王工态度不好" if overall == 2 else "",
        )
    small = labs["南京计量测试所"]
    served_order(client_as, company, small, overall=1)

    page = client_as(None).get(f"/statistics/?{quarter_query()}").content.decode()

    institutions = page[
        page.index('data-testid="institutions"') : page.index('data-testid="stations"')
    ]
    assert (
        "无锡塑料制品检验所" in institutions and "南京计量测试所" not in institutions
    )  # 3 vs 1 evaluation
    # A rate says what it counts: "100.0%（3/3 件按时）", never a bare 100% over nothing.
    assert re.search(r"\d+(\.\d)?%<span[^>]*>（\d+/\d+ 件按时）", institutions)
    assert "滨湖区一站式服务站" in page
    for personal in ("窗口小王", "clerk", company.username, company.display_name, "王工态度不好"):
        assert personal not in page
    assert "平台合计" in page


@pytest.mark.req("EVAL-6")
def test_the_dashboard_has_figures_per_group_charts_exports_and_the_quarterly_pdf(
    client_as, company, lab, clerk, supervisor, operator
):
    served_order(client_as, company, lab, clerk, overall=5)
    served_order(client_as, company, lab, clerk, overall=1, comment="报告错字多")
    dissatisfied = Evaluation.objects.get(overall=1)
    boss = client_as(supervisor)
    query = quarter_query()

    before = boss.get(f"/ops/statistics/?{query}").content.decode()
    client_as(operator).post(
        f"/ops/evaluations/{dissatisfied.pk}/analyse/", {"analysis": "校对环节缺失，已增加复核"}
    )
    after = boss.get(f"/ops/statistics/?{query}").content.decode()
    chart = boss.get(f"/statistics/chart/on-time.svg?{query}")
    sheet = load_workbook(
        io.BytesIO(boss.get(f"/ops/statistics/?{query}&export=institutions").content)
    ).active
    analysed = load_workbook(
        io.BytesIO(boss.get(f"/ops/statistics/?{query}&export=dissatisfied").content)
    ).active
    pdf = boss.get(f"/ops/statistics/report.pdf?{query}")

    assert "报告错字多" in before and "待分析" in before
    assert "校对环节缺失，已增加复核" in after
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    assert "需求响应" in chart.content.decode()  # per clock
    header = [c.value for c in sheet[1]]
    lab_row = [c.value for c in sheet[2]]
    assert lab_row[0] == "无锡塑料制品检验所"
    assert (lab_row[header.index("评价数")], lab_row[header.index("不满意")]) == (2, 1)
    assert [c.value for c in analysed[2]][-1] == "校对环节缺失，已增加复核"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        "服务统计与满意度分析报告" in text
        and "无锡塑料制品检验所" in text
        and "校对环节缺失" in text
    )


@pytest.mark.req("EVAL-6")
def test_a_bad_period_is_named_and_the_current_quarter_shown(client_as, supervisor):
    page = (
        client_as(supervisor)
        .get("/ops/statistics/?year=abc&quarter=7", follow=True)
        .content.decode()
    )
    wrong_quarter = client_as(None).get("/statistics/?year=2026&quarter=7").content.decode()

    assert "年度：请填写四位数字年份" in page
    assert "季度：请选择 1–4 或全年" in wrong_quarter
    assert str(timezone.localdate().year) in page


@pytest.mark.req("EVAL-6")
def test_yearly_figures_add_up_the_quarters(client_as, company, lab):
    served_order(client_as, company, lab, overall=4)
    year = timezone.localdate().year

    page = client_as(None).get(f"/statistics/?year={year}").content.decode()

    assert f"{year}年度" in page
    platform = page[page.index('data-testid="platform"') : page.index('data-testid="institutions"')]
    # one order, one completed
    assert '<td data-label="订单">1</td><td data-label="完成">1</td>' in platform
