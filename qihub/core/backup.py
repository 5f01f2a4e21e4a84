"""Backups that restore (OPS-1, reliability bar B10).

A backup is a directory holding the database dump, the uploaded files and reports, the keys
that make the data readable (PII keys, report signing key, secret key) and `manifest.json`:
every file's SHA-256 and size, the app version, the latest migration per app, and each table's
row count and content hash. `restore` checks every checksum before it touches anything, then
loads the copy and checks the restored tables against the manifest.

Uploaded files are copied when they live on this machine's file system (the default store).
When they live in an S3-compatible bucket (QIHUB_S3_BUCKET, docs/storage.md) the backup holds
the database and keys only and says so in its manifest (`uploads.included` false): versioning
and replication of the bucket are the object store's job.

SQLite is copied with the online backup API (consistent while the server writes); PostgreSQL
with `pg_dump -Fc` inside one repeatable-read snapshot, so the row counts in the manifest
describe exactly the dumped data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_DUMP = "database.sqlite3"
PG_DUMP = "database.pgdump"
UPLOADS = "uploads"
KEYS = "keys"
# Generated beside the data in embedded mode; without them sealed PII cannot be read and
# issued reports no longer verify, so a backup without them would not really restore.
KEY_FILES = ("secret_key", "pii_keys", "report_signing_key")
SQLITE_NAME = "qihub.sqlite3"


class BackupError(Exception):
    """An expected failure, worded in Chinese for the operator."""


# --- table content -------------------------------------------------------------------------


def _normal(value: object) -> str:
    # memoryview (PostgreSQL bytea) has an address in its repr; hash the bytes instead.
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    return repr(value)


def _digest_rows(rows: Iterable[tuple]) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update("\x1f".join(_normal(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def _table_sql(cursor: Any, quote: Any, table: str) -> str:
    # Table names come from the database's own catalogue and are quoted; nothing from a user.
    cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608
    width = len(cursor.description)
    order = ", ".join(str(i) for i in range(1, width + 1))
    return f"SELECT * FROM {quote(table)} ORDER BY {order}"  # noqa: S608


def table_digests() -> dict[str, dict[str, Any]]:
    """Row count and content hash of every table, read through Django's connection."""
    quote = connection.ops.quote_name
    result: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(_table_sql(cursor, quote, table))
            rows, sha = _digest_rows(iter(cursor.fetchone, None))
            result[table] = {"rows": rows, "sha256": sha}
    return result


def sqlite_file_digests(path: Path) -> dict[str, dict[str, Any]]:
    """The same figures read from a SQLite file with plain sqlite3 (no type converters)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        result = {}
        for table in sorted(names):
            cursor = db.cursor()
            sql = _table_sql(cursor, lambda n: '"' + n.replace('"', '""') + '"', table)
            rows, sha = _digest_rows(cursor.execute(sql))
            result[table] = {"rows": rows, "sha256": sha}
        return result
    finally:
        db.close()


# --- files ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def file_checksums(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under root (the drill compares these)."""
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in _walk(root)}


# --- PostgreSQL ----------------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pg_binary(name: str) -> str:
    """pg_dump/pg_restore: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"找不到 PostgreSQL 工具 {name}，请安装 postgresql-client")
    return str(candidates[-1])


def _pg_args() -> tuple[list[str], dict[str, str]]:
    conf = connection.settings_dict
    args = ["--dbname", str(conf["NAME"])]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BackupError(f"{what}失败（退出码 {done.returncode}）：{detail[0]}")


# --- backup --------------------------------------------------------------------------------


def _app_version() -> str:
    root = Path(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else Path(__file__).parents[2]
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
        if done.returncode == 0:
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qihub")
    except PackageNotFoundError:
        return ""


def _migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = name
    return dict(sorted(latest.items()))


def _dump_database(target: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    if _is_postgres():
        out = target / PG_DUMP
        args, env = _pg_args()
        # One snapshot for the dump and the counts; an open outer transaction (tests) cannot
        # change its isolation level, so then the counts are read as they are.
        connection.ensure_connection()
        snapshot = None
        if not connection.in_atomic_block:
            connection.set_autocommit(False)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        try:
            command = [pg_binary("pg_dump"), "-Fc", "--no-owner", "--file", str(out), *args]
            if snapshot:
                command.append(f"--snapshot={snapshot}")
            _run(command, env, "数据库导出")
            tables = table_digests()
        finally:
            if snapshot:
                connection.rollback()
                connection.set_autocommit(True)
        return PG_DUMP, tables
    out = target / SQLITE_DUMP
    source = sqlite3.connect(str(connection.settings_dict["NAME"]))
    copy = sqlite3.connect(str(out))
    try:
        source.backup(copy)
        # One self-contained file: no -wal/-shm beside it to go missing or change.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    return SQLITE_DUMP, sqlite_file_digests(out)


def uploads_on_this_machine() -> bool:
    """True for the default file-system store; False when files live in a shared bucket."""
    from django.core.files.storage import FileSystemStorage

    from qihub.accounts.uploads import file_store

    return isinstance(file_store(), FileSystemStorage)


def _uploads_entry() -> dict[str, Any]:
    from qihub.accounts.uploads import file_store

    if uploads_on_this_machine():
        return {"included": True, "store": "filesystem"}
    return {"included": False, "store": "s3", "bucket": getattr(file_store(), "bucket_name", "")}


def make_backup(destination: Path) -> Path:
    """Write a complete backup into a new timestamped directory under destination."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = destination / f"qihub-backup-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = destination / f"qihub-backup-{stamp}-{n}"
    partial = destination / f".{target.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        dump, tables = _dump_database(partial)
        media = Path(settings.MEDIA_ROOT)
        if uploads_on_this_machine() and media.is_dir():
            shutil.copytree(media, partial / UPLOADS)
        (partial / KEYS).mkdir()
        for name in KEY_FILES:
            source = Path(settings.DATA_DIR) / name
            if source.is_file():
                shutil.copy2(source, partial / KEYS / name)
        files = {
            p.relative_to(partial).as_posix(): {"sha256": sha256_file(p), "size": p.stat().st_size}
            for p in _walk(partial)
        }
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "app_version": _app_version(),
            "database": {
                "vendor": connection.vendor,
                "dump": dump,
                "sha256": files[dump]["sha256"],
            },
            "migrations": _migrations(),
            "uploads": _uploads_entry(),
            "tables": tables,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


