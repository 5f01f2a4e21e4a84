"""Uploaded materials: type sniffed from the content, size-capped, stored outside the web root
under random names, removed again if the transaction that records them fails.

Every file goes through Django's storage API (`storages["default"]`): the file system under
the data dir by default, or an S3-compatible bucket shared by several app machines (see
docs/storage.md). Nothing else in the project opens a stored file by path.
"""

import datetime as dt
import errno
import hashlib
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import filetype
from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from qihub.accounts.models import HeldUpload
from qihub.core.workflow import WorkflowError

ALLOWED_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
MAX_BYTES = 10 * 1024 * 1024


class MaterialField(forms.FileField):
    """A PDF, JPG or PNG of at most 10 MB, judged by its bytes, not by its name."""

    default_error_messages = {
        "required": "请上传此项材料",
        "empty": "上传的文件是空的，请重新选择",
        "invalid": "文件上传不完整，请重新选择",
    }

    def clean(self, data: object, initial: object = None) -> object:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"文件不能超过 {MAX_BYTES // (1024 * 1024)} MB")
        head = upload.read(262)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in ALLOWED_TYPES:
            raise forms.ValidationError("文件内容不是 PDF、JPG 或 PNG（请勿只修改扩展名）")
        upload.sniffed_type = kind.mime
        # Named in the message if the store is full when the file is written (StorageFull).
        upload.field_label = str(self.label or "").split("（")[0] or "上传的文件"
        return upload


# --- the store ------------------------------------------------------------------------------
# Stored files are addressed by their random name alone; the two-character folder keeps any
# one directory (or key prefix) small.


def file_store() -> Storage:
    return storages["default"]


def storage_key(stored_name: str) -> str:
    return f"{stored_name[:2]}/{stored_name}"


class StorageUnavailable(Exception):
    """The object store did not answer (connection refused, timed out, 5xx): nothing was saved
    and the request can succeed later. StorageErrorMiddleware answers 503 with Retry-After."""


