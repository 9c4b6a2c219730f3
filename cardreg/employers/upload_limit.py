"""The size limit of an uploaded batch file, enforced while the request body is read.

Django reads a multipart body into request.FILES when it is first touched, spooling a large file
to disk whatever its size. Both the upload page and the API refuse a body whose Content-Length is
over the limit before reading any of it, and install BodyLimit, which stops reading a file part
as soon as it passes the limit (a body whose Content-Length lies, or is absent).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# What a multipart body may carry besides the file: boundaries, headers, the contact fields.
FORM_ALLOWANCE = 64 * 1024


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def declared_too_large(request: HttpRequest) -> bool:
    """The body says it is longer than a file at the limit and its form fields can be."""
    return content_length(request) > settings.CARDREG_BATCH_MAX_BYTES + FORM_ALLOWANCE


class BodyLimit(FileUploadHandler):
    """Stops the multipart parser once a file part passes CARDREG_BATCH_MAX_BYTES, without
    reading the rest of the body; ``exceeded`` then says so. Install it before request.POST or
    request.FILES is first read: ``request.upload_handlers.insert(0, BodyLimit())``."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int = settings.CARDREG_BATCH_MAX_BYTES
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            # connection_reset: the parser neither reads nor drains the rest of the body.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        self.received = 0  # the next file part counts on its own
        return None


def install(request: HttpRequest) -> BodyLimit:
    limit = BodyLimit(request)
    request.upload_handlers.insert(0, limit)
    return limit
