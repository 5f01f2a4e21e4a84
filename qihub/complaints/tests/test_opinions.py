"""The suggestion box and the supervision hotline record, each opinion with its improvement (CMP-3)."""

import io

import pytest
from openpyxl import load_workbook

from qihub.complaints.models import Opinion


@pytest.mark.req("CMP-3")
def test_anyone_drops_an_opinion_and_staff_log_hotline_calls_each_closed_with_its_improvement(
    client, client_as, operator, supervisor, enterprise
):
    box = client.post(
        "/opinions/new/",
        {"kind": "suggestion", "content": "希望周六也能办理计量业务", "contact": ""},
    )
    client_as(enterprise).post(
        "/opinions/new/", {"kind": "criticism", "content": "网站检索太慢", "contact": ""}
    )
    staff = client_as(operator)
    staff.post(
        "/ops/opinions/",
        {
            "channel": "hotline",
            "kind": "praise",
            "content": "来电表扬窗口服务热情",
            "contact": "138****0000",
        },
    )
    first = Opinion.objects.get(content__startswith="希望周六")
    staff.post(
        f"/ops/opinions/{first.number}/close/",
        {"reply": "已采纳", "improvement": "自 12 月起周六上午开放计量窗口"},
    )
    listing = client_as(supervisor).get("/ops/opinions/").content.decode()
    sheet = load_workbook(
        io.BytesIO(client_as(supervisor).get("/ops/opinions/?export=xlsx").content)
    ).active

    assert box.status_code == 302 and first.number.startswith("YJ-")
    assert sorted(Opinion.objects.values_list("channel", flat=True)) == ["box", "box", "hotline"]
    assert Opinion.objects.get(channel="hotline").recorded_by == operator
    assert Opinion.objects.get(content="网站检索太慢").submitted_by == enterprise
    assert "自 12 月起周六上午开放计量窗口" in listing
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert (
        rows[first.number][7] == "自 12 月起周六上午开放计量窗口"
        and rows[first.number][5] == "已处理"
    )


@pytest.mark.req("CMP-3")
def test_an_opinion_needs_content_and_is_closed_only_with_an_improvement(
    client, client_as, operator, supervisor
):
    empty = client.post("/opinions/new/", {"kind": "suggestion", "content": " ", "contact": ""})
    client.post("/opinions/new/", {"kind": "suggestion", "content": "增加停车位", "contact": ""})
    opinion = Opinion.objects.get()

    no_improvement = client_as(operator).post(
        f"/ops/opinions/{opinion.number}/close/", {"reply": "收到", "improvement": ""}, follow=True
    )
    supervisor_log = client_as(supervisor).post(
        "/ops/opinions/", {"channel": "hotline", "kind": "praise", "content": "好", "contact": ""}
    )

    assert empty.status_code == 400 and "意见内容：必须填写" in empty.content.decode()
    assert "改进措施：必须填写" in no_improvement.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == "open"
    assert supervisor_log.status_code == 403 and Opinion.objects.count() == 1
