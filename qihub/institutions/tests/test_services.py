"""Institutions publish their own service items with period and price (CAT-4)."""

import pytest

from qihub.institutions.models import InstitutionService

SERVICE = {
    "name": "压力表检定",
    "category": "metrology",
    "description": "一般压力表首次及后续检定",
    "period_days": "3",
    "pricing": "fixed",
    "price": "35",
    "price_unit": "台件",
}


@pytest.mark.req("CAT-4")
def test_an_institution_publishes_a_service_and_the_public_profile_shows_period_and_price(
    client_as, client, listed_institution
):
    owner = client_as(listed_institution.account)

    response = owner.post("/institution/services/", SERVICE)
    profile = client.get(f"/institutions/{listed_institution.uscc}/").content.decode()
    api = client.get(f"/api/v1/institutions/{listed_institution.uscc}/services").json()

    assert response.status_code == 302
    assert "压力表检定" in profile and "3 个工作日" in profile and "¥35.00/台件" in profile
    assert api == [
        {
            "id": InstitutionService.objects.get().pk,
            "name": "压力表检定",
            "category": "metrology",
            "description": "一般压力表首次及后续检定",
            "period_working_days": 3,
            "pricing": "fixed",
            "price": "35.00",
            "price_unit": "台件",
            "catalogue_item": None,
        }
    ]


@pytest.mark.req("CAT-4")
def test_a_withdrawn_service_leaves_the_profile_but_stays_on_record(
    client_as, client, listed_institution
):
    owner = client_as(listed_institution.account)
    owner.post("/institution/services/", {**SERVICE, "pricing": "free", "price": ""})
    service = InstitutionService.objects.get()

    owner.post(f"/institution/services/{service.pk}/toggle/")
    profile = client.get(f"/institutions/{listed_institution.uscc}/").content.decode()

    assert "该机构尚未发布服务项目" in profile
    assert InstitutionService.objects.filter(pk=service.pk, published=False).exists()
    assert "已下架" in owner.get("/institution/services/").content.decode()


@pytest.mark.req("CAT-4")
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"category": "testing"}, "category", "不在贵机构的资质能力范围内"),
        ({"price": ""}, "price", "固定收费须填写价格"),
        ({"price": "-5"}, "price", "应大于 0"),
        ({"price": "abc"}, "price", "应为数字"),
        ({"period_days": "0"}, "period_days", "应在 1–365 个工作日之间"),
        ({"name": ""}, "name", "必须填写"),
    ],
)
def test_bad_service_input_is_refused_with_the_field_named(
    client_as, listed_institution, change, field, message
):
    response = client_as(listed_institution.account).post(
        "/institution/services/", {**SERVICE, **change}
    )

    assert response.status_code == 400
    errors = [e for e in response.content.decode().split('data-field="')[1:] if e.startswith(field)]
    assert errors and message in errors[0]
    assert not InstitutionService.objects.exists()


@pytest.mark.req("CAT-4")
def test_an_institution_cannot_edit_another_institutions_service(
    client_as, listed_institution, institution
):
    client_as(listed_institution.account).post("/institution/services/", SERVICE)
    service = InstitutionService.objects.get()

    response = client_as(institution).post(
        f"/institution/services/{service.pk}/edit/", {**SERVICE, "name": "改名"}
    )

    assert response.status_code == 404  # the persona has no institution of its own
    assert InstitutionService.objects.get().name == "压力表检定"
