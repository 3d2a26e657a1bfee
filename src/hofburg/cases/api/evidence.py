"""Evidence through the human-dimension desk's API (`/api/v1/cases/`): upload and download.

An upload (multipart: the file and its title) is taken by `services.evidence` as the command
line's is: SHA-256 first, the original sealed with AES-GCM and written once, the ingest a
custody event on the ledger. The answer gives the id, the hash and the size. The body is read
in memory only (`uploads.SealedApiUploads`, set before anything reads it): no plaintext
reaches a temporary file, and a body above the bound is a 413 before it is read.

A piece of evidence the caller may not see by its classification, or by its case's or alert's,
is a 404 worded as for a missing one. Its original opens only for an editor of the owner
affiliation holding a strictly-confidential grant for the person the case or alert names; the
opening is a custody event on the ledger and a read in the access log (decision 0054), and the
bytes go out checked against the hash taken at ingest. Those who may open the original make
working copies of it (a file made from it, or the original as it is) and download them, each
making and opening a custody event too (decision 0064).
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import base64
import binascii
import datetime as dt
import re
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.params.functions import File as FileParam

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, _caller, router
from hofburg.cases.api.writes.common import _writer
from hofburg.cases.models import Alert, Evidence, PrisonerCase, WorkingCopy
from hofburg.cases.services import evidence as services
from hofburg.core.models import Classification, User

OCTET_STREAM = "application/octet-stream"
# A media type as `type/subtype`: anything else is answered as octet-stream.
MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")


def _limit(field: str) -> int | None:
    return Evidence._meta.get_field(field).max_length  # type: ignore[union-attr]


class EvidenceIn(Schema):
    title: str = Field(..., max_length=_limit("title"), description="What the file is.")
    media_type: str = Field("", max_length=_limit("media_type"),
                            description="Its media type; the upload's own by default.")
    source_url: str = Field("", max_length=_limit("source_url"),
                            description="Where it was captured.")
    capture_tool: str = Field("", max_length=_limit("capture_tool"),
                              description="What captured it.")
    classification: Classification | None = None
    is_exercise: bool | None = None


class EvidenceOut(Schema):
    evidence_id: str
    case_id: str | None = None
    alert_id: str | None = None
    title: str
    media_type: str
    size: int
    sha256: str
    ingested_at: dt.datetime
    is_exercise: bool


def _media_type(given: str, upload: UploadedFile) -> str:
    for candidate in (given, upload.content_type or ""):
        if MEDIA_TYPE.match(candidate):
            return candidate
    return OCTET_STREAM


def _ingest(user: User, subject: PrisonerCase | Alert, meta: EvidenceIn,
            file: UploadedFile) -> Evidence:
    extra: dict[str, Any] = {name: getattr(meta, name) for name in ("classification",
                                                                     "is_exercise")
                             if getattr(meta, name) is not None}
    # At most one byte over the service's bound is read: it refuses a larger file itself.
    data = file.read(services.MAX_BYTES + 1)
    return services.ingest_evidence(
        user, data, title=meta.title, media_type=_media_type(meta.media_type, file),
        subject=subject, capture=services.Capture(meta.source_url, meta.capture_tool), **extra)


def _described(piece: Evidence) -> dict[str, Any]:
    return {"evidence_id": piece.evidence_id,
            "case_id": piece.case.case_id if piece.case else None,
            "alert_id": piece.alert.alert_id if piece.alert else None,
            "title": piece.title, "media_type": piece.media_type, "size": piece.size,
            "sha256": piece.sha256, "ingested_at": piece.ingested_at,
            "is_exercise": piece.is_exercise}


@router.post("/prisoners/{case_id}/evidence", response={201: EvidenceOut},
             summary="Add evidence to a prisoner's case (multipart: the file and its title)")
def upload_case_evidence(request: HttpRequest, case_id: SurrogateId, meta: Form[EvidenceIn],
                         file: File[UploadedFile]) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    return Status(201, _described(_ingest(user, case, meta, file)))


@router.post("/alerts/{alert_id}/evidence", response={201: EvidenceOut},
             summary="Add evidence to a media-freedom alert (multipart: the file and its title)")
def upload_alert_evidence(request: HttpRequest, alert_id: SurrogateId, meta: Form[EvidenceIn],
                          file: File[UploadedFile]) -> Any:
    user = _writer(request)
    alert = queries.alert_for(user, alert_id)
    return Status(201, _described(_ingest(user, alert, meta, file)))


@router.get("/evidence/{evidence_id}", response=EvidenceOut,
            summary="A piece of evidence: its hash, size and type (not its content)")
def get_evidence(request: HttpRequest, evidence_id: SurrogateId) -> Any:
    return _described(queries.evidence_for(_caller(request), evidence_id))


@router.get("/evidence/{evidence_id}/original", response={200: None},
            summary="Download the original, decrypted and checked against its hash",
            openapi_extra={"responses": {200: {"description": "The original as ingested",
                                               "content": {OCTET_STREAM: {"schema": {
                                                   "type": "string", "format": "binary"}}}}}})
def download_original(request: HttpRequest, evidence_id: SurrogateId) -> HttpResponse:
    """The owner affiliation's editors holding a strictly-confidential grant for the person
    concerned; each download is a custody event on the ledger and a read in the access log."""
    user, piece = _opener(request, evidence_id)
    data = services.open_original(user, piece, channel="api")
    return _file(data, piece.media_type, piece.evidence_id, piece.sha256)


def _opener(request: HttpRequest, evidence_id: str) -> tuple[User, Evidence]:
    user = _caller(request)
    piece = queries.evidence_for(user, evidence_id)
    if not isinstance(user, User):
        raise AuthenticationError(message="Opening evidence needs an API token of an "
                                          "account with a confirmed second-factor device.")
    return user, piece


def _file(data: bytes, media_type: str, name: str, sha256: str) -> HttpResponse:
    response = HttpResponse(data, content_type=media_type if MEDIA_TYPE.match(media_type)
                            else OCTET_STREAM)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    # RFC 9530: the client checks what it received against the hash recorded for it.
    digest = base64.b64encode(binascii.unhexlify(sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


# -- working copies (decision 0064) -------------------------------------------------------------


class WorkingCopyIn(Schema):
    label: str = Field("", max_length=200, description="What the copy is (redacted, "
                                                       "transcript ...).")
    media_type: str = Field("", max_length=100,
                            description="Its media type; the upload's own by default.")


class WorkingCopyOut(Schema):
    evidence_id: str
    number: int
    label: str
    media_type: str
    size: int
    sha256: str
    created_at: dt.datetime


def _copy(piece: Evidence, copy: WorkingCopy) -> dict[str, Any]:
    return {"evidence_id": piece.evidence_id, "number": copy.number, "label": copy.label,
            "media_type": copy.media_type, "size": copy.size, "sha256": copy.sha256,
            "created_at": copy.created_at}


@router.post("/evidence/{evidence_id}/copies", response={201: WorkingCopyOut},
             summary="Make a working copy: a file made from the original, or (without one) "
                     "the original as it is")
def make_working_copy(request: HttpRequest, evidence_id: SurrogateId,
                      meta: Form[WorkingCopyIn],
                      file: UploadedFile | None = FileParam(None)) -> Any:  # noqa: B008
    """By those who may open the original. The copy is sealed beside it with its own SHA-256;
    its making is a custody event on the ledger (copying the original also opens it)."""
    user = _writer(request)
    piece = queries.evidence_for(user, evidence_id)
    if file is None:
        copy = services.copy_original(user, piece, meta.label, channel="api")
    else:
        data = file.read(services.MAX_BYTES + 1)
        copy = services.add_working_copy(user, piece, data, meta.label,
                                          media_type=_media_type(meta.media_type, file))
    return Status(201, _copy(piece, copy))


@router.get("/evidence/{evidence_id}/copies/{number}", response={200: None},
            summary="Download a working copy, decrypted and checked against its hash",
            openapi_extra={"responses": {200: {"description": "The working copy",
                                               "content": {OCTET_STREAM: {"schema": {
                                                   "type": "string", "format": "binary"}}}}}})
def download_working_copy(request: HttpRequest, evidence_id: SurrogateId,
                          number: Annotated[int, Field(ge=1, le=2**31 - 1)]) -> HttpResponse:
    """For those who may open the original; each download is a custody event on the ledger
    and a read in the access log."""
    user, piece = _opener(request, evidence_id)
    copy = piece.copies.filter(number=number).first()
    if copy is None:
        raise Http404("No such record.")
    data = services.open_working_copy(user, piece, copy, channel="api")
    return _file(data, copy.media_type, f"{piece.evidence_id}-copy-{copy.number}", copy.sha256)

