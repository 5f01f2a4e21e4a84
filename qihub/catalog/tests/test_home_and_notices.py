"""Issue 15: the home page as a government service portal (notices, popular services, stations,
the log-in panel), the operators' notices and the breadcrumbs, through the pages and the API."""

import re

import pytest

from qihub.accounts.models import Station
from qihub.catalog.models import Notice, NoticeStatus, ServiceItem
from qihub.core import testing


def _home_notices(page: str) -> list[str]:
    block = page.split('data-testid="home-notices"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-testid="home-notice">.*?<a href="[^"]+">([^<]+)</a>', block, re.S)


def _publish(
    client, title: str, body: str = "春节期间窗口暂停受理，线上照常。", pinned: bool = False
):
    data = {"title": title, "body": body}
    if pinned:
        data["pinned"] = "on"
    return client.post("/ops/notices/", data)


@pytest.mark.req("OPS-4")
def test_a_notice_the_operator_publishes_is_on_the_home_page_until_withdrawn(client_as, operator):
    staff = client_as(operator)
    answer = _publish(staff, "关于春节期间服务安排的通知")
    assert answer.status_code == 302
    _publish(staff, "平台系统升级公告", pinned=True)

    home = client_as(None).get("/").content.decode()
    # Pinned first, then the newest.
    assert _home_notices(home) == ["平台系统升级公告", "关于春节期间服务安排的通知"]

    notice = Notice.objects.get(title="关于春节期间服务安排的通知")
    detail = client_as(None).get(f"/notices/{notice.pk}/").content.decode()
    assert "春节期间窗口暂停受理" in detail
    assert 'data-testid="withdraw-notice"' not in detail  # visitors are offered no withdraw

    page = staff.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-testid="withdraw-notice"' in page and "data-confirm=" in page
    answer = staff.post(f"/notices/{notice.pk}/withdraw/", {"version": notice.version})
    assert answer.status_code == 302

    home = client_as(None).get("/").content.decode()
    assert _home_notices(home) == ["平台系统升级公告"]
    assert "关于春节期间服务安排的通知" not in client_as(None).get("/notices/").content.decode()
    assert client_as(None).get(f"/notices/{notice.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert list(notice.events.values_list("kind", "by")) == [
        ("published", operator.pk),
        ("withdrawn", operator.pk),
    ]
    # The operator's page still lists it, as withdrawn, with no second withdraw.
    manage = staff.get("/ops/notices/").content.decode()
    assert "关于春节期间服务安排的通知" in manage and "已撤回" in manage


@pytest.mark.parametrize(
    "name", ["enterprise", "individual", "institution", "station_staff", "supervisor"]
)
def test_only_operators_publish_or_withdraw_notices(client_as, operator, request, name):
    _publish(client_as(operator), "平台服务时间调整")
    notice = Notice.objects.get()
    other = client_as(request.getfixturevalue(name))

    page = other.get("/ops/notices/")
    assert page.status_code == 403 and "无权" in page.content.decode()
    posted = _publish(other, "冒充的公告")
    assert posted.status_code == 403
    withdrawn = other.post(f"/notices/{notice.pk}/withdraw/", {"version": notice.version})
    assert withdrawn.status_code == 403
    assert "只有平台运营人员可以撤回通知公告" in withdrawn.content.decode()
    api = other.post(f"/api/v1/notices/{notice.pk}/withdraw", {"version": notice.version})
    assert api.status_code == 403 and api.json()["detail"] == "只有平台运营人员可以撤回通知公告"

    assert list(Notice.objects.values_list("title", "status")) == [
        ("平台服务时间调整", NoticeStatus.PUBLISHED)
    ]


