"""The enterprise quality archive (ARC-1) and its confidential access (ARC-3), through the pages
and the API a user touches."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from pypdf import PdfReader

from qihub.archive.models import AccessGrant, ArchiveRead
from qihub.core import testing
from qihub.training import pledges
from qihub.training.testing import pledged

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)


def _head(user):
    user.user_permissions.add(Permission.objects.get(codename="decide_access"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


@pytest.fixture
def firm(db):
    """An enterprise with an order, a demand and an uploaded document."""
    org = testing.OrganisationFactory(name="无锡档案示例有限公司")
    testing.order(org.account)
    testing.demand(org.account, title="电能表检定需求")
    testing.document(org.account, kind="business_licence", name="营业执照.pdf")
    return org


@pytest.fixture(autouse=True)
def _staff_signed_the_pledge(request):
    """Staff who read enterprise records hold a signed, current pledge (TRN-2); the test of
    what happens without one withdraws it."""
    if "station_staff" in request.fixturenames:
        pledged(request.getfixturevalue("station_staff"))


def _request(client, org, **over):
    data = {
        "enterprise": org.name,
        "reason": "核查投诉涉及的检测订单",
        "period_from": "2026-06-10",
        "period_to": "2026-06-20",
        **over,
    }
    return client.post("/archive/", data)


@pytest.mark.req("ARC-1")
@time_machine.travel(NOW, tick=False)
def test_the_enterprise_reads_its_own_archive_as_timeline_and_by_kind(client_as, firm):
    page = client_as(firm.account)
    mine = page.get("/archive/mine/", follow=True)
    text = mine.content.decode()
    assert mine.status_code == 200 and "无锡档案示例有限公司 质量档案" in text
    assert "电能表检定需求" in text and "营业执照" in text  # the timeline
    demands = page.get(f"/archive/enterprises/{firm.pk}/?kind=demands").content.decode()
    assert "电能表检定需求" in demands and "营业执照" not in demands
    orders = page.get(f"/archive/enterprises/{firm.pk}/?kind=orders").content.decode()
    assert "服务订单" in orders and "电能表检定需求" not in orders
    # Its own reading is not an access by someone else.
    assert not ArchiveRead.objects.exists()


@pytest.mark.req("ARC-3")
@time_machine.travel(NOW, tick=False)
def test_staff_cannot_read_without_a_grant(client_as, firm, operator):
    staff = client_as(operator)
    for path in ("", "archive.pdf", "files.zip"):
        denied = staff.get(f"/archive/enterprises/{firm.pk}/{path}")
        assert denied.status_code == 403
        assert "须经运营机构负责人授权" in denied.content.decode()
    api = staff.get(f"/api/v1/archive/enterprises/{firm.pk}")
    assert api.status_code == 403
    assert not ArchiveRead.objects.exists()


@pytest.mark.req("ARC-3")
def test_request_grant_read_export_and_the_enterprise_sees_the_log(
    client_as, firm, operator, station_staff
):
    head = _head(operator)
    with time_machine.travel(NOW, tick=False):
        asker = client_as(station_staff)
        bad = _request(asker, firm, reason="", period_to="2026-06-01")
        assert "查阅事由：必须填写" in bad.content.decode()
        assert not AccessGrant.objects.exists()
        made = _request(asker, firm)
        grant = AccessGrant.objects.get()
        assert made.status_code == 302 and grant.status == "requested"
        # Not granted yet: still no access.
        assert asker.get(f"/archive/enterprises/{firm.pk}/").status_code == 403
        # The requester may not grant; the head does, on the page.
        assert asker.post(f"/archive/grants/{grant.number}/grant/", {}).status_code == 403
        decider = client_as(head)
        assert grant.number in decider.get("/archive/").content.decode()
        decider.post(f"/archive/grants/{grant.number}/grant/", {"note": "同意"})
        grant.refresh_from_db()
        assert grant.status == "granted" and grant.decided_by == head

        page = asker.get(f"/archive/enterprises/{firm.pk}/")
        assert page.status_code == 200 and "电能表检定需求" in page.content.decode()
        assert "查阅人：" in page.content.decode()

        exported = asker.get(f"/archive/enterprises/{firm.pk}/archive.pdf")
        assert exported["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(exported.content))
        for pdf_page in reader.pages:  # the watermark is on every page
            text = pdf_page.extract_text()
            assert station_staff.shown_name in text and "2026-06-10 17:00" in text

        bundle = zipfile.ZipFile(
            io.BytesIO(asker.get(f"/archive/enterprises/{firm.pk}/files.zip").content)
        )
        names = bundle.namelist()
        assert "目录.xlsx" in names and "水印说明.txt" in names
        assert any(n.endswith("营业执照.pdf") for n in names)
        note = bundle.read("水印说明.txt").decode()
        assert station_staff.shown_name in note
        sheet = load_workbook(io.BytesIO(bundle.read("目录.xlsx"))).active
        assert station_staff.shown_name in sheet["A2"].value
        assert any("营业执照.pdf" in str(c.value) for row in sheet.iter_rows() for c in row)

        log = client_as(firm.account).get("/archive/reads/").content.decode()
        assert station_staff.shown_name in log and "核查投诉涉及的检测订单" in log
        assert "在线查阅" in log and "导出档案文件" in log and "导出材料包" in log
        assert ArchiveRead.objects.filter(reader=station_staff).count() == 3

    # After the period, the grant no longer opens the archive.
    with time_machine.travel(NOW + dt.timedelta(days=11), tick=False):
        later = client_as(station_staff)  # a fresh log-in: the staff idle limit has passed
        assert later.get(f"/archive/enterprises/{firm.pk}/").status_code == 403


@pytest.mark.req("ARC-3")
@time_machine.travel(NOW, tick=False)
def test_the_api_requests_decides_reads_and_lists_the_log(client_as, firm, operator, station_staff):
    head = client_as(_head(operator))
    api = client_as(station_staff)
    bad = api.post("/api/v1/archive/grants", {"enterprise": firm.name, "reason": ""})
    assert bad.status_code == 422 and "reason" in bad.json()["errors"]
    made = api.post(
        "/api/v1/archive/grants",
        {
            "enterprise": firm.name,
            "reason": "年度抽查",
            "period_from": "2026-06-10",
            "period_to": "2026-06-12",
        },
    )
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert api.get(f"/api/v1/archive/enterprises/{firm.pk}").status_code == 403
    assert api.post(f"/api/v1/archive/grants/{number}/grant", {}).status_code == 403
    refused_without_reason = head.post(f"/api/v1/archive/grants/{number}/refuse", {"note": ""})
    assert refused_without_reason.status_code == 409
    granted = head.post(f"/api/v1/archive/grants/{number}/grant", {"note": "同意"})
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    archive = api.get(f"/api/v1/archive/enterprises/{firm.pk}")
    assert archive.status_code == 200
    assert any(r["title"] == "电能表检定需求" for r in archive.json()["records"])
    log = client_as(firm.account).get("/api/v1/archive/reads").json()
    assert log[0]["reason"] == "年度抽查" and log[0]["kind_label"] == "接口查阅"
    assert client_as(station_staff).get("/api/v1/archive/reads").status_code == 403


@pytest.mark.req("ARC-3")
@time_machine.travel(NOW, tick=False)
def test_an_expired_grant_is_refused(client_as, firm, station_staff, operator):
    head = _head(operator)
    AccessGrant.objects.create(
        number="CY-2026-900001",
        enterprise=firm,
        requester=station_staff,
        reason="旧的查阅",
        period_from=dt.date(2026, 5, 1),
        period_to=dt.date(2026, 5, 31),
        status="granted",
        decided_by=head,
    )
    page = client_as(station_staff).get(f"/archive/enterprises/{firm.pk}/")
    assert page.status_code == 403
    assert client_as(station_staff).get(f"/api/v1/archive/enterprises/{firm.pk}").status_code == 403


@pytest.mark.req("ARC-3")
@time_machine.travel(NOW, tick=False)
def test_requests_with_bad_input_name_the_field(client_as, firm, station_staff, enterprise):
    asker = client_as(station_staff)
    answer = _request(asker, firm, period_from="2026-06-20", period_to="2026-06-12")
    assert "查阅期限止：不能早于查阅期限起" in answer.content.decode()
    unknown = _request(asker, firm, enterprise="不存在的公司")
    assert "企业：平台上没有名为" in unknown.content.decode()
    assert not AccessGrant.objects.exists()
    # Enterprises do not request access to others' archives.
    assert client_as(enterprise).get("/archive/").status_code == 403


@pytest.mark.req("ARC-3")
@time_machine.travel(NOW, tick=False)
def test_the_head_refuses_with_a_reason_and_the_workbench_cards_lead_there(
    client_as, firm, operator, station_staff
):
    head = client_as(_head(operator))
    asker = client_as(station_staff)
    _request(asker, firm)
    grant = AccessGrant.objects.get()
    bench = head.get("/accounts/workbench/").content.decode()
    assert "档案查阅授权" in bench and "/archive/" in bench
    head.post(f"/archive/grants/{grant.number}/refuse/", {"note": ""})
    grant.refresh_from_db()
    assert grant.status == "requested"  # a refusal needs its reason
    shown = head.get(f"/archive/grants/{grant.number}/").content.decode()
    assert "审批意见：不予批准时必须填写理由" in shown
    head.post(f"/archive/grants/{grant.number}/refuse/", {"note": "与所办事项无关"})
    grant.refresh_from_db()
    assert grant.status == "refused"
    assert asker.get(f"/archive/enterprises/{firm.pk}/").status_code == 403
    assert "我的质量档案" in client_as(firm.account).get("/accounts/workbench/").content.decode()


@pytest.mark.req("ARC-3")
@pytest.mark.req("TRN-2")
def test_no_request_and_no_read_without_a_current_pledge(client_as, firm, operator, station_staff):
    head = client_as(_head(operator))
    asker = client_as(station_staff)
    with time_machine.travel(NOW, tick=False):
        _request(asker, firm)
        grant = AccessGrant.objects.get()
        head.post(f"/archive/grants/{grant.number}/grant/", {"note": "同意"})
        assert asker.get(f"/archive/enterprises/{firm.pk}/").status_code == 200
        # A new pledge version: the old signature no longer covers the staff member.
        pledges.publish("新版保密承诺：不得复制企业档案。", by=operator)

        read = asker.get(f"/archive/enterprises/{firm.pk}/")
        again = _request(asker, firm)

    assert read.status_code == 403 and "保密承诺书" in read.content.decode()
    assert "保密承诺书" in again.content.decode()
    assert AccessGrant.objects.count() == 1
