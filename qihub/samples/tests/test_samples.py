"""Samples with a chain of custody (ORD-4), through the pages and the API a user touches."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from qihub.accounts.models import Station
from qihub.core import testing
from qihub.orders.models import OrderStatus, ReportCollection
from qihub.samples.models import Sample, SampleStatus, Signature
from qihub.workcal.calendar import TZ

pytestmark = pytest.mark.req("ORD-4")


@pytest.fixture
def order(enterprise, institution):
    for user in (enterprise, institution):
        user.verified_at = timezone.now()
        user.save(update_fields=["verified_at"])
    lab = testing.institution("无锡示例计量院", account=institution)
    return testing.order_in(OrderStatus.ACCEPTED, enterprise, institution_org=lab)


@pytest.fixture
def station(station_staff):
    return station_staff.station


def photo() -> io.BytesIO:
    out = io.BytesIO(testing.png_bytes())
    out.name = "样品.png"
    return out


def register(client, order, station, **extra):
    data = {"name": "压力表", "quantity": 3, "retained": "1 块留样", "special": "none"}
    return client.post(
        f"/orders/{order.number}/samples/new/", {**data, "station": station.pk, **extra}
    )


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_whole_chain_through_the_pages(
    client_as, enterprise, institution, station_staff, station, order
):
    client = client_as(enterprise)
    order_page = client.get(f"/orders/{order.number}/").content.decode()
    assert 'data-testid="register-sample"' in order_page

    response = register(client, order, station)
    sample = Sample.objects.get()
    assert response["Location"] == f"/samples/{sample.code}/"
    assert sample.status == SampleStatus.REGISTERED and sample.conditions == "无特殊要求"

    staff = client_as(station_staff)
    # A keyboard-wedge scanner types the label's address into the station's box.
    scanned = staff.get("/samples/scan/", {"q": f"http://testserver/samples/{sample.code}/"})
    assert scanned["Location"] == f"/samples/{sample.code}/"
    staff.post(
        f"/samples/{sample.code}/receive/",
        {"version": sample.version, "checked": "on", "photo": photo()},
    )
    sample.refresh_from_db()
    assert sample.status == SampleStatus.RECEIVED and sample.photo is not None
    label = staff.get(f"/samples/{sample.code}/label/").content.decode()
    assert "<svg" in label and sample.code in label

    staff.post(
        f"/samples/{sample.code}/dispatch/", {"version": sample.version, "carrier": "李师傅"}
    )
    page = staff.get(f"/samples/{sample.code}/").content.decode()
    code = re.search(r'data-testid="handover-code">交接码：<strong[^>]*>(\w+)<', page).group(1)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.IN_TRANSIT and code not in sample.code_hash
    # The code is shown to the giver only.
    assert code not in client_as(institution).get(f"/samples/{sample.code}/").content.decode()

    lab = client_as(institution)
    wrong = lab.post(
        f"/samples/{sample.code}/accept/",
        {"version": sample.version, "code": "ZZZZ9999"},
        follow=True,
    )
    assert "交接码：不正确" in messages_of(wrong)
    lab.post(f"/samples/{sample.code}/accept/", {"version": sample.version, "code": code})
    sample.refresh_from_db()
    assert sample.status == SampleStatus.AT_INSTITUTION
    # Once used, the code is no longer shown to the giver.
    assert (
        'data-testid="handover-code"' not in staff.get(f"/samples/{sample.code}/").content.decode()
    )

    lab.post(
        f"/orders/{order.number}/report/",
        {
            "version": order.version,
            "report": io.BytesIO(testing.pdf_bytes()),
            "conclusion": "所检项目符合要求",
        },
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED

    staff.post(
        f"/samples/{sample.code}/handout/",
        {"version": sample.version, "collected_by": "张三", "id_number": "320102199003071234"},
    )
    sample.refresh_from_db()
    assert sample.status == SampleStatus.HANDED_OUT
    assert ReportCollection.objects.get(report=order.report).collected_by == "张三"
    signatures = list(sample.handovers.values_list("signature", flat=True))
    assert signatures == [Signature.LOGIN, Signature.LOGIN, Signature.CODE, Signature.ID]
    assert all(h.place and h.at for h in sample.handovers.all())

    order_page = client.get(f"/orders/{order.number}/").content.decode()
    for label_text in (
        "站点收样至交付转运",
        "交付转运至机构接收",
        "机构接收至出具报告",
        "出具报告至站点发放",
    ):
        assert label_text in order_page
    assert "工作日内" in order_page
    stats = staff.get("/samples/?all=1").content.decode()
    assert 'data-testid="station-stats"' in stats and station.name in stats


def test_the_chain_through_the_api(
    client_as, enterprise, institution, station_staff, station, order
):
    created = client_as(enterprise).post(
        f"/api/v1/orders/{order.number}/samples",
        {"name": "压力表", "quantity": 2, "special": "none", "station": station.pk},
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    staff = client_as(station_staff)
    received = staff.post(
        f"/api/v1/samples/{code}/receive", {"version": 1, "checked": "true", "photo": photo()}
    )
    assert received.status_code == 200, received.json()
    dispatched = staff.post(f"/api/v1/samples/{code}/dispatch", {"version": 2, "carrier": "李师傅"})
    handover_code = dispatched.json()["handover_code"]
    lab = client_as(institution)
    assert "handover_code" not in lab.get(f"/api/v1/samples/{code}").json()
    accepted = lab.post(f"/api/v1/samples/{code}/accept", {"version": 3, "code": handover_code})
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status_label"] == "机构已接收"
    assert [h["signature"] for h in body["handovers"]][-1] == "接收人输入交接码确认"
    # Receipt → hand-over and hand-over → institution have ended; the report has not come.
    assert [leg["working_hours"] is not None for leg in body["turnaround"]] == [
        True,
        True,
        False,
        False,
    ]


def test_special_conditions_are_refused_with_the_field_named_and_nothing_saved(
    client_as, enterprise, station, order
):
    response = register(client_as(enterprise), order, station, special="some")
    api = client_as(enterprise).post(
        f"/api/v1/orders/{order.number}/samples",
        {"name": "试剂", "quantity": 1, "special": "some", "station": station.pk},
    )
    missing = register(client_as(enterprise), order, station, name="", quantity="abc")

    assert "特殊要求：站点只接收无特殊要求的样品" in response.content.decode()
    assert api.status_code == 422 and "特殊要求" in str(api.json())
    assert "样品名称：必须填写" in missing.content.decode()
    assert "数量：应为整数" in missing.content.decode()
    assert not Sample.objects.exists()


def test_only_its_station_the_institution_and_the_client_may_act(
    client_as, enterprise, other_enterprise, institution, other_institution, station_staff, order
):
    elsewhere = Station.objects.create(name="锡山服务站", region="320205")
    sample = testing.sample(order, station=elsewhere)

    assert client_as(other_enterprise).get(f"/samples/{sample.code}/").status_code == 404
    assert client_as(other_institution).get(f"/samples/{sample.code}/").status_code == 404
    assert client_as(station_staff).get(f"/samples/{sample.code}/").status_code == 404
    assert client_as(enterprise).get(f"/samples/{sample.code}/").status_code == 200
    refused = client_as(institution).post(
        f"/api/v1/samples/{sample.code}/receive",
        {"version": 1, "checked": "true", "photo": photo()},
    )
    assert refused.status_code == 403
    other = client_as(other_enterprise).post(
        f"/api/v1/orders/{order.number}/samples",
        {"name": "压力表", "quantity": 1, "special": "none", "station": elsewhere.pk},
    )
    assert other.status_code == 404
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REGISTERED


def test_an_expired_hand_over_code_is_refused(client_as, institution, station, order):
    from qihub.samples import workflow

    sample = testing.sample(order, station=station, status=SampleStatus.IN_TRANSIT)
    sample.code_hash = workflow._digest(sample, "ABCD2345")
    sample.code_expires_at = timezone.now() - dt.timedelta(minutes=1)
    sample.save()

    answer = client_as(institution).post(
        f"/api/v1/samples/{sample.code}/accept", {"version": sample.version, "code": "ABCD2345"}
    )

    assert answer.status_code == 409 and "已过期" in answer.json()["detail"]


def test_turnaround_counts_working_days_only(client_as, enterprise, station, order):
    friday_evening = dt.datetime(2026, 3, 6, 20, 0, tzinfo=TZ)
    monday_morning = dt.datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
    testing.sample(
        order,
        station=station,
        status=SampleStatus.IN_TRANSIT,
        received_at=friday_evening,
        dispatched_at=monday_morning,
    )

    page = client_as(enterprise).get(f"/orders/{order.number}/").content.decode()

    # 4 hours on Friday and 10 on Monday; the weekend does not count.
    assert "1 个工作日（工作日内 14.0 小时）" in page


def test_the_station_workbench_card_counts_its_samples_to_do(
    client_as, station_staff, station, order
):
    testing.sample(order, station=station)
    testing.sample(order, station=station, status=SampleStatus.HANDED_OUT)
    testing.sample(order, station=Station.objects.create(name="锡山服务站", region="320205"))

    page = client_as(station_staff).get("/accounts/workbench/").content.decode()
    listing = client_as(station_staff).get("/samples/").content.decode()

    assert "样品收转" in page and "待办 1" in page
    assert listing.count("data-code=") == 1


def test_the_scan_box_opens_only_samples_of_the_station(client_as, station_staff, station, order):
    own = testing.sample(order, station=station)
    other = testing.sample(
        order, station=Station.objects.create(name="锡山服务站", region="320205")
    )
    staff = client_as(station_staff)

    typed = staff.get("/samples/scan/", {"q": own.code.lower()})
    refused = staff.get(
        "/samples/scan/", {"q": f"http://testserver/samples/{other.code}/"}, follow=True
    )

    assert typed["Location"] == f"/samples/{own.code}/"
    assert "扫码或输入样品编号：没有找到该样品" in refused.content.decode()
    assert staff.get(f"/samples/{other.code}/label/").status_code == 404
