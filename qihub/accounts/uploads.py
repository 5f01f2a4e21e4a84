"""Uploaded materials: type sniffed from the content, size-capped, stored outside the web root
under random names, removed again if the transaction that records them fails."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filetype
from django import forms
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from qihub.accounts.models import HeldUpload

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
        return upload


def upload_root() -> Path:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def path_of(stored_name: str) -> Path:
    return upload_root() / stored_name[:2] / stored_name


class UploadBatch:
    def __init__(self) -> None:
        self.written: list[Path] = []

    def store(self, upload: UploadedFile) -> dict:
        """Write the file; return the fields of a Document row (without owner and kind)."""
        stored_name = secrets.token_hex(16)
        target = path_of(stored_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        self.written.append(target)
        with target.open("xb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        target.chmod(0o600)
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
        for path in batch.written:
            path.unlink(missing_ok=True)
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
        stored = UploadBatch().store(upload)
        held = HeldUpload.objects.create(token=secrets.token_urlsafe(32), **stored)
        self._save({**self._tokens(), field: held.token})

    def keep_valid(self, form: forms.BaseForm) -> None:
        """After a refused submission: hold every material that passed its own checks."""
        for name, field in form.fields.items():
            upload = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
            if isinstance(field, MaterialField) and name not in form.errors and upload:
                upload.seek(0)
                self.hold(name, upload)

    def remove(self, field: str) -> bool:
        tokens = self._tokens()
        token = tokens.pop(field, None)
        if token is None:
            return False
        for held in HeldUpload.objects.filter(token=token):
            path_of(held.stored_name).unlink(missing_ok=True)
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
        path_of(held.stored_name).unlink(missing_ok=True)
        held.delete()
        count += 1
    return count
