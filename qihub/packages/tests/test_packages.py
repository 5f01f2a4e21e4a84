"""Custom packages (DEM-12) through the pages and the API: the request, the coordinator's plan in
which one test serves several recognitions with the saving computed, acceptance into linked
orders, the progress view with the recognitions the issued reports cover, completion with the
last order, and the one evaluation of the whole package."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone

from qihub.core import testing
from qihub.deadlines.queries import clocks_for
from qihub.institutions.models import InstitutionService
from qihub.orders.models import Order
from qihub.packages.models import Package, PackageLine, Recognition

pytestmark = [pytest.mark.django_db, pytest.mark.req("DEM-12")]
NOW = dt.datetime(2026, 6, 2, 2, 0, tzinfo=dt.UTC)
CCC = "强制性产品认证（CCC）"
CE = "出口欧盟（CE）"


@pytest.fixture
def verified(enterprise):
    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    return enterprise


@pytest.fixture
def labs():
    """Two listed labs, each with one published fixed-price service."""
    safety = testing.institution("无锡家电安全检测中心", uscc=testing.uscc(prefix="12320211MC"))
    emc = testing.institution("无锡电磁兼容检测所", uscc=testing.uscc(prefix="12320211MD"))
    return safety.services.get(), emc.services.get()


def _recognition(name: str) -> Recognition:
    return Recognition.objects.get(name=name)


def _request(page, **extra):
    data = {
        "product": "电热水壶",
        "recognitions": [_recognition(CCC).pk, _recognition(CE).pk],
        "stages": ["research", "production"],
        "description": "新款电热水壶上市前需要 CCC 认证，同时出口欧盟。",
        **extra,
    }
    return page.post("/packages/new/", data)


def _line(page, package, service, standard, price, *names):
    return page.post(
        f"/packages/{package.number}/lines/add/",
        {
            "stage": "production",
            "service": service.pk,
            "standard": standard,
            "price": price,
            "recognitions": [_recognition(n).pk for n in names],
        },
        follow=True,
    )


def _planned(client_as, verified, station_staff, labs) -> Package:
    """Requested, taken by the station staff member and planned: a safety test serving CCC and
    CE, an EMC test to the national standard for CCC only and one to the EN standard for CE."""
    safety, emc = labs
    answer = _request(client_as(verified))
    assert answer.status_code == 302, answer.content.decode()[:1500]
    package = Package.objects.get()
    staff = client_as(station_staff)
    staff.post(f"/packages/{package.number}/take/")
    _line(staff, package, safety, "GB 4706.1-2005 / EN 60335-1", "3000", CCC, CE)
    _line(staff, package, emc, "GB 4343.1-2018", "2000", CCC)
    _line(staff, package, emc, "EN 55014-1", "1500", CE)
    package.refresh_from_db()
    return package


def _issue(page, order):
    data = io.BytesIO(testing.pdf_bytes())
    data.name = "report.pdf"
    return page.post(
        f"/orders/{order.number}/report/",
        {"version": order.version, "report": data, "conclusion": "所检项目符合标准要求"},
    )


@time_machine.travel(NOW, tick=False)
def test_a_package_test_shows_one_test_result_serving_two_recognitions_and_the_saving(
    client_as, verified, station_staff, labs
):
    package = _planned(client_as, verified, station_staff, labs)
    assert package.coordinator == station_staff
    assert package.lines.count() == 3
    staff = client_as(station_staff)
    staff.post(f"/packages/{package.number}/propose/", {"note": "安全检测一次完成，两方使用"})
    package.refresh_from_db()
    assert package.status == "proposed"

    page = client_as(verified).get(f"/packages/{package.number}/").content.decode()
    assert "一个标准、一次合格评定、一个结果、多方互认共享" in page
    # CCC alone: 3000 + 2000; CE alone: 3000 + 1500; the package pays the safety test once.
    assert 'data-testid="separate-price">9500.00 元' in page
    assert 'data-testid="package-price">6500.00 元' in page
    assert 'data-testid="saving-amount">3000.00 元（31.6%）' in page

    answer = client_as(verified).post(f"/packages/{package.number}/accept/", follow=True)
    assert "方案已确认，各项检测已生成订单" in answer.content.decode()
    package.refresh_from_db()
    assert package.status == "in_service"
    safety_line = package.lines.get(standard__startswith="GB 4706.1")
    orders = Order.objects.filter(package_line__package=package)
    assert orders.count() == 3 and {o.client for o in orders} == {verified}
    order_page = client_as(verified).get(f"/orders/{orders.first().number}/").content.decode()
    assert f'href="/packages/{package.number}/"' in order_page

    safety_order = safety_line.order
    lab = client_as(safety_order.institution.account)
    lab.post(f"/orders/{safety_order.number}/confirm/", {"version": safety_order.version})
    safety_order.refresh_from_db()
    assert _issue(lab, safety_order).status_code == 302
    report = safety_order.report

    page = client_as(verified).get(f"/packages/{package.number}/").content.decode()
    row = page.split(f"{report.number}（")[0].rsplit('data-testid="plan-line"', 1)[1]
    # One result (the safety report) is shown serving both recognitions.
    assert f"{CCC}、{CE}" in row and "一个结果，多方互认" in row
    assert page.count(f"部分覆盖（报告 {report.number}）") == 2
    assert package.status == "in_service"

    for line in package.lines.exclude(pk=safety_line.pk).select_related("order"):
        order = line.order
        emc_lab = client_as(order.institution.account)
        emc_lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
        order.refresh_from_db()
        assert _issue(emc_lab, order).status_code == 302
    package.refresh_from_db()
    assert package.status == "completed"
    page = client_as(verified).get(f"/packages/{package.number}/").content.decode()
    assert page.count("已覆盖（报告 ") == 2

    answer = client_as(verified).post(
        f"/packages/{package.number}/evaluate/",
        {"overall": "5", "coordination": "4", "saving": "5", "comment": "一次检测两处使用"},
        follow=True,
    )
    assert "感谢您对本次定制服务的整体评价" in answer.content.decode()
    assert "整体满意度 5 分，协调服务 4 分" in answer.content.decode()
    assert package.evaluation.saving == 5


@time_machine.travel(NOW, tick=False)
def test_the_plan_clock_runs_from_the_request_to_the_plan(client_as, verified, station_staff, labs):
    package = _planned(client_as, verified, station_staff, labs)
    clock = clocks_for(package).get(code="package_plan")
    assert clock.state == "running" and clock.owner == station_staff
    # 5 working days from Tuesday 2 June 2026.
    assert timezone.localtime(clock.due_at).date() == dt.date(2026, 6, 9)
    client_as(station_staff).post(f"/packages/{package.number}/propose/", {"note": ""})
    clock.refresh_from_db()
    assert clock.state == "stopped"


@time_machine.travel(NOW, tick=False)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
    client_as, verified, station_staff, operator, labs
):
    answer = _request(client_as(verified), recognitions=[])
    assert answer.status_code == 400
    assert "所需认可用途：至少选择一项" in answer.content.decode()
    assert not Package.objects.exists()

    package = _planned(client_as, verified, station_staff, labs)
    staff = client_as(station_staff)
    cqc = _recognition("CQC 自愿性产品认证")
    answer = staff.post(
        f"/packages/{package.number}/lines/add/",
        {
            "stage": "production",
            "service": labs[0].pk,
            "standard": "GB 4706.1",
            "price": "100",
            "recognitions": [cqc.pk],
        },
        follow=True,
    )
    assert "服务的认可用途：只能选择申请中所需的认可用途" in answer.content.decode()
    answer = _line(staff, package, labs[0], "GB 4706.1", "-5", CCC)
    assert "价格（元）：不能为负数" in answer.content.decode()
    assert PackageLine.objects.filter(package=package).count() == 3

    # Only the coordinator draws up the plan; the refusal writes nothing.
    other = client_as(operator).post(
        f"/packages/{package.number}/lines/add/",
        {
            "stage": "production",
            "service": labs[0].pk,
            "standard": "GB 4706.1",
            "price": "100",
            "recognitions": [_recognition(CCC).pk],
        },
    )
    assert other.status_code == 403
    assert PackageLine.objects.filter(package=package).count() == 3


@time_machine.travel(NOW, tick=False)
def test_acceptance_is_all_or_nothing_when_a_line_can_no_longer_be_ordered(
    client_as, verified, station_staff, labs
):
    package = _planned(client_as, verified, station_staff, labs)
    client_as(station_staff).post(f"/packages/{package.number}/propose/", {"note": ""})
    InstitutionService.objects.filter(pk=labs[1].pk).update(published=False)
    answer = client_as(verified).post(f"/packages/{package.number}/accept/", follow=True)
    assert "不能下单：该服务项目已下架" in answer.content.decode()
    package.refresh_from_db()
    assert package.status == "proposed"
    assert not Order.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_api_requests_plans_accepts_and_shows_the_figures(
    client_as, verified, station_staff, labs
):
    safety, emc = labs
    ccc, ce = _recognition(CCC), _recognition(CE)
    recognitions = client_as(verified).get("/api/v1/packages/recognitions").json()
    assert {r["name"] for r in recognitions} >= {CCC, CE}
    answer = client_as(verified).post(
        "/api/v1/packages",
        {
            "product": "电热水壶",
            "recognitions": [ccc.pk, ce.pk],
            "stages": ["production"],
            "description": "CCC 与出口欧盟",
        },
    )
    assert answer.status_code == 201, answer.content
    number = answer.json()["number"]
    staff = client_as(station_staff)
    assert staff.post(f"/api/v1/packages/{number}/take").status_code == 200
    line = {"stage": "production", "service": safety.pk, "standard": "GB 4706.1", "price": "3000"}
    assert (
        staff.post(
            f"/api/v1/packages/{number}/lines", {**line, "recognitions": [ccc.pk, ce.pk]}
        ).status_code
        == 200
    )
    emc_line = {"stage": "production", "service": emc.pk, "standard": "GB 4343.1", "price": "2000"}
    staff.post(f"/api/v1/packages/{number}/lines", {**emc_line, "recognitions": [ccc.pk]})
    bad = staff.post(f"/api/v1/packages/{number}/lines", {**emc_line, "price": "abc"})
    assert bad.status_code == 422
    assert "价格（元）：请填写数字" in str(bad.json())
    assert staff.post(f"/api/v1/packages/{number}/propose").status_code == 200
    accepted = client_as(verified).post(f"/api/v1/packages/{number}/accept")
    assert accepted.status_code == 200
    shown = client_as(verified).get(f"/api/v1/packages/{number}").json()
    assert shown["status_label"] == "服务中"
    assert (shown["separate_price"], shown["package_price"], shown["saving"]) == (
        "8000.00",
        "5000.00",
        "3000.00",
    )
    assert shown["saving_percent"] == "37.5"
    assert all(line["order"] for line in shown["lines"])
    assert shown["lines"][0]["recognitions"] == [CCC, CE]


def test_workbench_cards_lead_to_the_package_lists(client_as, verified, station_staff):
    assert "/packages/" in client_as(verified).get("/accounts/workbench/").content.decode()
    staff_page = client_as(station_staff).get("/accounts/workbench/").content.decode()
    assert "定制服务方案" in staff_page and "/packages/queue/" in staff_page


def test_the_demo_enterprise_has_a_plan_to_confirm(client_as, db):
    from django.core.management import call_command

    from qihub.accounts.models import User

    call_command("seed-demo", stdout=None)
    enterprise = User.objects.get(username="demo_enterprise")
    package = Package.objects.get(client=enterprise)
    assert package.status == "proposed"
    page = client_as(enterprise).get(f"/packages/{package.number}/").content.decode()
    assert 'data-testid="saving-amount">3000.00 元' in page
    assert "确认方案" in page

    # Every package page each side reaches is in Chinese (the crawl's own word check).
    from tests.browser.test_crawl import latin_words

    staff = User.objects.get(username="demo_station")
    for user, path in [
        (enterprise, "/packages/"),
        (enterprise, "/packages/new/"),
        (enterprise, f"/packages/{package.number}/"),
        (staff, "/packages/queue/"),
        (staff, f"/packages/{package.number}/"),
    ]:
        html = client_as(user).get(path).content.decode()
        body = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", body, flags=re.S)
        assert not latin_words(text), (path, latin_words(text))
