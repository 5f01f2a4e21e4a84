"""Uploaded materials: type sniffed from the content, size-capped, stored outside the web root
under random names, removed again if the transaction that records them fails."""

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

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
