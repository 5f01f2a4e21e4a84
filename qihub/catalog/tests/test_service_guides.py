"""The service catalogue and its versioned guides (CAT-1, CAT-2, CAT-5, CAT-6)."""

import pytest

from conftest import ALL_PERSONAS
from qihub.catalog.models import Category, GuideVersion, ServiceItem


@pytest.mark.req("CAT-2")
def test_the_catalogue_is_organised_by_the_ten_categories(client, db):
    page = client.get("/services/").content.decode()

    for category in Category:
        section = page.split(f'data-category="{category.value}"', 1)[1].split("</section>", 1)[0]
        assert category.label in section
        assert "data-item=" in section, f"no service item under {category.label}"
    assert 'href="/services/#metrology"' in client.get("/").content.decode()


@pytest.mark.req("CAT-1")
def test_every_service_guide_states_conditions_materials_process_time_limit_fee_and_basis(
    client, db
):
    for item in ServiceItem.objects.all():
        page = client.get(f"/services/{item.code}/").content.decode()
        for heading in ("受理条件", "申请材料", "办理流程", "办理时限", "收费", "设定依据"):
            assert heading in page, (item.code, heading)
        guide = item.current_guide()
        assert guide.time_limit in page and guide.legal_basis.split("\n")[0] in page
    assert ServiceItem.objects.count() >= 25


@pytest.mark.req("CAT-1")
def test_free_and_paid_items_say_so(client, db):
    free = client.get("/services/standard-lookup/").content.decode()
    paid = client.get("/services/testing-matching/").content.decode()

    assert 'data-testid="fee">免费' in free
    assert 'data-testid="fee">按检验检测机构收费标准' in paid


@pytest.mark.req("CAT-6")
def test_items_handled_on_an_official_system_link_there_with_the_steps(client, db):
    page = client.get("/services/drug-production-licence/").content.decode()

    # BIO-1: handled on 江苏政务服务网, looked up on the provincial drug administration's site too.
    assert (
        'href="https://www.jszwfw.gov.cn/"' in page and 'href="https://da.jiangsu.gov.cn/"' in page
    )
    assert "江苏政务服务网（江苏省药品监督管理局）" in page and "搜索“药品生产许可”" in page
    assert ServiceItem.objects.exclude(external_url="").count() >= 5


@pytest.mark.req("CAT-5")
def test_an_operator_publishes_a_new_version_and_the_old_one_stays_in_the_history(
    client, client_as, operator
):
    form = client_as(operator).get("/ops/services/quality-clinic/edit/").content.decode()
    response = client_as(operator).post(
        "/ops/services/quality-clinic/edit/",
        {
            "acceptance_conditions": "本市企业",
            "materials": "问题描述",
            "process": "在线提交，专家答复",
            "time_limit": "2 个工作日内答复",
            "is_free": "on",
            "fee": "",
            "legal_basis": "DB3202/T 1063—2024",
            "change_note": "答复时限由 3 个工作日缩短为 2 个工作日",
        },
    )

    page = client.get("/services/quality-clinic/").content.decode()
    assert "3 个工作日内答复" in form  # the form starts from the current version
    assert response.status_code == 302
    assert "2 个工作日内答复" in page and "第 2 版" in page
    assert "第 1 版" in page and "答复时限由 3 个工作日缩短为 2 个工作日" in page
    versions = GuideVersion.objects.filter(item__code="quality-clinic").order_by("version")
    assert [(v.version, v.time_limit) for v in versions] == [
        (1, "3 个工作日内答复"),
        (2, "2 个工作日内答复"),
    ]
    assert versions[1].published_by == operator


@pytest.mark.req("CAT-5")
def test_a_paid_guide_needs_its_fee_and_every_revision_a_note(client_as, operator):
    response = client_as(operator).post(
        "/ops/services/quality-clinic/edit/",
        {
            "acceptance_conditions": "x",
            "materials": "x",
            "process": "x",
            "time_limit": "x",
            "fee": "",
            "legal_basis": "x",
            "change_note": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "收费事项请填写收费标准" in page and "请说明本次修订的内容" in page
    assert GuideVersion.objects.filter(item__code="quality-clinic").count() == 1


@pytest.mark.req("CAT-5")
@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
def test_only_operator_and_admin_edit_guides(persona, client_as):
    name, user = persona

    response = client_as(user).get("/ops/services/quality-clinic/edit/")

    expected = 302 if user is None else 200 if name in {"operator", "admin"} else 403
    assert response.status_code == expected
