"""ARC-2: an edit of master data keeps the old version, with who and when, on a page."""

import pytest

from conftest import PASSWORD
from qihub.accounts.models import Station
from qihub.institutions.models import InstitutionService
from qihub.institutions.tests.conftest import listed_institution  # noqa: F401 - a fixture

SERVICE = {
    "name": "压力表检定",
    "category": "metrology",
    "description": "一般压力表首次及后续检定",
    "period_days": "3",
    "pricing": "fixed",
    "price": "35",
    "price_unit": "台件",
}


@pytest.mark.req("ARC-2")
def test_editing_a_service_keeps_the_old_price_with_who_and_when(
    client_as,
    listed_institution,  # noqa: F811
    operator,
):
    owner = client_as(listed_institution.account)
    owner.post("/institution/services/", SERVICE)
    service = InstitutionService.objects.get()

    edited = owner.post(f"/institution/services/{service.pk}/edit/", {**SERVICE, "price": "40"})
    page = client_as(operator).get(f"/ops/versions/service/{service.pk}/")
    text = page.content.decode()

    assert edited.status_code == 302
    assert page.status_code == 200
    assert text.count('data-testid="version"') == 2  # created, then edited: nothing overwritten
    newest = text.split('data-testid="version"')[1]
    assert "修改" in newest and listed_institution.account.shown_name in newest
    assert "价格（元）" in newest and "35.00" in newest and "40.00" in newest
    assert "服务名称" not in newest  # only what changed
    assert InstitutionService.objects.get().price == 40


@pytest.mark.req("ARC-2")
def test_the_version_page_is_for_the_back_office(
    client_as,
    listed_institution,  # noqa: F811
    enterprise,
    supervisor,
):
    client_as(listed_institution.account).post("/institution/services/", SERVICE)
    service = InstitutionService.objects.get()

    assert client_as(enterprise).get(f"/ops/versions/service/{service.pk}/").status_code == 403
    assert client_as(supervisor).get(f"/ops/versions/service/{service.pk}/").status_code == 200
    assert client_as(supervisor).get("/ops/versions/nothing/1/").status_code == 404


@pytest.mark.req("ARC-2")
def test_a_changed_retention_rule_keeps_its_old_period(client_as, operator):
    page = client_as(operator)
    form = page.get("/ops/filing/rules/")
    kinds = form.context["formset"].forms
    data = {
        "form-TOTAL_FORMS": str(len(kinds)),
        "form-INITIAL_FORMS": str(len(kinds)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(kinds):
        data[f"form-{i}-id"] = str(f.instance.pk)
        data[f"form-{i}-retention"] = (
            "Y" if f.instance.kind == "complaint" else f.instance.retention
        )
        data[f"form-{i}-unit_code"] = f.instance.unit_code
        data[f"form-{i}-unit_name"] = f.instance.unit_name
    complaint_rule = next(f.instance for f in kinds if f.instance.kind == "complaint")

    page.post("/ops/filing/rules/", data)
    versions = page.get(f"/ops/versions/retention/{complaint_rule.pk}/").content.decode()

    newest = versions.split('data-testid="version"')[1]
    assert "保管期限" in newest and "定期30年" in newest and "永久" in newest
    assert operator.shown_name in newest


@pytest.mark.req("ARC-2")
def test_a_renamed_station_keeps_its_old_name_and_the_station_page_links_the_versions(
    client_as, operator
):
    staff = client_as(operator)
    staff.post(
        "/ops/stations/new/",
        {
            "name": "滨湖区检验检测服务站",
            "kind": "town",
            "unified_name": "质量基础设施一站式服务站",
            "mark": "质量服务站统一标识",
            "region": ["320000", "320200", "320211"],
            "address": "滨湖区湖滨路 1 号",
            "phone": "0510-12345678",
        },
    )
    station = Station.objects.get(name="滨湖区检验检测服务站")
    staff.post(
        f"/ops/stations/{station.pk}/manage/",
        {
            "part": "station",
            "s-name": "滨湖区质量服务站",
            "s-kind": "town",
            "s-unified_name": "质量基础设施一站式服务站",
            "s-mark": "质量服务站统一标识",
            "s-region": ["320000", "320200", "320211"],
            "s-address": "滨湖区湖滨路 1 号",
            "s-phone": "0510-12345678",
        },
    )

    detail = staff.get(f"/stations/{station.pk}/").content.decode()
    versions = staff.get(f"/ops/versions/station/{station.pk}/").content.decode()

    assert Station.objects.get(pk=station.pk).name == "滨湖区质量服务站"
    assert f"/ops/versions/station/{station.pk}/" in detail
    newest = versions.split('data-testid="version"')[1]
    assert "滨湖区检验检测服务站" in newest and "滨湖区质量服务站" in newest
    oldest = versions.split('data-testid="version"')[-1]
    assert "新建" in oldest and "江苏省无锡市滨湖区" in oldest  # the region by name, not code


@pytest.mark.req("ARC-2")
def test_signing_in_is_not_a_new_version_of_the_user_but_an_edit_is(client, enterprise):
    versions = enterprise.history.count()

    for _ in range(2):
        client.post("/accounts/login/", {"username": "enterprise", "password": PASSWORD})
        client.post("/accounts/logout/")
    enterprise.refresh_from_db()
    assert enterprise.last_login is not None
    assert enterprise.history.count() == versions
    assert "password" not in {f.name for f in enterprise.history.model._meta.fields}

    enterprise.display_name = "新的显示名"
    enterprise.save()
    assert enterprise.history.count() == versions + 1