def is_store_outage(exc: BaseException | None) -> bool:
    """A store that cannot be reached right now, as opposed to a fault of the request."""
    if isinstance(exc, StorageUnavailable):
        return True
    # botocore is only loaded when the store is a bucket: without it, no error can be its.
    botocore = sys.modules.get("botocore.exceptions")
    if botocore is None:
        return False
    if isinstance(exc, botocore.ConnectionError | botocore.HTTPClientError):
        return True  # refused, unresolvable, connect or read timeout, connection dropped
    if isinstance(exc, botocore.ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500
    return False


@contextmanager
def store_call() -> Iterator[None]:
    """Turn the store's outage errors into StorageUnavailable; every other error passes."""
    try:
        yield
    except StorageUnavailable:
        raise
    except Exception as exc:
        if is_store_outage(exc):
            raise StorageUnavailable(str(exc)) from exc
        raise


def save_stored(stored_name: str, content: File) -> None:
    """Write content under its random name; a store that cannot take it raises StorageFull,
    one that cannot be reached StorageUnavailable."""
    key = storage_key(stored_name)
    try:
        with store_call():
            saved = file_store().save(key, content)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(content) from exc
        raise
    if saved != key:
        # 128 random bits never collide in practice; a renamed file would be unreachable.
        with store_call():
            file_store().delete(saved)
        raise FileExistsError(key)


def open_stored(stored_name: str) -> File:
    """The stored file opened for reading (FileResponse streams it, local or in a bucket)."""
    with store_call():
        handle = file_store().open(storage_key(stored_name), "rb")
        # A bucket's file is fetched on first use: fetch it here, where an outage can still
        # become a 503, not half-way through a streamed response.
        handle.file  # noqa: B018
    return handle


def read_stored(stored_name: str) -> bytes:
    with open_stored(stored_name) as f, store_call():
        return f.read()


def delete_stored(stored_name: str) -> None:
    """Remove the file; a file already gone is not an error."""
    with store_call():
        file_store().delete(storage_key(stored_name))


def stored_exists(stored_name: str) -> bool:
    with store_call():
        return file_store().exists(storage_key(stored_name))


def stored_size(stored_name: str) -> int:
    with store_call():
        return file_store().size(storage_key(stored_name))


class StorageFull(WorkflowError):
    """The store has no room (ENOSPC): the page says so under the field; nothing is kept."""

    def __init__(self, upload: object) -> None:
        self.upload = upload
        self.label = getattr(upload, "field_label", "") or "上传的文件"
        super().__init__(
            f"{self.label}：平台存储空间已满，文件未能保存，请稍后重试或联系平台技术支持"
        )

    def field_in(self, form: forms.BaseForm) -> str | None:
        """The form field that holds the refused file, so the error stands under it."""
        for name, value in getattr(form, "cleaned_data", {}).items():
            if value is self.upload and name in form.fields:
                return name
        return None

    def show_on(self, form: forms.BaseForm) -> None:
        # The message starts with the field's name either way, as the project's errors do.
        form.add_error(self.field_in(form), str(self))


class UploadBatch:
    def __init__(self) -> None:
        self.written: list[str] = []

    def store(self, upload: UploadedFile) -> dict:
        """Write the file; return the fields of a Document row (without owner and kind)."""
        stored_name = secrets.token_hex(16)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        # Listed before writing: a write that fails half-way still leaves a file to remove.
        self.written.append(stored_name)
        save_stored(stored_name, upload)
        return {
            "stored_name": stored_name,
            "original_name": Path(upload.name or "file").name[:200],
            "content_type": getattr(upload, "sniffed_type", "application/octet-stream"),
            "size": upload.size,
            "sha256": digest.hexdigest(),
        }


@contextmanager
def upload_batch() -> Iterator[UploadBatch]:
    """Files written inside are deleted again if the block raises (nothing orphaned)."""
    batch = UploadBatch()
    try:
        yield batch
    except BaseException:
        for stored_name in batch.written:
            # The original error is what the user must hear about, not a failed clean-up.
            with suppress(Exception):
                delete_stored(stored_name)
        raise


# --- files kept across a refused form (held uploads) ----------------------------------------
# A form refused for one field used to lose every file: browsers never refill file inputs.
# Each valid file is therefore stored at once, like any material, as a HeldUpload whose random
# token lives only in the uploader's session; the re-rendered form lists it instead of asking
# again. Success turns it into a Document; 移除 and the daily sweep delete it.
HELD_FOR = dt.timedelta(days=1)


class HeldFiles:
    """The files one session holds for one form (`scope`), by field name."""

    def __init__(self, session: SessionBase, scope: str) -> None:
        self.session = session
        self.key = f"held_uploads:{scope}"

    def _tokens(self) -> dict[str, str]:
        return dict(self.session.get(self.key, {}))

    def _save(self, tokens: dict[str, str]) -> None:
        self.session[self.key] = tokens

    def items(self) -> dict[str, HeldUpload]:
        """Field → held file; tokens whose file was swept are dropped."""
        tokens = self._tokens()
        rows = {h.token: h for h in HeldUpload.objects.filter(token__in=tokens.values())}
        held = {field: rows[token] for field, token in tokens.items() if token in rows}
        if len(held) != len(tokens):
            self._save({field: h.token for field, h in held.items()})
        return held

    def names(self) -> dict[str, str]:
        """Field → the file's name, as the form lists it."""
        return {field: h.original_name for field, h in self.items().items()}

    def hold(self, field: str, upload: UploadedFile) -> None:
        """Store a checked upload for the field, replacing the one held before."""
        self.remove(field)
        with upload_batch() as batch:
            stored = batch.store(upload)
            held = HeldUpload.objects.create(token=secrets.token_urlsafe(32), **stored)
        self._save({**self._tokens(), field: held.token})

    def keep_valid(self, form: forms.BaseForm) -> None:
        """After a refused submission: hold every material that passed its own checks."""
        for name, field in form.fields.items():
            upload = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
            if isinstance(field, MaterialField) and name not in form.errors and upload:
                upload.seek(0)
                try:
                    self.hold(name, upload)
                except StorageFull:
                    # No room to keep it: the form still shows, the file is simply asked again.
                    return

    def remove(self, field: str) -> bool:
        tokens = self._tokens()
        token = tokens.pop(field, None)
        if token is None:
            return False
        for held in HeldUpload.objects.filter(token=token):
            delete_stored(held.stored_name)
            held.delete()
        self._save(tokens)
        return True

    def take(self, field: str) -> dict | None:
        """The held file for the field as Document fields; its holding row goes (inside the
        caller's transaction, so a failure keeps it held)."""
        held = self.items().get(field)
        if held is None:
            return None
        fields = held.document_fields()
        held.delete()
        return fields

    def discard(self) -> None:
        """After success: delete what is still held (files replaced by a newer upload) and
        forget the form."""
        for field in list(self._tokens()):
            self.remove(field)
        self.session.pop(self.key, None)


def sweep_held(now: dt.datetime | None = None) -> int:
    """Delete held files older than HELD_FOR: their forms were abandoned."""
    cutoff = (now or timezone.now()) - HELD_FOR
    count = 0
    for held in HeldUpload.objects.filter(held_at__lt=cutoff):
        delete_stored(held.stored_name)
        held.delete()
        count += 1
    return count
