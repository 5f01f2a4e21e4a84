"""The satisfaction model (EVAL-3), its indicators (EVAL-4) and its sources (EVAL-5)."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from qihub.evaluations.models import Campaign, CampaignResponse
from qihub.evaluations.satisfaction import MODEL
from qihub.evaluations.tests.helpers import served_order

ALL_FOURS = {i.code: 4 for i in MODEL}


def this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


def campaign(client, **changes):
    year, quarter = this_quarter()
    data = {
        "title": "本季度平台满意度自评",
        "method": "self",
        "year": year,
        "quarter": quarter,
        "institution": "",
        "station": "",
        "evaluator": "",
        **changes,
    }
    return client.post("/ops/satisfaction/", data)


@pytest.mark.req("EVAL-4")
def test_the_questionnaire_asks_every_indicator_the_standards_name(client_as, operator):
    page = client_as(operator).get("/ops/satisfaction/").content.decode()
    campaign(client_as(operator))
    form = (
        client_as(operator).get(f"/ops/satisfaction/{Campaign.objects.get().pk}/").content.decode()
    )

    for name in (
        "服务流程",
        "服务规范",
        "服务效率",
        "服务态度",
        "平台便捷性",
        "平台完备性",
        "人员能力",
    ):
        assert name in form
    assert "集中受理、按时办结" in form  # efficiency includes on-time completion
    assert abs(sum(i.weight for i in MODEL) - 1) < 1e-9
    assert "满意度指数" in page


@pytest.mark.req("EVAL-3")
def test_the_index_is_the_weighted_mean_rescaled_to_a_hundred(client_as, operator):
    staff = client_as(operator)
    campaign(staff)
    item = Campaign.objects.get()

    staff.post(f"/ops/satisfaction/{item.pk}/", {**ALL_FOURS, "comment": ""})
    staff.post(
        f"/ops/satisfaction/{item.pk}/",
        {**ALL_FOURS, "efficiency": 2, "competence": 5, "comment": ""},
    )
    page = staff.get(f"/ops/satisfaction/{item.pk}/").content.decode()

    # Means: 4 everywhere but efficiency 3 (w .20) and competence 4.5 (w .20):
    # .6×(4−1)/4 + .2×(3−1)/4 + .2×(4.5−1)/4 = .45 + .10 + .175 = .725 → 72.5
    assert 'data-testid="campaign-index">72.5<' in page
    assert 'data-testid="responses">2<' in page


@pytest.mark.req("EVAL-3")
def test_a_questionnaire_missing_a_score_is_refused_with_the_indicator_named(client_as, operator):
    staff = client_as(operator)
    campaign(staff)
    item = Campaign.objects.get()

    response = staff.post(
        f"/ops/satisfaction/{item.pk}/", {**ALL_FOURS, "norms": "", "convenience": 9}
    )

    body = response.content.decode()
    assert (
        response.status_code == 400
        and "服务规范：请打分" in body
        and "平台便捷性：请打 1–5 分" in body
    )
    assert not CampaignResponse.objects.exists()


@pytest.mark.req("EVAL-5")
def test_self_user_and_third_party_evaluations_combine_into_one_index(
    client_as, operator, supervisor, company, lab
):
    for _ in range(2):
        served_order(client_as, company, lab, overall=5)  # users: 5 on every answered indicator
    staff = client_as(operator)
    campaign(staff, method="self")
    missing = campaign(staff, method="third_party", title="第三方测评")
    campaign(
        client_as(supervisor),
        method="third_party",
        title="第三方测评",
        evaluator="某大学质量研究院",
    )
    own, third = Campaign.objects.order_by("pk")
    staff.post(f"/ops/satisfaction/{own.pk}/", {**ALL_FOURS, "comment": ""})  # 75.0
    staff.post(
        f"/ops/satisfaction/{third.pk}/", {**{k: 3 for k in ALL_FOURS}, "comment": ""}
    )  # 50.0

    year, quarter = this_quarter()
    page = (
        client_as(supervisor)
        .get(f"/ops/statistics/?year={year}&quarter={quarter}")
        .content.decode()
    )
    export = client_as(supervisor).get(
        f"/ops/statistics/?year={year}&quarter={quarter}&export=platform"
    )

    assert "评价主体：第三方评价须写明第三方机构名称" in missing.content.decode()
    # users 100 (w .5), third party 50 (w .3), self 75 (w .2) → 50 + 15 + 15 = 80.0
    assert 'data-testid="kpi-index">80.0<' in page
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("用户评价指数")] == 100.0
    assert row[header.index("自我评价指数")] == 75.0
    assert row[header.index("第三方评价指数")] == 50.0
    assert row[header.index("满意度指数(综合)")] == 80.0
