import pytest

from qihub.catalog.models import Category, PlatformInfo


def test_home_page_is_chinese_with_every_service_category_and_a_search_box(client, db):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    for category in Category:
        assert f'data-category="{category.value}"' in page
        assert category.label in page
    assert 'name="q"' in page and 'action="/search/"' in page


def test_search_box_keeps_the_query_and_explains_an_empty_result(client, db):
    response = client.get("/search/", {"q": "计量"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="计量"' in page and 'data-testid="no-result"' in page


@pytest.mark.req("CAT-3")
def test_public_information_page_shows_organisation_duties_rules_and_complaint_channels(client, db):
    response = client.get("/info/")

    page = response.content.decode()
    info = PlatformInfo.current()
    for heading in (
        "机构设置",
        "工作职责",
        "规章制度",
        "服务内容与依据",
        "办事流程与时限",
        "服务渠道",
        "监督与投诉渠道",
        "监督投诉电话",
    ):
        assert heading in page
    assert info.complaint_hotline in page
    assert "3 个工作日" in page


@pytest.mark.req("CAT-3")
def test_operator_edits_public_information_in_the_admin_and_visitors_see_it(client_as, operator):
    info = PlatformInfo.current()
    form = {
        field.name: getattr(info, field.name)
        for field in PlatformInfo._meta.fields
        if field.name not in {"id", "updated_at"}
    }
    form.update(complaint_hotline="0510-88886666", duties="新的工作职责说明")

    response = client_as(operator).post(f"/admin/catalog/platforminfo/{info.pk}/change/", form)

    assert response.status_code == 302
    visitor_page = client_as(None).get("/info/").content.decode()
    assert "0510-88886666" in visitor_page and "新的工作职责说明" in visitor_page
    home = client_as(None).get("/").content.decode()
    assert "0510-88886666" in home  # the footer hotline


@pytest.mark.req("CAT-3")
def test_supervisor_may_read_but_not_change_public_information(client_as, supervisor):
    info = PlatformInfo.current()
    client = client_as(supervisor)

    assert client.get(f"/admin/catalog/platforminfo/{info.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/catalog/platforminfo/{info.pk}/change/", {"complaint_hotline": "1"}
    )

    assert response.status_code == 403
    info.refresh_from_db()
    assert info.complaint_hotline != "1"
