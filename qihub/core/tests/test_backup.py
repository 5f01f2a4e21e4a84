"""Backups that restore (OPS-1, reliability bar B10): the restore drill and the refusals."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qihub.core import backup, pii
from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders.models import Report
from qihub.orders.tests.test_reports import (  # noqa: F401 - shared fixture
    institution_pdf,
    issue,
    running_order,
    upload,
)


def run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def only_backup(root: Path) -> Path:
    (made,) = sorted(root.glob("qihub-backup-*"))
    return made


@pytest.fixture
def own_data_dir(settings, tmp_path):
    """A data directory of the test's own, so the backup holds exactly this platform's files
    and keys; the PII key cache follows the directory both ways."""
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR, settings.MEDIA_ROOT = data, data / "uploads"
    pii.key_ring.cache_clear()
    yield data
    pii.key_ring.cache_clear()


def wipe_postgres_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


@pytest.mark.req("OPS-1")
@pytest.mark.django_db(transaction=True)
def test_the_restore_drill_reproduces_every_row_every_file_and_reports_still_verify(
    own_data_dir,
    settings,
    tmp_path,
    client,
    client_as,
    company,  # noqa: F811
    running_order,  # noqa: F811
):
    issue(client_as(running_order.institution.account), running_order, institution_pdf())
    report = Report.objects.get()
    issued = b"".join(
        client_as(company).get(f"/orders/{running_order.number}/report.pdf").streaming_content
    )
    rows_before = backup.table_digests()
    files_before = backup.file_checksums(own_data_dir / "uploads")

    made = run("backup", to=str(tmp_path / "backups"))
    copy = only_backup(tmp_path / "backups")
    restored = tmp_path / "restored"  # an empty data directory, as on a new machine
    sqlite_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        wipe_postgres_database()  # the same test database, emptied: the restore target
        assert backup.table_digests() == {}
    try:
        done = run("restore", str(copy), into=str(restored))
        # From here on the platform runs on the restored copy: its database, files and keys.
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = str(restored / backup.SQLITE_NAME)
        settings.DATA_DIR, settings.MEDIA_ROOT = restored, restored / "uploads"
        pii.key_ring.cache_clear()
        rows_after = backup.table_digests()
        files_after = backup.file_checksums(restored / "uploads")
        page = client.get(f"/verify/{report.number}/").content.decode()
        checked = client.post(f"/verify/{report.number}/", {"file": upload(issued)})
    finally:
        connection.close()
        connection.settings_dict["NAME"] = sqlite_name

    assert "备份完成" in made and "恢复完成" in done
    assert rows_after == rows_before  # every table: row count and content hash
    assert sum(t["rows"] for t in rows_before.values()) > 100
    assert files_after == files_before and len(files_before) >= 2  # upload and issued report
    assert 'data-result="valid"' in page and "有效" in page
    assert 'data-result="valid"' in checked.content.decode()


@pytest.mark.req("OPS-1")
@pytest.mark.parametrize("damaged", ["uploads", "database"])
def test_a_backup_with_a_changed_file_is_refused_naming_the_file(
    own_data_dir,
    tmp_path,
    db,
    damaged,
):
    (own_data_dir / "uploads" / "ab").mkdir(parents=True)
    (own_data_dir / "uploads" / "ab" / "ab12").write_bytes(b"%PDF-1.7 original")
    run("backup", to=str(tmp_path / "backups"))
    copy = only_backup(tmp_path / "backups")
    if damaged == "uploads":
        name = "uploads/ab/ab12"
    else:
        name = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    with (copy / name).open("r+b") as f:  # one byte flipped, size unchanged
        f.seek(10)
        byte = f.read(1)
        f.seek(10)
        f.write(bytes([byte[0] ^ 0xFF]))
    target = tmp_path / "restored"

    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), into=str(target))

    assert "校验失败" in str(refused.value) and name in str(refused.value)
    assert not (target / backup.SQLITE_NAME).exists() and not (target / "uploads").exists()


@pytest.mark.req("OPS-1")
def test_restoring_over_existing_data_needs_force(own_data_dir, tmp_path, db):
    run("backup", to=str(tmp_path / "backups"))
    copy = only_backup(tmp_path / "backups")
    target = tmp_path / "in-use"
    (target / "uploads" / "cd").mkdir(parents=True)
    (target / "uploads" / "cd" / "cd34").write_bytes(b"someone's file")

    with pytest.raises(CommandError) as refused:
        run("restore", str(copy), into=str(target))

    assert "不是空的" in str(refused.value) and "--force" in str(refused.value)
    assert (target / "uploads" / "cd" / "cd34").read_bytes() == b"someone's file"
    if connection.vendor == "sqlite":  # on PostgreSQL --force would replace the test database
        run("restore", str(copy), into=str(target), force=True)
        assert not (target / "uploads" / "cd" / "cd34").exists()
        assert (target / backup.SQLITE_NAME).is_file()


@pytest.mark.req("OPS-1")
def test_the_command_line_answers_a_missing_backup_in_chinese_without_a_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "qihub", "restore", str(tmp_path / "no-such-backup")],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    assert done.returncode == 1
    assert "恢复失败：备份目录不存在" in done.stderr and "Traceback" not in done.stderr
