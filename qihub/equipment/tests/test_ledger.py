"""The measuring-instrument ledger (ENT-1) through its pages and the API."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from qihub.equipment.models import Item, Schedule
from qihub.equipment.tests.conftest import row, workbook

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def new_instrument(client, **overrides):
    data = {
        "name": "电子天平",
        "model": "XS205",
        "serial": "TP-01",
        "measuring_range": "0～220 g",
        "accuracy": "Ⅰ级",
        "location": "理化室",
        "keeper": "李工",
        "compulsory": "on",
        "kind": "verification",
        "cycle_months": "12",
        "last_done": "2025-06-20",
        "due_on": "",
        "levels": "30,15,0",
    }
    data.update(overrides)
    return client.post("/equipment/instruments/new/", data)


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_an_enterprise_registers_an_instrument_and_the_ledger_shows_it_due_soon(client_as, company):
    web = client_as(company)

    answer = new_instrument(web)
    item = Item.objects.get()
    ledger = web.get("/equipment/instruments/").content.decode()
    page = web.get(f"/equipment/{item.pk}/").content.decode()

    assert answer.status_code == 302
    # Done 2025-06-20 + 12 months = 2026-06-20, inside the 30-day window on 2026-06-01.
    assert Schedule.objects.get().due_on == dt.date(2026, 6, 20)
    assert 'data-serial="TP-01"' in ledger and 'data-testid="item-status">即将到期' in ledger
    assert "2026-06-20" in page and 'data-testid="status">即将到期' in page


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_bad_input_names_the_field_and_saves_nothing(client_as, company):
    answer = new_instrument(client_as(company), name="", cycle_months="0", last_done="2026-13-01")

    text = answer.content.decode()
    assert answer.status_code == 400
    assert "必须填写" in text and "应为 1～120 的整数" in text and "日期格式应为“年-月-日”" in text
    assert not Item.objects.exists()


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_filters_by_status_kind_and_compulsory(client_as, company):
    web = client_as(company)
    new_instrument(web, serial="A", name="过期表", last_done="2025-01-10")  # due 2026-01-10
    new_instrument(web, serial="B", name="有效表", last_done="2026-05-01", compulsory="")
    new_instrument(web, serial="C", name="校准表", kind="calibration", last_done="2026-05-01")

    overdue = web.get("/equipment/instruments/?status=overdue").content.decode()
    valid = web.get("/equipment/instruments/?status=valid").content.decode()
    calibrated = web.get("/equipment/instruments/?kind=calibration").content.decode()
    voluntary = web.get("/equipment/instruments/?compulsory=0").content.decode()

    def serials(page: str) -> set[str]:
        return {s for s in "ABC" if f'data-serial="{s}"' in page}

    assert serials(overdue) == {"A"}
    assert serials(valid) == {"B", "C"}
    assert serials(calibrated) == {"C"}
    assert serials(voluntary) == {"B"}


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_several_schedules_per_instrument_and_a_certificate_sets_the_next_due_date(
    client_as, company
):
    from qihub.core.testing import pdf_bytes

    web = client_as(company)
    new_instrument(web)
    item = Item.objects.get()
    web.post(
        f"/equipment/{item.pk}/schedules/",
        {"kind": "internal", "cycle_months": "3", "last_done": "2026-05-01", "levels": "7,0"},
    )
    verification = item.schedules.get(kind="verification")
    upload = io.BytesIO(pdf_bytes())
    upload.name = "证书.pdf"
    answer = web.post(
        f"/equipment/{item.pk}/certificates/",
        {
            "schedule": verification.pk,
            "done_on": "2026-05-31",
            "number": "JD-2026-1",
            "issuer": "无锡市计量院",
            "file": upload,
        },
    )
    fake = io.BytesIO(b"not a pdf at all")
    fake.name = "证书.pdf"
    refused = web.post(
        f"/equipment/{item.pk}/certificates/",
        {"schedule": verification.pk, "done_on": "2026-05-31", "file": fake},
    )
    page = web.get(f"/equipment/{item.pk}/").content.decode()

    verification.refresh_from_db()
    assert answer.status_code == 302
    assert item.schedules.count() == 2
    assert verification.due_on == dt.date(2027, 5, 31) and verification.last_done == dt.date(
        2026, 5, 31
    )
    assert refused.status_code == 400 and "不是 PDF、JPG 或 PNG" in refused.content.decode()
    assert item.schedules.get(kind="verification").certificates.count() == 1
    assert "JD-2026-1" in page and "查看证书" in page and "内部核查" in page


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_import_from_the_template_then_export(client_as, company):
    web = client_as(company)
    template = web.get("/equipment/instruments/template/")
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]

    answer = web.post(
        "/equipment/instruments/import/",
        {
            "file": workbook(
                [
                    row(serial="YB001"),
                    row(serial="YB001", kind="内部核查", cycle=3, last=dt.date(2026, 5, 1)),
                    row(
                        name="温度计",
                        serial="WD1",
                        kind="校准",
                        cycle=12,
                        last="",
                        due="2026-09-01",
                        compulsory="否",
                    ),
                ]
            )
        },
        follow=True,
    )
    export = web.get("/equipment/instruments/export/")
    sheet = load_workbook(io.BytesIO(export.content)).active
    exported = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]

    assert headers[0] == "器具名称" and headers[-1] == "下次到期日期"
    assert "已导入 2 台器具、3 项周期计划" in answer.content.decode()
    assert Item.objects.filter(serial="YB001").get().schedules.count() == 2
    assert Schedule.objects.get(kind="verification").due_on == dt.date(2026, 7, 15)
    assert len(exported) == 3 and {r[0] for r in exported} == {"压力表", "温度计"}
    assert "即将到期" in {r[-1] for r in exported} or "有效" in {r[-1] for r in exported}


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_an_import_with_bad_rows_names_row_and_column_and_saves_nothing(client_as, company):
    answer = client_as(company).post(
        "/equipment/instruments/import/",
        {
            "file": workbook(
                [
                    row(serial="OK1"),
                    row(serial="", kind="检测", cycle="abc", last="2026/02/30"),
                    row(serial="X2", compulsory="可能", last="", due=""),
                ]
            )
        },
    )
    text = answer.content.decode()

    assert answer.status_code == 400
    assert "第 3 行“出厂编号”：必须填写" in text
    assert "第 3 行“管理方式”" in text and "第 3 行“周期（月）”" in text
    assert "第 3 行“上次完成日期”：日期格式应为“年-月-日”" in text
    assert "第 4 行“是否强检”" in text
    assert not Item.objects.exists()


@pytest.mark.req("ENT-1")
def test_a_file_that_is_not_the_template_is_refused_in_chinese(client_as, company):
    plain = io.BytesIO(b"hello")
    plain.name = "a.xlsx"
    web = client_as(company)

    junk = web.post("/equipment/instruments/import/", {"file": plain}).content.decode()
    other = web.post(
        "/equipment/instruments/import/", {"file": workbook([["x"]], headers=["名称"])}
    ).content.decode()

    assert "不是有效的 Excel 工作簿" in junk
    assert "表头与平台模板不一致" in other


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_the_label_carries_a_qr_code_to_the_instrument_page(client_as, company):
    web = client_as(company)
    new_instrument(web)
    item = Item.objects.get()

    label = web.get(f"/equipment/{item.pk}/label/").content.decode()

    assert (
        "data:image/svg+xml;base64," in label
        and "TP-01" in label
        and "检定有效期至 2026-06-20" in label
    )


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_others_cannot_see_an_enterprises_ledger(client_as, company, other_enterprise, institution):
    new_instrument(client_as(company))
    item = Item.objects.get()

    assert client_as(other_enterprise).get(f"/equipment/{item.pk}/").status_code == 404
    assert client_as(institution).get("/equipment/instruments/").status_code == 403


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_the_api_lists_filters_shows_and_imports(client_as, company, institution):
    web = client_as(company)
    new_instrument(web)

    imported = web.post("/api/v1/equipment/import", {"file": workbook([row(serial="API1")])})
    bad = web.post("/api/v1/equipment/import", {"file": workbook([row(serial="", cycle=0)])})
    listed = web.get("/api/v1/equipment?compulsory=1").json()["items"]
    overdue = web.get("/api/v1/equipment?status=overdue").json()["items"]
    item = Item.objects.get(serial="TP-01")
    shown = web.get(f"/api/v1/equipment/{item.pk}").json()
    refused = client_as(institution).get("/api/v1/equipment")

    assert imported.json() == {"instruments": 1, "schedules": 1}
    assert bad.status_code == 422 and "第 2 行“出厂编号”：必须填写" in bad.json()["errors"]["file"]
    assert {i["serial"] for i in listed} == {"TP-01", "API1"}
    assert overdue == []
    assert shown["schedules"][0]["due_on"] == "2026-06-20" and shown["status"] == "即将到期"
    assert refused.status_code == 403


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_the_workbench_card_counts_due_and_overdue_instruments(client_as, company):
    web = client_as(company)
    new_instrument(web, serial="A", last_done="2025-01-10")  # overdue
    new_instrument(web, serial="B")  # due soon
    new_instrument(web, serial="C", last_done="2026-05-01")  # valid

    page = web.get("/accounts/workbench/").content.decode()

    assert "计量器具台账" in page and "待办 2" in page and "超时 1" in page


@pytest.mark.req("ENT-1")
@time_machine.travel(TODAY, tick=False)
def test_due_dates_are_calendar_months_clamped_to_the_month_end(client_as, company):
    web = client_as(company)
    new_instrument(web, serial="M1", cycle_months="1", last_done="2026-01-31")
    new_instrument(web, serial="M13", cycle_months="13", last_done="2025-01-31")

    assert Schedule.objects.get(item__serial="M1").due_on == dt.date(2026, 2, 28)
    assert Schedule.objects.get(item__serial="M13").due_on == dt.date(2026, 2, 28)
