"""Issue 15, "Chinese everywhere": each leak of English or internal text, driven through the
page as the persona who meets it."""

from urllib.parse import unquote

import pytest
from django import forms

from qihub.core.tests.test_no_english_leaks import page_text


@pytest.mark.req("OPS-4")
def test_a_select_left_empty_asks_in_chinese(operator, client_as):
    text = page_text(client_as(operator).get("/ops/satisfaction/").content.decode())
    assert "---------" not in text
    assert "请选择" in text


@pytest.mark.req("OPS-4")
def test_every_empty_choice_is_chinese_once_for_all_forms(db):
    from django.db import models

    from qihub.accounts.models import Role, Station

    class Any(forms.Form):
        role = models.CharField(choices=Role.choices, blank=True).formfield()
        station = forms.ModelChoiceField(Station.objects.all(), required=False)

    html = str(Any())
    assert "---------" not in html
    assert html.count("请选择") == 2  # the model field's choices and the model choice field


@pytest.mark.req("OPS-4")
def test_supervisor_pages_say_the_rules_in_chinese(supervisor, client_as, settings):
    settings.QIHUB_RETRAINING_WINDOW_DAYS, settings.QIHUB_RETRAINING_DISSATISFIED = 90, 2
    client = client_as(supervisor)
    staff = page_text(client.get("/ops/staff/").content.decode())
    assert "QIHUB_" not in staff
    assert "再培训阈值：近 90 天内不满意评价达到 2 次" in staff
    campaigns = page_text(client.get("/ops/satisfaction/").content.decode())
    assert "ADR" not in campaigns
    assert "综合指数按用户 0.5、第三方 0.3、自我评价 0.2 加权" in campaigns


@pytest.mark.req("OPS-4")
def test_the_calendar_names_its_source_without_a_package_version(operator, client_as):
    text = page_text(client_as(operator).get("/ops/calendar/2025/").content.decode())
    assert "chinese-calendar" not in text and "1.11" not in text
    assert "工作日历数据来源：国务院办公厅公布的历年节假日安排" in text


@pytest.mark.req("OPS-4")
@pytest.mark.parametrize(
    "export, name",
    [("platform", "全平台"), ("institutions", "各机构"), ("stations", "各服务站")],
)
def test_statistics_files_are_named_in_chinese(supervisor, client_as, export, name):
    response = client_as(supervisor).get(f"/ops/statistics/?year=2025&export={export}")
    filename = unquote(response["Content-Disposition"].split("UTF-8''")[1])
    assert filename == f"{name}服务统计-2025年度.xlsx"


@pytest.mark.req("OPS-4")
def test_a_refused_page_is_chinese_in_the_portal_frame(individual, client_as):
    response = client_as(individual).get("/ops/staff/")
    assert response.status_code == 403
    text = page_text(response.content.decode())
    assert "Forbidden" not in text
    assert "抱歉，您无权进行此操作" in text and "您的角色无权访问此页面" in text
    assert "质量基础设施一站式服务平台" in text and "退出" in text  # base.html's frame


@pytest.mark.req("OPS-4")
def test_an_english_refusal_reason_is_not_shown(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from qihub.core.views import permission_denied

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    text = page_text(permission_denied(request, PermissionDenied("Access denied")).content.decode())
    assert "Access denied" not in text
    assert "该操作只对办理该事项的人员开放" in text


@pytest.mark.req("OPS-4")
def test_a_form_posted_without_its_security_token_gets_a_chinese_page(enterprise):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise)
    response = client.post("/demands/new/", {"title": "x"})
    assert response.status_code == 403
    text = page_text(response.content.decode())
    assert "Forbidden" not in text and "CSRF" not in text
    assert "页面已过期或浏览器禁用了 Cookie，请刷新页面后重新提交" in text
    assert "质量基础设施一站式服务平台" in text


@pytest.mark.req("OPS-4")
def test_a_review_history_shows_status_labels_not_values(enterprise, operator, client_as):
    from qihub.core import testing

    record = testing.application(enterprise, status="returned", reviewer=operator)
    event = record.events.get(kind="returned")
    assert (event.from_status, event.to_status) == ("submitted", "returned")
    for client, url in [
        (client_as(operator), f"/ops/reviews/{record.pk}/"),
        (client_as(enterprise), "/register/status/"),
    ]:
        text = page_text(client.get(url).content.decode())
        assert "submitted" not in text and "returned" not in text, url
        assert "（待审核 → 退回补正）" in text, url


@pytest.mark.req("OPS-4")
def test_an_order_history_shows_what_was_done_and_the_status_labels(enterprise, client_as):
    from qihub.core import testing
    from qihub.orders.models import OrderEvent

    order = testing.order_in("accepted", enterprise)
    OrderEvent.objects.create(
        order=order, kind="accepted", from_status="quoted", to_status="accepted"
    )
    text = page_text(client_as(enterprise).get(f"/orders/{order.number}/").content.decode())
    assert "quoted" not in text
    assert "接受报价（机构已报价，待确认 → 服务中）" in text  # no note: the move's label


@pytest.mark.req("OPS-4")
def test_a_changed_demand_names_the_fields_in_chinese(enterprise, client_as):
    from qihub.core import testing
    from qihub.demands.workflow import change_service

    demand = testing.demand(enterprise)
    change_service(
        demand,
        by=enterprise,
        version=None,
        changes={"title": "新的需求标题"},
        reason="样品改了",
    )
    html = client_as(enterprise).get(f"/demands/{demand.number}/").content.decode()
    text = page_text(html)
    assert "title →" not in text
    assert f"需求标题：{demand.title} → 新的需求标题" in text


def _forms_with_a_version_field() -> list[type]:
    import importlib
    import importlib.util

    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.forms"
        if config.name.startswith("qihub.") and importlib.util.find_spec(name):
            module = importlib.import_module(name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm):
                    if "version" in getattr(value, "base_fields", {}):
                        found.append(value)
    return found


@pytest.mark.req("OPS-4")
def test_every_version_field_is_hidden():
    found = _forms_with_a_version_field()
    assert len(found) > 10
    shown = [f.__name__ for f in found if not f.base_fields["version"].widget.is_hidden]
    assert shown == []


@pytest.mark.req("OPS-4")
def test_a_workflow_form_carries_its_version_hidden(enterprise, client_as):
    from qihub.core import testing

    order = testing.order_in("placed", enterprise)
    lab = client_as(order.institution.account)
    html = lab.get(f"/orders/{order.number}/").content.decode()
    assert 'type="hidden" name="version"' in html
    assert "Version" not in page_text(html) and "版本" not in page_text(html)


@pytest.mark.req("OPS-4")
def test_the_order_form_carries_its_demand_hidden(enterprise, client_as):
    from qihub.core import testing

    order = testing.order_in("placed", enterprise)
    html = (
        client_as(enterprise)
        .get(f"/orders/new/{order.service_id}/?demand=XQ-2026-000001")
        .content.decode()
    )
    assert 'type="hidden" name="demand" value="XQ-2026-000001"' in html
    assert "Demand" not in page_text(html)
    assert "服务要求" in page_text(html)
