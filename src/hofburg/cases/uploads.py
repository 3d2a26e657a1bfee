"""Uploads of evidence held in memory until they are sealed: never a plaintext file on disk.

Django's default upload handlers write a file larger than `FILE_UPLOAD_MAX_MEMORY_SIZE` to a
temporary file in `FILE_UPLOAD_TEMP_DIR` as it arrives, in the clear, before any view sees it;
an original of the desk's evidence must reach the disk only sealed (`services.evidence`). So
every request that may carry one is read by `SealedUpload` alone, which keeps a file in memory
up to the service's bound and receives nothing of a larger body. The handler must be chosen
before anything reads the body: the pages do it in their view (`writes.py`), the API in
`SealedApiUploads`, a middleware that runs before `core.idempotency` reads the form of a write
under its key.

The bound is stated once: the service's `MAX_BYTES` for the file, and `ALLOWANCE` for the
multipart envelope and the form's other fields around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from hofburg.cases.services import evidence as evidence_services
from hofburg.core.api import problem

ALLOWANCE = 2**20  # the multipart envelope and the form's other fields around the file
API_PREFIX = "/api/v1/cases/"  # where `hofburg.api` mounts the desk's router


def body_limit() -> int:
    """The largest request body that may carry a piece of evidence, in bytes."""
    return evidence_services.MAX_BYTES + ALLOWANCE


def too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django refuses such a body itself, before reading it
    return length > body_limit()


class SealedUpload(MemoryFileUploadHandler):
    """Keeps an uploaded file in memory up to the bound, so its plaintext is never written to
    a temporary file before it is sealed; a larger body is not received at all."""

    def handle_raw_input(self, input_data: Any, META: dict[str, Any], content_length: int | None,
                         boundary: str, encoding: str | None = None) -> None:
        self.activated = content_length is not None and content_length <= body_limit()


def hold_in_memory(request: HttpRequest) -> None:
    """Read the request's files with `SealedUpload` alone (before anything reads the body)."""
    request.upload_handlers = [SealedUpload(request)]


class SealedApiUploads:
    """Every multipart request to the desk's API is read with `SealedUpload`, and one larger
    than the bound is refused (413, problem+json) before its body is read: a file dropped
    silently would turn a working copy of an upload into a copy of the original."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX) and \
                request.content_type == "multipart/form-data":
            if too_large(request):
                megabytes = evidence_services.MAX_BYTES // 2**20
                return problem(413, "Content Too Large",
                               f"A file is at most {megabytes} MB.", request.path,
                               field="file")
            hold_in_memory(request)
        return self.get_response(request)
