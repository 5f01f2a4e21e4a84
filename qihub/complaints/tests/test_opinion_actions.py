"""Opinions on the one workflow mechanism and through the API (CMP-3): submitting and closing each
leave one event; closing is the opinion table's action on page and API alike."""

import pytest

from qihub.complaints import workflow
from qihub.complaints.models import Opinion


@pytest.fixture
def opinion(db):
    return workflow.submit_opinion(channel="box", kind="suggestion", content="希望周六也能办理")


CLOSE = {"reply": "已采纳", "improvement": "周六上午开放计量窗口"}


@pytest.mark.req("CMP-3")
def test_submitting_an_opinion_writes_one_received_event(client, db):
    client.post("/opinions/new/", {"kind": "suggestion", "content": "增加停车位", "contact": ""})

    event = Opinion.objects.get().events.get()
    assert (event.kind, event.from_status, event.to_status, event.by) == (
        "received",
        "",
        "open",
        None,
    )


@pytest.mark.req("CMP-3")
@pytest.mark.parametrize("layer", ["page", "api"])
def test_closing_an_opinion_writes_one_closed_event(client_as, operator, opinion, layer):
    client = client_as(operator)
    if layer == "page":
        response = client.post(f"/ops/opinions/{opinion.number}/close/", CLOSE)
    else:
        response = client.post(f"/api/v1/opinions/{opinion.number}/close", CLOSE)

    assert response.status_code == (302 if layer == "page" else 200)
    opinion.refresh_from_db()
    assert (opinion.status, opinion.improvement, opinion.handled_by) == (
        "closed",
        "周六上午开放计量窗口",
        operator,
    )
    assert list(opinion.events.values_list("kind", "from_status", "to_status")) == [
        ("received", "", "open"),
        ("closed", "open", "closed"),
    ]
    if layer == "api":
        assert response.json()["status"] == "closed"


@pytest.mark.req("CMP-3")
@pytest.mark.parametrize("layer", ["page", "api"])
@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("enterprise", 404)])
def test_only_deciders_close_and_others_change_nothing(
    request, client_as, opinion, layer, who, status
):
    client = client_as(request.getfixturevalue(who))
    if layer == "page":
        response = client.post(f"/ops/opinions/{opinion.number}/close/", CLOSE)
    else:
        response = client.post(f"/api/v1/opinions/{opinion.number}/close", CLOSE)

    assert response.status_code == status
    opinion.refresh_from_db()
    assert opinion.status == "open" and opinion.events.count() == 1


@pytest.mark.req("CMP-3")
def test_closing_twice_or_without_an_improvement_is_refused_in_chinese(
    client_as, operator, opinion
):
    client = client_as(operator)
    url = f"/api/v1/opinions/{opinion.number}/close"

    empty = client.post(url, {"reply": "收到", "improvement": ""})
    first = client.post(url, CLOSE)
    again = client.post(url, CLOSE)

    assert empty.status_code == 422
    assert empty.json()["errors"]["improvement"] == ["改进措施：必须填写（无需改进的写明理由）"]
    assert first.status_code == 200
    assert again.status_code == 409 and "当前状态（已处理）不能处理意见" in again.json()["detail"]
    assert opinion.events.filter(kind="closed").count() == 1


@pytest.mark.req("CMP-3")
def test_the_opinions_api_lists_for_staff_and_takes_the_box(
    client_as, operator, supervisor, enterprise, opinion
):
    dropped = client_as(enterprise).post(
        "/api/v1/opinions", {"kind": "criticism", "content": "网站检索太慢"}
    )
    recorded = client_as(operator).post(
        "/api/v1/opinions",
        {"channel": "hotline", "kind": "praise", "content": "来电表扬窗口", "contact": ""},
    )
    member_records = client_as(enterprise).post(
        "/api/v1/opinions", {"channel": "hotline", "kind": "praise", "content": "冒充热线"}
    )
    bad = client_as(enterprise).post("/api/v1/opinions", {"kind": "rumour", "content": " "})
    listing = client_as(supervisor).get("/api/v1/opinions")
    detail = client_as(supervisor).get(f"/api/v1/opinions/{opinion.number}")
    member_list = client_as(enterprise).get("/api/v1/opinions")
    member_detail = client_as(enterprise).get(f"/api/v1/opinions/{opinion.number}")

    assert dropped.status_code == 201 and dropped.json()["number"].startswith("YJ-")
    new = Opinion.objects.get(number=dropped.json()["number"])
    assert (new.channel, new.submitted_by) == ("box", enterprise)
    assert new.events.get().kind == "received"
    assert recorded.status_code == 201
    assert Opinion.objects.get(channel="hotline").recorded_by == operator
    assert member_records.status_code == 403
    assert bad.status_code == 422
    assert bad.json()["errors"]["kind"] == ["意见类别：不是可选的值"]
    assert bad.json()["errors"]["content"] == ["意见内容：必须填写"]
    assert listing.status_code == 200 and len(listing.json()) == 3
    assert detail.status_code == 200 and detail.json()["events"][0]["kind"] == "received"
    assert member_list.status_code == 403 and member_detail.status_code == 404
    assert Opinion.objects.count() == 3


@pytest.mark.req("CMP-3")
def test_the_opinion_page_shows_the_close_form_only_to_deciders(
    client_as, operator, supervisor, opinion
):
    action = f"/ops/opinions/{opinion.number}/close/"

    staff = client_as(operator).get(f"/ops/opinions/{opinion.number}/")
    reader = client_as(supervisor).get(f"/ops/opinions/{opinion.number}/")

    assert staff.status_code == 200 and action in staff.content.decode()
    assert reader.status_code == 200 and action not in reader.content.decode()
    assert "希望周六也能办理" in reader.content.decode()
