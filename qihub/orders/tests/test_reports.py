"""Electronic reports: issued as a signed PDF with a QR code, downloaded, verified, collected
on the client's behalf (ORD-5)."""

import io

import pytest
from pypdf import PdfReader

from qihub.orders.models import Order, Report
from qihub.orders.tests.test_orders import service


def institution_pdf(text: str = "检验结果：合格") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p style='font-family: Noto Sans CJK SC'>{text}</p>").write_pdf()


def upload(data: bytes, name: str = "report.pdf") -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


@pytest.fixture
def running_order(client_as, company, labs):
    lab = labs["无锡塑料制品检验所"]
    item = service(lab)
    client_as(company).post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
    order = Order.objects.get()
    client_as(lab.account).post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    return order


def issue(client, order, data: bytes, conclusion: str = "所检项目符合 GB/T 6111-2018 要求"):
    return client.post(
        f"/orders/{order.number}/report/",
        {"version": order.version, "report": upload(data), "conclusion": conclusion},
        follow=True,
    )


@pytest.mark.req("ORD-5")
def test_the_institution_issues_a_signed_pdf_the_client_downloads_and_the_qr_page_says_valid(
    client_as, client, company, running_order
):
    lab = client_as(running_order.institution.account)

    issue(lab, running_order, institution_pdf())
    report = Report.objects.get()
    running_order.refresh_from_db()
    download = client_as(company).get(f"/orders/{running_order.number}/report.pdf")
    pdf = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    cover = reader.pages[0].extract_text()
    fonts = [f.get_object()["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()]
    page = client.get(f"/verify/{report.number}/").content.decode()

    assert running_order.status == "completed"
    assert len(reader.pages) == 2 and report.number in cover and "委托方" in cover
    assert f"/verify/{report.number}/" in cover  # the address the QR code carries
    assert any("CJK" in font for font in fonts)  # the Chinese font is embedded (subset)
    assert 'data-result="valid"' in page and "有效" in page
    checked = client.post(f"/verify/{report.number}/", {"file": upload(pdf)}).content.decode()
    assert 'data-result="valid"' in checked and "完全一致" in checked


@pytest.mark.req("ORD-5")
def test_a_changed_file_is_tampered_and_an_unknown_number_is_unknown(
    client_as, client, running_order
):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()

    forged = client.post(
        f"/verify/{report.number}/", {"file": upload(institution_pdf("检验结果：伪造"))}
    )
    unknown = client.get("/verify/BG-2026-999999/")

    assert 'data-result="tampered"' in forged.content.decode()
    assert unknown.status_code == 404 and 'data-result="unknown"' in unknown.content.decode()


@pytest.mark.req("ORD-5")
def test_a_stored_report_altered_on_disk_is_shown_as_tampered(client_as, client, running_order):
    from django.core.files.base import ContentFile

    from qihub.accounts.uploads import delete_stored, read_stored, save_stored

    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()
    name = report.issued.stored_name
    altered = read_stored(name) + b"\n%tampered"
    delete_stored(name)
    save_stored(name, ContentFile(altered))

    assert 'data-result="tampered"' in client.get(f"/verify/{report.number}/").content.decode()


@pytest.mark.req("ORD-5")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a pdf", "不是 PDF 文件"),
        (b"%PDF-1.7 garbage without pages", "PDF 已损坏"),
    ],
)
def test_an_upload_that_is_not_a_real_pdf_is_refused(client_as, running_order, data, message):
    response = issue(client_as(running_order.institution.account), running_order, data)

    assert message in response.content.decode()
    assert not Report.objects.exists()
    running_order.refresh_from_db()
    assert running_order.status == "accepted"


@pytest.mark.req("ORD-5")
def test_collection_on_the_clients_behalf_is_recorded_with_a_masked_id(
    client_as, company, station_staff, running_order
):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())

    client_as(station_staff).post(
        f"/orders/{running_order.number}/collection/",
        {"collected_by": "王敏", "id_number": "320211199001011234"},
    )
    page = client_as(company).get(f"/orders/{running_order.number}/").content.decode()

    collection = Report.objects.get().collections.get()
    assert collection.id_masked == "320***********1234" and "320211199001011234" not in page
    assert "代办领取：王敏" in page


@pytest.mark.req("ORD-5")
def test_only_the_parties_download_the_report(client_as, other_enterprise, running_order):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())

    assert (
        client_as(other_enterprise).get(f"/orders/{running_order.number}/report.pdf").status_code
        == 404
    )


@pytest.mark.req("ORD-2")
@pytest.mark.req("ORD-5")
def test_progress_and_the_report_go_through_the_api_with_the_same_rules(
    client_as, company, running_order
):
    lab = client_as(running_order.institution.account)
    url = f"/api/v1/orders/{running_order.number}"

    progressed = lab.post(f"{url}/progress", {"note": "样品已接收"})
    by_client = client_as(company).post(f"{url}/progress", {"note": "x"})
    fake = lab.post(
        f"{url}/report",
        {
            "version": running_order.version,  # a progress note leaves the version as it is
            "conclusion": "合格",
            "report": upload(b"not a pdf"),
        },
    )
    issued = lab.post(
        f"{url}/report",
        {
            "version": running_order.version,
            "conclusion": "合格",
            "report": upload(institution_pdf()),
        },
    )

    assert progressed.status_code == 200 and "样品已接收" in str(progressed.json()["progress"])
    assert by_client.status_code == 403 and "只有接单机构" in by_client.json()["detail"]
    assert fake.status_code == 409 and "不是 PDF" in fake.json()["detail"]
    assert issued.status_code == 200 and issued.json()["status"] == "completed"


@pytest.mark.req("ORD-5")
def test_the_verify_page_tells_a_visitor_only_genuineness_unless_the_code_on_the_report_is_given(
    client_as, client, company, running_order
):
    """Probe finding 7: any visitor read every report's conclusion by walking the numbers."""
    conclusion = "所检项目不合格：静液压强度不符合要求"
    issue(
        client_as(running_order.institution.account), running_order, institution_pdf(), conclusion
    )
    report = Report.objects.get()
    download = client_as(company).get(f"/orders/{running_order.number}/report.pdf")
    cover = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()

    anonymous = client.get(f"/verify/{report.number}/").content.decode()
    guessed = client.get(f"/verify/{report.number}/", {"code": "AAAAAAAAAA"}).content.decode()
    holder = client.get(f"/verify/{report.number}/", {"code": report.verification_code.lower()})

    assert report.verification_code in cover  # printed on the report, carried by the QR code
    assert (
        len({r.verification_code for r in Report.objects.all()}) == 1
        and len(report.verification_code) == 10
    )
    for page in (anonymous, guessed):
        assert 'data-result="valid"' in page and running_order.institution.name in page
        assert conclusion not in page and running_order.service.name not in page
    assert "核验码不正确" in guessed
    assert conclusion in holder.content.decode()


@pytest.mark.req("ORD-5")
def test_a_verification_upload_over_the_cap_is_refused_naming_the_field(
    client, running_order, client_as
):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()

    big = upload(b"%PDF-1.7\n" + b"0" * (13 * 1024 * 1024))
    page = client.post(f"/verify/{report.number}/", {"file": big}).content.decode()

    assert "待核验的报告文件：不能超过 12 MB" in page