# --- verify and restore --------------------------------------------------------------------


def verify_backup(backup: Path) -> dict[str, Any]:
    """Check every file against the manifest; raise BackupError naming the first bad file."""
    backup = Path(backup)
    if not backup.is_dir():
        raise BackupError(f"备份目录不存在：{backup}")
    manifest_path = backup / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"备份不完整：缺少清单文件 {MANIFEST}")
    try:
        manifest = json.loads(manifest_path.read_text())
        files = manifest["files"]
        database = manifest["database"]
        manifest["tables"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"清单文件 {MANIFEST} 已损坏，无法读取") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("备份格式版本不受支持")
    if database.get("dump") not in files or database.get("sha256") != files[database["dump"]].get(
        "sha256"
    ):
        raise BackupError("清单中数据库导出文件的校验值不一致")
    for name, entry in files.items():
        path = backup / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"清单中的文件路径不合法：{name}")
        if not path.is_file():
            raise BackupError(f"备份文件缺失：{name}")
        if path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get("sha256"):
            raise BackupError(f"备份文件校验失败（内容已改变或损坏）：{name}")
    listed = set(files) | {MANIFEST}
    extra = [p.relative_to(backup).as_posix() for p in _walk(backup)]
    extra = [name for name in extra if name not in listed]
    if extra:
        raise BackupError(f"备份中有清单未列出的文件：{extra[0]}")
    return manifest


def _database_has_data(into: Path) -> bool:
    if _is_postgres():
        with connection.cursor() as cursor:
            return bool(connection.introspection.table_names(cursor))
    target = into / SQLITE_NAME
    return target.is_file() and target.stat().st_size > 0


def target_is_empty(into: Path) -> bool:
    uploads = into / UPLOADS
    return not _database_has_data(into) and not any(_walk(uploads))


def _restore_database(backup: Path, manifest: dict[str, Any], into: Path) -> None:
    vendor = manifest["database"]["vendor"]
    dump = backup / manifest["database"]["dump"]
    if vendor == "postgresql":
        args, env = _pg_args()
        connection.close()
        command = [pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", *args]
        _run([*command, str(dump)], env, "数据库恢复")
        restored = table_digests()
    else:
        target = into / SQLITE_NAME
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        target.chmod(0o600)
        restored = sqlite_file_digests(target)
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(restored)):
        if expected.get(table) != restored.get(table):
            raise BackupError(f"恢复后数据表 {table} 的行数或内容与备份清单不一致")


def restore_backup(backup: Path, into: Path | None = None, force: bool = False) -> dict[str, Any]:
    """Verify, then restore the database, the uploaded files and the keys into `into`."""
    backup = Path(backup)
    manifest = verify_backup(backup)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"备份来自 {names.get(vendor, vendor)} 数据库，"
            f"当前配置为 {names.get(connection.vendor, connection.vendor)}，无法直接恢复"
        )
    into = Path(into or settings.DATA_DIR)
    into.mkdir(parents=True, exist_ok=True)
    if not force and not target_is_empty(into):
        raise BackupError(f"恢复目标不是空的（{into} 已有数据库或上传文件），确认覆盖请加 --force")
    if not manifest.get("uploads", {}).get("included", True):
        # Files stayed in the bucket; only the database and the keys come back.
        _restore_database(backup, manifest, into)
        _restore_keys(backup, into)
        return manifest
    # Files first, into a staging directory swapped in at the end: a failed copy leaves the
    # old files in place.
    staging = into / f".{UPLOADS}.restoring"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if (backup / UPLOADS).is_dir():
            shutil.copytree(backup / UPLOADS, staging)
        else:
            staging.mkdir()
        _restore_database(backup, manifest, into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = into / f".{UPLOADS}.old"
    shutil.rmtree(old, ignore_errors=True)
    if (into / UPLOADS).exists():
        (into / UPLOADS).rename(old)
    staging.rename(into / UPLOADS)
    shutil.rmtree(old, ignore_errors=True)
    _restore_keys(backup, into)
    return manifest


def _restore_keys(backup: Path, into: Path) -> None:
    for key in KEY_FILES:
        source = backup / KEYS / key
        if source.is_file():
            shutil.copy2(source, into / key)
            (into / key).chmod(0o600)