def test_visitors_are_sent_to_log_in_before_the_notice_page(client_as):
    answer = client_as(None).get("/ops/notices/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_a_notice_without_title_or_body_names_the_field_and_saves_nothing(client_as, operator):
    answer = client_as(operator).post("/ops/notices/", {"title": "  ", "body": ""})

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "标题：必须填写" in page and "正文：必须填写" in page
    assert not Notice.objects.exists()


def test_the_api_lists_published_notices_and_withdraws_for_operators(client_as, operator):
    staff = client_as(operator)
    _publish(staff, "第一则公告")
    _publish(staff, "第二则公告")
    first = Notice.objects.get(title="第一则公告")

    answer = staff.post(f"/api/v1/notices/{first.pk}/withdraw", {"version": first.version})
    assert answer.status_code == 200 and answer.json()["status_label"] == "已撤回"
    listed = client_as(None).get("/api/v1/notices").json()
    assert [n["title"] for n in listed] == ["第二则公告"]
    stale = staff.post(f"/api/v1/notices/{first.pk}/withdraw", {"version": first.version})
    assert stale.status_code == 409


@pytest.mark.req("OPS-4")
def test_the_home_page_lists_the_stations_with_region_and_address(client_as):
    Station.objects.create(name="滨湖服务站", region="320211", address="蠡湖大道 2000 号")
    Station.objects.create(name="已撤销的站点", region="320211", active=False)

    page = client_as(None).get("/").content.decode()
    block = page.split('data-testid="stations"', 1)[1]
    assert "滨湖服务站" in block and "江苏省无锡市滨湖区" in block and "蠡湖大道 2000 号" in block
    assert "已撤销的站点" not in page


@pytest.mark.req("OPS-4")
def test_popular_services_put_the_most_ordered_catalogue_item_first(client_as):
    page = client_as(None).get("/").content.decode()
    shown = re.findall(r'data-testid="popular-service"><a href="/services/([^/]+)/"', page)
    assert len(shown) == 6  # the seeded catalogue fills the list while there are no orders

    item = ServiceItem.objects.order_by("-category", "-position").first()
    assert item.code not in shown[:1]
    order = testing.order()
    order.service.catalogue_item = item
    order.service.save(update_fields=["catalogue_item"])

    page = client_as(None).get("/").content.decode()
    shown = re.findall(r'data-testid="popular-service"><a href="/services/([^/]+)/"', page)
    assert shown[0] == item.code
    assert item.name in page


@pytest.mark.req("OPS-4")
def test_the_log_in_panel_is_for_visitors_only(client_as, enterprise):
    visitor = client_as(None).get("/").content.decode()
    assert 'data-testid="login-panel"' in visitor
    assert 'href="/accounts/login/"' in visitor.split('data-testid="login-panel"', 1)[1]

    member = client_as(enterprise).get("/").content.decode()
    assert 'data-testid="login-panel"' not in member
    assert 'data-testid="home-welcome"' in member


@pytest.mark.req("OPS-4")
def test_breadcrumbs_lead_from_the_home_page_to_a_detail_page(client_as, enterprise):
    item = ServiceItem.objects.first()
    page = client_as(None).get(f"/services/{item.code}/").content.decode()
    trail = page.split('data-testid="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</(?:a|li)>", trail) == ["首页", "服务目录", item.name]

    order = testing.order(enterprise)
    page = client_as(enterprise).get(f"/orders/{order.number}/").content.decode()
    trail = page.split('data-testid="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</(?:a|li)>", trail) == [
        "首页",
        "企业工作台",
        "我的订单",
        order.number,
    ]
    assert 'href="/orders/"' in trail and 'aria-current="page"' in trail

    home = client_as(None).get("/").content.decode()
    assert 'data-testid="breadcrumbs"' not in home


def test_the_admin_wears_the_portal_colours_and_a_chinese_header(client_as, admin):
    page = client_as(admin).get("/admin/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "质量基础设施一站式服务平台 管理后台" in text
    assert "/static/qihub/admin.css" in text
    assert "<title>后台管理首页 | 质量基础设施一站式服务平台</title>" in text


@pytest.mark.req("OPS-4")
def test_orders_move_the_popular_services_within_a_minute_without_recounting_every_visit(
    client_as, django_assert_max_num_queries
):
    """Orders alone (no catalogue or service edit) reach the popular list once the sampled
    order generation is read again, at most `POPULAR_REFRESH_SECONDS` later; until then a
    visit reuses the cached fragments instead of counting every order again (issue 23)."""
    import time_machine
    from django.utils import timezone

    from qihub.catalog import home_cache

    lab = testing.institution()
    first = testing.order(institution_org=lab)
    item = ServiceItem.objects.order_by("-category", "-position").first()
    first.service.catalogue_item = item
    first.service.save(update_fields=["catalogue_item"])
    visitor = client_as(None)

    def popular() -> list[str]:
        page = visitor.get("/").content.decode()
        return re.findall(r'data-testid="popular-service"><a href="/services/([^/]+)/"', page)

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert popular()[0] == item.code
        other = ServiceItem.objects.exclude(pk=item.pk).order_by("category", "position").first()
        rival = testing.order(institution_org=testing.institution(name="另一家检测机构"))
        rival.service.catalogue_item = other
        rival.service.save(update_fields=["catalogue_item"])  # an edit: the fragments go
        assert popular()[0] == item.code  # one order each: unchanged
        for _ in range(2):  # two more orders of the rival's service: no edit, only orders
            testing.order(institution_org=rival.service.organisation)
        with django_assert_max_num_queries(6):  # fragments reused: no count of the orders
            assert popular()[0] == item.code
        traveller.shift(home_cache.POPULAR_REFRESH_SECONDS + 1)
        assert popular()[0] == other.code
