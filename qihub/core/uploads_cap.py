"""Refuse an oversized request while it streams in, not after it has been read whole."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class SizeCapUploadHandler(FileUploadHandler):
    """First of the upload handlers: a body announced larger than the platform accepts is
    refused before any of it is read, and a file part that grows past the largest file any form
    accepts stops the upload at that chunk (for bodies that do not announce their length)."""

    def handle_raw_input(
        self,
        input_data: object,
        META: dict,  # noqa: N803 - Django's name
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        if content_length > settings.QIHUB_MAX_REQUEST_BYTES:
            raise RequestDataTooBig("上传内容过大")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.QIHUB_MAX_FILE_BYTES:
            raise RequestDataTooBig("上传文件过大")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
