"""ARC-4: closed cases are filed with a DA/T 22-2015 archive number, catalogued per year with a
printable cover, and cases past their retention period wait for a recorded decision."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from qihub.core import testing
from qihub.demands.models import DemandStatus
from qihub.filing.models import ArchiveItem, Disposal

TZ = ZoneInfo("Asia/Shanghai")
CLOSED_ON = dt.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)


def _close_demand(client_as, operator, title: str = "压力表检定") -> str:
    demand = testing.demand(status=DemandStatus.RESPONDED, responsible=operator, title=title)
    response = client_as(operator).post(
        f"/demands/{demand.number}/close/", {"version": demand.version, "note": "已完成服务"}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    return demand.number


@pytest.mark.req("ARC-4")
@time_machine.travel(CLOSED_ON, tick=False)
def test_closing_a_demand_files_it_with_an_archive_number(client_as, operator):
    first = _close_demand(client_as, operator)
    second = _close_demand(client_as, operator, title="电子秤校准")

    catalogue = client_as(operator).get("/ops/filing/2026/D30/").content.decode()
    items = {i.case_number: i.number for i in ArchiveItem.objects.all()}

    assert items == {first: "QH-2026-D30-XQ-0001", second: "QH-2026-D30-XQ-0002"}
    assert "2026年度定期30年归档目录" in catalogue
    assert "QH-2026-D30-XQ-0001" in catalogue and "电子秤校准" in catalogue
    item = client_as(operator).get("/ops/filing/items/QH-2026-D30-XQ-0001/").content.decode()
    assert "归档" in item and "2056-12-31" in item  # kept 30 years from the next 1 January


@pytest.mark.req("ARC-4")
@time_machine.travel(CLOSED_ON, tick=False)
def test_a_completed_order_is_numbered_in_its_own_unit(client_as, operator, institution):
    order = testing.order(status="accepted")
    lab = order.institution.account
    response = client_as(lab).post(
        f"/orders/{order.number}/complete/", {"version": order.version, "note": "已出具结果"}
    )

    assert response.status_code == 302
    assert ArchiveItem.objects.get(case_number=order.number).number == "QH-2026-D30-DD-0001"


@pytest.mark.req("ARC-4")
@time_machine.travel(CLOSED_ON, tick=False)
def test_the_catalogue_prints_with_its_cover(client_as, operator, enterprise):
    _close_demand(client_as, operator)

    response = client_as(operator).get("/ops/filing/2026/D30/catalogue.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2  # the cover, then the list
    assert "QH-2026-D30-XQ-0001" in text
    assert client_as(enterprise).get("/ops/filing/2026/D30/catalogue.pdf").status_code == 403
    api = client_as(operator).get("/api/v1/filing/catalogues").json()
    assert api == [
        {
            "year": 2026,
            "retention": "D30",
            "retention_label": "定期30年",
            "name": "2026年度定期30年归档目录",
            "count": 1,
        }
    ]


@pytest.mark.req("ARC-4")
def test_retention_is_configurable_per_kind_and_bad_input_names_the_field(client_as, operator):
    page = client_as(operator)
    forms = page.get("/ops/filing/rules/").context["formset"].forms
    data = {
        "form-TOTAL_FORMS": str(len(forms)),
        "form-INITIAL_FORMS": str(len(forms)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(forms):
        data[f"form-{i}-id"] = str(f.instance.pk)
        data[f"form-{i}-retention"] = f.instance.retention
        data[f"form-{i}-unit_code"] = f.instance.unit_code
        data[f"form-{i}-unit_name"] = f.instance.unit_name
    demand_form = next(i for i, f in enumerate(forms) if f.instance.kind == "demand")

    bad = page.post("/ops/filing/rules/", {**data, f"form-{demand_form}-unit_code": "需求"})
    good = page.post(
        "/ops/filing/rules/",
        {**data, f"form-{demand_form}-retention": "Y", f"form-{demand_form}-unit_code": "xq2"},
    )
    with time_machine.travel(CLOSED_ON, tick=False):
        number = _close_demand(client_as, operator)

    assert bad.status_code == 400
    assert "机构（问题）代码须为 2 至 6 位大写字母或数字" in bad.content.decode()
    assert good.status_code == 302
    assert ArchiveItem.objects.get(case_number=number).number == "QH-2026-Y-XQ2-0001"
    assert ArchiveItem.objects.get(case_number=number).keep_until is None


@pytest.mark.req("ARC-4")
def test_cases_past_retention_are_listed_and_decided_never_deleted(client_as, operator):
    with time_machine.travel(CLOSED_ON, tick=False):
        rules = client_as(operator)
        rules.get("/ops/filing/rules/")
        from qihub.filing.models import RetentionRule

        RetentionRule.objects.filter(kind="demand").update(retention="D10")
        first = _close_demand(client_as, operator)
        second = _close_demand(client_as, operator, title="电子秤校准")
        early = client_as(operator).post(
            "/api/v1/filing/items/QH-2026-D10-XQ-0001/destroy", {"opinion": "无保存价值"}
        )
    assert early.status_code == 409 and "尚未到保管期限" in early.json()["detail"]

    with time_machine.travel(dt.datetime(2037, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        page = client_as(operator)
        due = page.get("/ops/filing/due/").content.decode()
        empty = page.post("/ops/filing/items/QH-2026-D10-XQ-0001/destroy/", {"opinion": ""})
        destroyed = page.post(
            "/ops/filing/items/QH-2026-D10-XQ-0001/destroy/", {"opinion": "已无保存价值"}
        )
        extended = page.post(
            "/api/v1/filing/items/QH-2026-D10-XQ-0002/extend",
            {"years": "5", "opinion": "涉及长期合同，继续保存"},
        )
        due_after = page.get("/api/v1/filing/due").json()
        catalogue = page.get("/ops/filing/2026/D10/").content.decode()

    assert "QH-2026-D10-XQ-0001" in due and "QH-2026-D10-XQ-0002" in due
    assert empty.status_code == 302
    assert ArchiveItem.objects.get(case_number=first).status == Disposal.DESTROYED
    assert destroyed.status_code == 302
    assert extended.status_code == 200 and extended.json()["keep_until"] == "2041-12-31"
    assert ArchiveItem.objects.get(case_number=second).status == Disposal.EXTENDED
    assert due_after == []
    # Never deleted: the destroyed case keeps its entry with the decision and who made it.
    assert "QH-2026-D10-XQ-0001" in catalogue and "已鉴定销毁" in catalogue
    event = ArchiveItem.objects.get(case_number=first).events.last()
    assert event.kind == "destroy" and event.note == "已无保存价值" and event.by == operator


@pytest.mark.req("ARC-4")
def test_only_operators_decide_and_only_staff_read(client_as, operator, supervisor, enterprise):
    with time_machine.travel(CLOSED_ON, tick=False):
        _close_demand(client_as, operator)
    with time_machine.travel(dt.datetime(2057, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        by_supervisor = client_as(supervisor).post(
            "/api/v1/filing/items/QH-2026-D30-XQ-0001/destroy", {"opinion": "销毁"}
        )
        by_enterprise = client_as(enterprise).get("/api/v1/filing/items/QH-2026-D30-XQ-0001")
        listing = client_as(enterprise).get("/ops/filing/")

    assert by_supervisor.status_code == 403
    assert by_enterprise.status_code == 404
    assert listing.status_code == 403
    assert ArchiveItem.objects.get().status == Disposal.KEPT


@pytest.mark.req("ARC-4")
def test_an_unknown_catalogue_is_not_found_not_an_error(client_as, operator):
    staff = client_as(operator)

    answers = [
        staff.get("/ops/filing/2026/D20/").status_code,
        staff.get("/ops/filing/99999999999999999999/D30/").status_code,
        staff.get("/ops/filing/99999999999999999999/D30/catalogue.pdf").status_code,
        staff.get("/api/v1/filing/catalogues/2026/D20").status_code,
        staff.get("/api/v1/filing/catalogues/99999999999999999999/D30").status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
