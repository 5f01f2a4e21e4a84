"""From a demand to a recommendation: publish, respond, recommend, follow up (DEM-1 … DEM-9)."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command

from qihub.deadlines.models import Clock
from qihub.deadlines.workflow import sweep
from qihub.demands.models import Demand
from qihub.notifications.models import Notification

PIPE = {
    "category": "testing",
    "title": "PE 给水管静液压强度检测",
    "description": "我司生产 PE 给水管，需要按 GB/T 6111-2018 做静液压强度检测，出具 CMA 报告",
    "product": "塑料管材",
    "standard": "GB/T 6111-2018",
    "region": "320211",
}


def publish(client, data=PIPE, url="/demands/new/"):
    return client.post(url, data)


def subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


@pytest.mark.req("DEM-1")
def test_an_enterprise_publishes_a_demand_online_and_staff_are_told(
    client_as, company, operator, labs
):
    response = publish(client_as(company))

    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.number}/"
    assert (
        demand.channel == "online" and demand.entered_by is None and demand.number.startswith("XQ-")
    )
    assert any(s.startswith("新需求待响应") for s in subjects(operator))
    page = client_as(company).get("/demands/").content.decode()
    assert demand.number in page and "剩余" in page or "今日到期" in page


@pytest.mark.req("DEM-1")
def test_staff_enter_a_demand_received_by_phone_on_the_clients_behalf(
    client_as, company, operator, labs
):
    staff = client_as(operator)
    response = publish(
        staff,
        {**PIPE, "client": company.organisation.uscc, "channel": "phone"},
        url="/ops/demands/new/",
    )

    demand = Demand.objects.get()
    assert response.status_code == 302
    assert (demand.client, demand.channel, demand.entered_by) == (company, "phone", operator)
    assert "电话，由" in demand.events.first().note
    assert demand.number in client_as(company).get("/demands/").content.decode()


@pytest.mark.req("DEM-1")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "需求标题：必须填写"),
        ({"region": "32"}, "所在地区：应为 6 位行政区划代码"),
        ({"category": "rocket"}, "服务类别：不是可选的值"),
        ({"wished_by": "2020-01-01"}, "期望完成日期：不能早于今天"),
    ],
)
def test_bad_demand_input_is_refused_with_the_field_named(client_as, company, change, message):
    response = publish(client_as(company), {**PIPE, **change})

    assert response.status_code == 400 and message in response.content.decode()
    assert not Demand.objects.exists()


@pytest.mark.req("DEM-1")
def test_a_demand_very_similar_to_an_open_one_is_flagged_before_publishing(
    client_as, company, labs
):
    ent = client_as(company)
    publish(ent)
    again = publish(ent, {**PIPE, "title": "PE给水管 静液压强度检测"})
    confirmed = publish(ent, {**PIPE, "title": "PE给水管 静液压强度检测", "allow_similar": "on"})

    assert again.status_code == 400 and "高度相似" in again.content.decode()
    assert confirmed.status_code == 302
    first, second = Demand.objects.order_by("id")
    assert second.similar_to == first


@pytest.mark.req("DEM-1")
def test_the_publish_anyway_checkbox_appears_with_its_label_only_for_a_similar_demand(
    client_as, company, labs
):
    ent = client_as(company)
    blank = ent.get("/demands/new/").content.decode()
    publish(ent)
    again = publish(ent, {**PIPE, "title": "PE给水管 静液压强度检测"}).content.decode()

    assert "仍然发布（这是一个新的需求）" not in blank
    assert 'type="checkbox" name="allow_similar"' not in blank
    assert "仍然发布（这是一个新的需求）" in again
    assert 'type="checkbox" name="allow_similar"' in again
    assert again.count('name="allow_similar"') == 1


@pytest.mark.req("DEM-2")
def test_station_staff_record_a_visit_and_the_demands_collected_there(
    client_as, station_staff, company, labs
):
    staff = client_as(station_staff)
    response = staff.post(
        "/station/visits/",
        {
            "enterprise": company.organisation.name,
            "visited_on": "2026-11-20",
            "summary": "了解到企业新产品需检测",
        },
    )
    visit_url = response["Location"]
    publish(
        staff,
        {
            **PIPE,
            "client": company.organisation.name,
            "channel": "visit",
            "visit": visit_url.split("=")[1],
        },
        url=visit_url,
    )

    demand = Demand.objects.get()
    assert demand.visit.organisation == company.organisation
    assert demand.visit.enterprise_name == company.organisation.name and demand.channel == "visit"
    assert demand.number in staff.get("/station/visits/").content.decode()


@pytest.mark.req("DEM-3")
@pytest.mark.req("DEM-4")
def test_publication_starts_the_response_and_recommendation_clocks_on_the_calendar(
    client_as, company, labs
):
    # Published on Friday 2026-09-25: 1 working day → Monday 28th; 3 working days → Wednesday
    # 30th (National Day starts 1 October; Sunday 27 September is not a make-up day in 2026).
    with time_machine.travel(dt.datetime(2026, 9, 25, 10, 0, tzinfo=dt.UTC), tick=False):
        publish(client_as(company))
    demand = Demand.objects.get()
    clocks = {
        c.code: c.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))) for c in Clock.objects.all()
    }

    assert clocks["demand_response"].strftime("%Y-%m-%d %H:%M") == "2026-09-28 23:59"
    assert clocks["demand_recommendation"].strftime("%Y-%m-%d %H:%M") == "2026-09-30 23:59"
    with time_machine.travel(dt.datetime(2026, 9, 25, 10, 5, tzinfo=dt.UTC), tick=False):
        page = client_as(company).get(f"/demands/{demand.number}/").content.decode()
    assert "需求响应" in page and "机构推荐" in page and "剩余 1 个工作日" in page


@pytest.mark.req("DEM-3")
def test_an_unanswered_demand_escalates_after_its_working_day(
    client_as, company, operator, supervisor, labs
):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        publish(client_as(company))
    result = sweep(now=start + dt.timedelta(days=6))

    assert result.overdue >= 1
    assert any(s == "超时督办：需求响应" for s in subjects(supervisor))


@pytest.mark.req("DEM-3")
@pytest.mark.req("DEM-8")
def test_the_operator_responds_and_becomes_the_first_responsible_person(
    client_as, company, operator, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()

    client_as(operator).post(
        f"/demands/{demand.number}/respond/", {"version": demand.version, "note": "已受理"}
    )

    demand.refresh_from_db()
    assert demand.status == "responded" and demand.responsible == operator
    assert Clock.objects.get(code="demand_response").state == "stopped"
    assert any("已受理" in s for s in subjects(company))
    assert "按时办结" in client_as(company).get(f"/demands/{demand.number}/").content.decode()


@pytest.mark.req("DEM-4")
@pytest.mark.req("DEM-5")
def test_the_shortlist_explains_itself_and_the_operator_sends_it(
    client_as, company, operator, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()
    draft = client_as(company).get(f"/demands/{demand.number}/").content.decode()
    items = list(demand.recommendation.items.all())

    response = client_as(operator).post(
        f"/demands/{demand.number}/send/", {"version": demand.version, "note": "请优先联系"}
    )
    demand.refresh_from_db()
    page = client_as(company).get(f"/demands/{demand.number}/").content.decode()
    lab = labs["无锡塑料制品检验所"]

    assert items[0].organisation == lab  # the pipe lab first; its scope carries the standard
    assert any("塑料管材 ｜ 静液压强度 ｜ GB/T 6111-2018" in r for r in items[0].reasons)
    assert "推荐机构" not in draft  # the client sees nothing before it is sent
    assert response.status_code == 302 and demand.status == "recommended"
    assert Clock.objects.get(code="demand_recommendation").state == "stopped"
    assert "无锡塑料制品检验所" in page and "同一区县" in page
    assert any("推荐了贵机构" in s for s in subjects(lab.account))
    assert demand.number in client_as(lab.account).get("/institution/demands/").content.decode()


@pytest.mark.req("DEM-4")
def test_the_operator_drops_and_adds_institutions_before_sending(
    client_as, company, operator, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()
    metrology = labs["南京计量测试所"]
    staff = client_as(operator)

    staff.post(
        f"/demands/{demand.number}/shortlist/",
        {"version": demand.version, "included": [], "add": metrology.name},
    )
    demand.refresh_from_db()
    staff.post(f"/demands/{demand.number}/send/", {"version": demand.version})

    sent = demand.recommendation.items.filter(included=True)
    assert [i.organisation for i in sent] == [metrology]
    assert sent[0].added_by_staff


@pytest.mark.req("DEM-4")
def test_a_second_operator_acting_on_the_same_demand_is_told_it_was_handled(
    client_as, company, operator, labs
):
    from conftest import UserFactory

    other = UserFactory(username="operator2", role="operator")
    publish(client_as(company))
    demand = Demand.objects.get()
    seen = demand.version

    client_as(operator).post(f"/demands/{demand.number}/respond/", {"version": seen})
    second = client_as(other).post(
        f"/demands/{demand.number}/respond/", {"version": seen}, follow=True
    )

    assert "已被他人处理" in second.content.decode()
    demand.refresh_from_db()
    assert demand.responsible == operator


@pytest.mark.req("DEM-6")
def test_when_no_institution_fits_the_outside_search_is_recorded_and_fed_back(
    client_as, company, operator, labs
):
    publish(
        client_as(company),
        {
            **PIPE,
            "title": "火箭发动机推力测试",
            "description": "液体火箭发动机推力测试",
            "product": "火箭发动机",
            "standard": "",
        },
    )
    demand = Demand.objects.get()
    assert not demand.recommendation.items.exists()

    client_as(operator).post(
        f"/demands/{demand.number}/refer/",
        {
            "version": demand.version,
            "searched": "查询省内外航天检测机构",
            "found": "某航天试验中心",
            "feedback": "可联系某航天试验中心，电话 010-0000",
        },
    )

    demand.refresh_from_db()
    assert demand.status == "referred" and demand.referrals.get().found == "某航天试验中心"
    assert "某航天试验中心" in client_as(company).get(f"/demands/{demand.number}/").content.decode()
    assert Clock.objects.filter(state="stopped").count() == 2


@pytest.mark.req("DEM-8")
def test_reassigning_the_first_responsible_person_tells_the_client(
    client_as, company, operator, station_staff, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()
    client_as(operator).post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    demand.refresh_from_db()

    client_as(operator).post(
        f"/demands/{demand.number}/reassign/",
        {"version": demand.version, "to": station_staff.pk, "reason": "转由属地服务站跟进"},
    )

    demand.refresh_from_db()
    assert demand.responsible == station_staff
    assert any("第一受理人已变更" in s for s in subjects(company))
    assert Clock.objects.get(code="demand_recommendation").owner == station_staff


@pytest.mark.req("DEM-7")
@pytest.mark.req("DEM-9")
def test_contacts_and_follow_ups_are_logged_by_each_party(client_as, company, operator, labs):
    publish(client_as(company))
    demand = Demand.objects.get()
    client_as(operator).post(f"/demands/{demand.number}/send/", {"version": demand.version})
    lab = labs["无锡塑料制品检验所"].account

    url = f"/demands/{demand.number}/contact/"
    contact = {
        "kind": "contact",
        "method": "电话",
        "with_whom": "企业联系人",
        "summary": "约定下周送样",
    }
    client_as(lab).post(url, contact)
    client_as(operator).post(url, {**contact, "kind": "follow_up", "summary": "确认已与机构对接"})
    refused = client_as(labs["南京计量测试所"].account).post(url, {**contact, "summary": "x"})

    page = client_as(company).get(f"/demands/{demand.number}/").content.decode()
    assert "约定下周送样" in page and "跟踪回访" in page
    assert refused.status_code == 404  # not recommended to it: it may not know the demand exists
    assert demand.contacts.count() == 2


@pytest.mark.req("DEM-9")
def test_the_client_changes_the_service_content_and_the_change_is_kept(
    client_as, company, operator, labs
):
    publish(client_as(company))
    demand = Demand.objects.get()

    client_as(company).post(
        f"/demands/{demand.number}/change/",
        {
            "version": demand.version,
            "title": demand.title,
            "description": demand.description,
            "product": "塑料管材",
            "standard": "GB/T 6671-2001",
            "reason": "客户要求增加纵向回缩率",
        },
    )

    demand.refresh_from_db()
    change = demand.changes.get()
    assert demand.standard == "GB/T 6671-2001"
    assert change.before == {"standard": "GB/T 6111-2018"} and change.after == {
        "standard": "GB/T 6671-2001"
    }
    assert (
        "客户要求增加纵向回缩率"
        in client_as(operator).get(f"/demands/{demand.number}/").content.decode()
    )


@pytest.mark.req("DEM-8")
def test_a_client_sees_only_their_own_demands(client_as, company, other_enterprise, labs):
    publish(client_as(company))
    demand = Demand.objects.get()

    assert client_as(other_enterprise).get(f"/demands/{demand.number}/").status_code == 404
    assert demand.number not in client_as(other_enterprise).get("/demands/").content.decode()


@pytest.mark.req("DEM-4")
def test_the_recommend_command_prints_a_ranked_json_array_with_reasons(labs):
    out = io.StringIO()
    call_command(
        "recommend",
        "--text",
        "塑料管材静液压强度 GB/T 6111",
        "--region",
        "3202",
        "--json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())

    assert rows[0]["name"] == "无锡塑料制品检验所"
    assert {"uscc", "name", "score", "reasons"} <= set(rows[0])
    assert any("GB/T 6111-2018" in r for r in rows[0]["reasons"])


@pytest.mark.req("DEM-1")
@pytest.mark.req("DEM-4")
def test_the_api_publishes_shows_clocks_and_sends_with_the_same_rules(
    client_as, company, operator, labs
):
    ent, staff = client_as(company), client_as(operator)

    created = ent.post("/api/v1/demands", PIPE)
    number = created.json()["number"]
    similar = ent.post("/api/v1/demands", PIPE)
    bad = ent.post("/api/v1/demands", {**PIPE, "region": "abc"})
    mine = ent.get(f"/api/v1/demands/{number}").json()
    by_client = ent.post(f"/api/v1/demands/{number}/recommendation/send", {"version": 1})
    sent = staff.post(f"/api/v1/demands/{number}/recommendation/send", {"version": mine["version"]})
    stale = staff.post(f"/api/v1/demands/{number}/respond", {"version": mine["version"]})

    assert created.status_code == 201 and [c["name"] for c in mine["clocks"]] == [
        "需求响应",
        "机构推荐",
    ]
    assert "recommendation" not in mine  # not sent yet
    assert similar.status_code == 409 and similar.json()["similar"] == number
    assert bad.status_code == 422 and "region" in bad.json()["errors"]
    assert by_client.status_code == 403
    assert sent.status_code == 200 and sent.json()["status"] == "recommended"
    assert ent.get(f"/api/v1/demands/{number}").json()["recommendation"]["institutions"][0][
        "name"
    ] == ("无锡塑料制品检验所")
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["detail"]


@pytest.mark.req("DEM-6")
@pytest.mark.req("DEM-8")
@pytest.mark.req("DEM-9")
def test_the_remaining_demand_actions_are_in_the_api(
    client_as, company, operator, station_staff, labs
):
    ent, staff = client_as(company), client_as(operator)
    number = ent.post("/api/v1/demands", PIPE).json()["number"]
    url = f"/api/v1/demands/{number}"

    changed = ent.post(
        f"{url}/change",
        {
            "version": 1,
            "title": PIPE["title"],
            "description": PIPE["description"],
            "product": "塑料管材",
            "standard": "",
            "reason": "不限标准",
        },
    )
    version = changed.json()["version"]
    reassigned = staff.post(
        f"{url}/reassign", {"version": version, "to": station_staff.pk, "reason": "属地跟进"}
    )
    contact = ent.post(
        f"{url}/contacts",
        {"kind": "contact", "method": "电话", "with_whom": "平台", "summary": "询问进度"},
    )
    referred = staff.post(
        f"{url}/referral",
        {
            "version": reassigned.json()["version"],
            "searched": "省外",
            "found": "",
            "feedback": "建议联系省外机构",
        },
    )
    by_client = ent.post(f"{url}/close", {"version": referred.json()["version"], "note": "x"})

    assert (
        changed.status_code == 200
        and reassigned.json()["responsible"] == station_staff.display_name
    )
    assert contact.status_code == 200
    assert referred.status_code == 200 and referred.json()["status"] == "referred"
    assert by_client.status_code == 403


@pytest.mark.req("DEM-4")
def test_an_institutions_track_record_moves_its_recommendation_once_there_is_enough(
    client_as, company, labs
):
    from qihub.demands.recommend import recommend
    from qihub.evaluations.tests.helpers import served_order

    lab = labs["无锡塑料制品检验所"]
    before = recommend(PIPE["description"], category="testing", region="320211")[0]
    for _ in range(4):
        served_order(client_as, company, lab, overall=2)
    four = recommend(PIPE["description"], category="testing", region="320211")[0]
    served_order(client_as, company, lab, overall=2)
    five = recommend(PIPE["description"], category="testing", region="320211")[0]

    assert before.organisation == lab and four.score == before.score  # four orders say nothing yet
    assert five.reasons[-1] == "近一年完成 5 单，按时完成率 100%；客户评价均分 2.0（5 条）"
    # all on time ×1.05; rated 2 of 5 → ×(0.95 + 0.1 × 1/4) = ×0.975
    assert five.score == pytest.approx(before.score * 1.05 * 0.975, abs=0.1)


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize(
    "action, data",
    [
        ("shortlist", {"add": ""}),
        ("reassign", {"reason": "我自己跟进"}),
        ("refer", {"searched": "自己找", "found": "", "feedback": "不用了"}),
        ("respond", {"note": ""}),
        ("send", {"note": ""}),
        ("close", {"note": "自己办结"}),
    ],
)
def test_the_client_cannot_take_staff_actions_on_its_own_demand_through_the_pages(
    client_as, company, operator, labs, action, data
):
    publish(client_as(company))
    demand = Demand.objects.get()
    events, clocks = demand.events.count(), list(Clock.objects.values_list("state", flat=True))
    if action == "reassign":
        data = {**data, "to": operator.pk}

    page = client_as(company).post(
        f"/demands/{demand.number}/{action}/", {**data, "version": demand.version}
    )

    assert page.status_code == 403 and "无权" in page.content.decode()
    after = Demand.objects.get()
    assert (after.status, after.responsible_id, after.version) == (
        "published",
        None,
        demand.version,
    )
    assert after.events.count() == events
    assert list(Clock.objects.values_list("state", flat=True)) == clocks


@pytest.mark.req("OPS-2")
def test_right_to_left_overrides_do_not_survive_in_titles_or_file_names(client_as, company, labs):
    """Probe finding 9: "\\u202e" survived in titles and file names (a file that looks like a PDF)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.demands.models import Demand

    response = client_as(company).post(
        "/demands/new/",
        {
            "category": "testing",
            "title": "PE 管检测\u202egpj.exe",
            "description": "静液压强度\u2066检测",
            "region": "320211",
            "attachment": SimpleUploadedFile(
                "说明\u202efdp.exe", b"%PDF-1.7\n%%EOF", content_type="application/pdf"
            ),
        },
    )

    demand = Demand.objects.get()
    assert response.status_code == 302
    assert demand.title == "PE 管检测gpj.exe" and demand.description == "静液压强度检测"
    assert demand.documents.get().original_name == "说明fdp.exe"


@pytest.mark.req("DEM-1")
def test_an_attachment_sent_through_the_api_is_kept_with_the_demand(client_as, company, labs):
    """Probe finding 9: the API validated a demand's attachment and then dropped it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(company).post(
        "/api/v1/demands",
        {
            **PIPE,
            "attachment": SimpleUploadedFile(
                "样品照片.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf"
            ),
        },
    )

    demand = Demand.objects.get()
    assert response.status_code == 201
    assert demand.documents.get().original_name == "样品照片.pdf"
    assert demand.documents.get().owner == company
