"""Files past one machine (issue 22 part 6, reliability bar B9 "disk full"): every upload and
report goes through Django's storage API, so an S3-compatible bucket can serve several app
machines, and a full store gives a Chinese error under the field with nothing half-saved."""

import datetime as dt
import errno
import hashlib
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from qihub.accounts.models import Document
from qihub.demands.models import Demand
from qihub.demands.tests.test_demands import PIPE
from qihub.orders.models import Order, Report
from qihub.orders.tests.test_orders import service
from qihub.orders.tests.test_reports import institution_pdf, issue

PDF = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF"


def files_under(root: object) -> set[Path]:
    root = Path(str(root))
    return {p for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()


def attachment(data: bytes = PDF, name: str = "检测说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def field_errors(html: str, field: str) -> str:
    """The text of the error block the form shows under one field."""
    return " ".join(re.findall(rf'<div class="field-error" data-field="{field}">(.*?)</div>', html))


# --- disk full (ENOSPC) ---------------------------------------------------------------------


class FullDisk(FileSystemStorage):
    """A store that writes part of the file and then runs out of room, as a full disk does."""

    def _save(self, name: str, content: object) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n")  # the half-written file that must not be left behind
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_store(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullDisk"},
    }


def _assert_refused_cleanly(response, before: set[Path], media: object) -> None:
    html = response.content.decode()
    assert response.status_code == 400
    assert "平台存储空间已满，文件未能保存" in html
    # Under the attachment field, named by the form's label.
    assert "附件" in html and "存储空间已满" in field_errors(html, "attachment")
    assert not Demand.objects.exists() and not Document.objects.exists()
    assert files_under(media) == before


@pytest.mark.req("OPS-1")
def test_a_full_store_refuses_the_upload_under_its_field_and_keeps_nothing(
    client_as, company, labs, full_store, settings
):
    before = files_under(settings.MEDIA_ROOT)

    response = client_as(company).post("/demands/new/", {**PIPE, "attachment": attachment()})

    _assert_refused_cleanly(response, before, settings.MEDIA_ROOT)
    # The form keeps what was typed: nothing entered is lost.
    assert PIPE["title"] in response.content.decode()


@pytest.mark.req("OPS-1")
def test_registration_with_a_full_store_names_the_material_and_creates_no_account(
    client, db, full_store, settings
):
    from qihub.accounts.models import HeldUpload, User
    from qihub.onboarding.models import Application
    from qihub.onboarding.tests import helpers

    before, users = files_under(settings.MEDIA_ROOT), User.objects.count()

    response = helpers.submit(client, "enterprise", helpers.enterprise())

    html = response.content.decode()
    assert response.status_code == 400
    assert "平台存储空间已满，文件未能保存" in html
    assert not Application.objects.exists() and User.objects.count() == users
    assert not Document.objects.exists() and not HeldUpload.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == before


@pytest.fixture
def tiny_disk(settings):
    """A real 1 MB file system as the upload store (tmpfs; needs root and mount rights)."""
    mount = Path(settings.DATA_DIR) / "tiny-disk"
    mount.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("不能挂载 tmpfs（需要 root 与挂载权限）：" + done.stderr.decode().strip())
    settings.MEDIA_ROOT = mount
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


@pytest.mark.req("OPS-1")
def test_a_really_full_disk_refuses_the_upload_cleanly(client_as, company, labs, tiny_disk):
    # Fill the small disk but a little, then send a file larger than what is left.
    (tiny_disk / "filler").write_bytes(b"\0" * (600 * 1024))
    before = files_under(tiny_disk)
    big = b"%PDF-1.7\n" + b"1" * (800 * 1024) + b"\n%%EOF"

    response = client_as(company).post("/demands/new/", {**PIPE, "attachment": attachment(big)})

    _assert_refused_cleanly(response, before, tiny_disk)


@pytest.mark.req("OPS-1")
@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_full_store_on_a_page_without_its_own_handling_is_not_a_500(client_as, company, settings):
    """The instrument ledger's certificate form has no handling of its own: the site-wide
    answer names the field, and the certificate is not half-recorded."""
    from qihub.core.testing import pdf_bytes
    from qihub.equipment.models import Certificate, Item
    from qihub.equipment.tests.test_ledger import new_instrument

    web = client_as(company)
    new_instrument(web)
    item = Item.objects.get()
    schedule = item.schedules.get()
    documents, before = Document.objects.count(), files_under(settings.MEDIA_ROOT)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}

    response = web.post(
        f"/equipment/{item.pk}/certificates/",
        {
            "schedule": schedule.pk,
            "done_on": "2026-05-31",
            "number": "JD-2026-1",
            "issuer": "无锡市计量院",
            "file": SimpleUploadedFile("证书.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )

    schedule.refresh_from_db()
    assert response.status_code == 507
    assert "证书扫描件：平台存储空间已满，文件未能保存" in response.content.decode()
    assert Document.objects.count() == documents and not Certificate.objects.exists()
    assert schedule.last_done == dt.date(2025, 6, 20)
    assert files_under(settings.MEDIA_ROOT) == before


# --- S3-compatible store --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bucket(bucket_server):
    return bucket_server[1]


@pytest.fixture
def bucket_server(settings):
    """moto's S3 server on a free port, and the platform's store pointed at it through the same
    QIHUB_S3_* variables an operator sets; yields the server (to stop it) and a client."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    from qihub.settings import file_storage

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "QIHUB_S3_BUCKET": "qihub-files",
        "QIHUB_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "QIHUB_S3_ACCESS_KEY": "testing",
        "QIHUB_S3_SECRET_KEY": "testing",
        "QIHUB_S3_REGION": "us-east-1",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=env["QIHUB_S3_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket="qihub-files")
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(env)}
    try:
        yield server, s3
    finally:
        server.stop()


@pytest.fixture
def running_order(client_as, company, labs):
    """An order confirmed by a lab, ready for its report (as in the orders' report tests)."""
    lab = labs["无锡塑料制品检验所"]
    client_as(company).post(
        f"/orders/new/{service(lab).pk}/", {"description": "PE 管", "quantity": 1}
    )
    order = Order.objects.get()
    client_as(lab.account).post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    return order


def objects_in(s3) -> dict[str, str]:
    """Key → SHA-256 of every object in the bucket."""
    listed = s3.list_objects_v2(Bucket="qihub-files").get("Contents", [])
    return {
        o["Key"]: hashlib.sha256(
            s3.get_object(Bucket="qihub-files", Key=o["Key"])["Body"].read()
        ).hexdigest()
        for o in listed
    }


@pytest.mark.req("OPS-1")
def test_materials_and_reports_live_in_the_bucket_and_nothing_on_the_app_machine(
    client_as, client, company, running_order, bucket, settings
):
    before = files_under(settings.MEDIA_ROOT)
    enterprise = client_as(company)

    # A material: uploaded with a demand, opened again from the demand's page.
    enterprise.post("/demands/new/", {**PIPE, "attachment": attachment()})
    demand = Demand.objects.get()
    detail = enterprise.get(f"/demands/{demand.number}/").content.decode()
    link = re.search(r'href="(/documents/\d+/)"', detail).group(1)
    opened = b"".join(enterprise.get(link).streaming_content)

    # A report: issued by the institution, downloaded by the client, verified by anyone.
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()
    download = enterprise.get(f"/orders/{running_order.number}/report.pdf")
    pdf = b"".join(download.streaming_content)
    verdict = client.get(f"/verify/{report.number}/").content.decode()

    stored = objects_in(bucket)
    documents = Document.objects.all()
    assert opened == PDF
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == report.sha256
    assert 'data-result="valid"' in verdict
    # Every document's bytes are in the bucket under its random name, with its checksum.
    assert {f"{d.stored_name[:2]}/{d.stored_name}": d.sha256 for d in documents}.items() <= (
        stored.items()
    )
    assert len(documents) >= 3  # the material, the institution's pages, the signed report
    assert files_under(settings.MEDIA_ROOT) == before


@pytest.mark.req("OPS-1")
def test_a_report_altered_in_the_bucket_is_shown_as_tampered(
    client_as, client, running_order, bucket
):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()
    key = f"{report.issued.stored_name[:2]}/{report.issued.stored_name}"
    body = bucket.get_object(Bucket="qihub-files", Key=key)["Body"].read()
    bucket.put_object(Bucket="qihub-files", Key=key, Body=body + b"\n%tampered")

    assert 'data-result="tampered"' in client.get(f"/verify/{report.number}/").content.decode()


@pytest.mark.req("OPS-1")
def test_backup_with_files_in_the_bucket_keeps_the_database_and_says_so(
    client_as, company, labs, bucket, tmp_path
):
    from django.core.management import call_command

    from qihub.core import backup

    client_as(company).post("/demands/new/", {**PIPE, "attachment": attachment()})

    call_command("backup", "--to", str(tmp_path))

    made = next(tmp_path.glob("qihub-backup-*"))
    manifest = backup.verify_backup(made)
    assert manifest["uploads"] == {"included": False, "store": "s3", "bucket": "qihub-files"}
    assert not (made / backup.UPLOADS).exists()
    assert not [name for name in manifest["files"] if name.startswith(f"{backup.UPLOADS}/")]
    assert manifest["database"]["dump"] in manifest["files"]


# --- an unreachable store -------------------------------------------------------------------


def s3_env(endpoint: str) -> dict[str, str]:
    return {
        "QIHUB_S3_BUCKET": "qihub-files",
        "QIHUB_S3_ENDPOINT_URL": endpoint,
        "QIHUB_S3_ACCESS_KEY": "testing",
        "QIHUB_S3_SECRET_KEY": "testing",
        "QIHUB_S3_REGION": "us-east-1",
    }


class Failing(BaseHTTPRequestHandler):
    """An S3 endpoint that answers every request 503, as an overloaded object store does."""

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"<Error><Code>ServiceUnavailable</Code><Message>Slow down</Message></Error>"
        self.send_response(503)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture(params=["refused", "5xx"])
def dead_bucket(request, settings):
    """The store pointed at a bucket that cannot be reached: a closed port (connection
    refused), or a server answering 503 to everything."""
    from qihub.settings import file_storage

    if request.param == "refused":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": file_storage(s3_env(f"http://127.0.0.1:{_free_port()}")),
        }
        yield request.param
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(s3_env(endpoint))}
    try:
        yield request.param
    finally:
        server.shutdown()
        server.server_close()


def _assert_store_unavailable_page(response) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "文件存储暂时不可用，请稍后再试" in html
    assert "Traceback" not in html and "botocore" not in html and "Error" not in html


@pytest.mark.req("OPS-1")
def test_an_upload_to_an_unreachable_bucket_answers_503_in_chinese_and_saves_nothing(
    client_as, company, labs, dead_bucket, settings
):
    before = files_under(settings.MEDIA_ROOT)
    web = client_as(company)
    web.raise_request_exception = False

    started = time.monotonic()
    response = web.post("/demands/new/", {**PIPE, "attachment": attachment()})
    elapsed = time.monotonic() - started

    _assert_store_unavailable_page(response)
    assert not Demand.objects.exists() and not Document.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == before
    # Short connect timeout and one retry: seconds, not botocore's minutes (generous: the
    # machine running the tests may be loaded).
    assert elapsed < 20


@pytest.mark.req("OPS-1")
def test_a_report_download_from_a_bucket_gone_away_answers_503_on_the_page_and_the_api(
    client_as, company, running_order, bucket_server
):
    server, _ = bucket_server
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    assert Report.objects.exists()
    server.stop()
    web = client_as(company)
    web.raise_request_exception = False

    page = web.get(f"/orders/{running_order.number}/report.pdf")
    api = web.get(f"/api/v1/orders/{running_order.number}/report.pdf")

    _assert_store_unavailable_page(page)
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert api.json() == {"detail": "文件存储暂时不可用，请稍后再试"}
