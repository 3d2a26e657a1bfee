"""The document library at /api/v1/documents; every route goes through core.access."""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from hofburg.core import access
from hofburg.core.api import Page, api_field_names, current_user, require_user
from hofburg.core.bounds import Day, RecordId, Year
from hofburg.core.errors import NotAllowed
from hofburg.core.models import Classification
from hofburg.documents.models import Document, DocumentFile
from hofburg.documents.search import find_documents
from hofburg.documents.services import (
    add_language_version,
    register_document,
    resolve_affiliations,
)
from hofburg.documents.views import document_file_response

router = Router(tags=["documents"])


def _operation_id(name: str) -> str:
    """The operation id the endpoint had before the library left `core`: clients generated from
    the OpenAPI document keep their method names (decision 0028)."""
    return f"hofburg_core_documents_api_{name}"


class DocumentOut(Schema):
    id: int
    symbol: str
    title: str
    date: datetime.date
    distribution: Classification
    originator: str
    original_language: str
    languages: list[str]
    is_exercise: bool

    @staticmethod
    def resolve_distribution(obj: Document) -> str:
        return str(obj.classification)


class DocumentFileOut(Schema):
    language: str
    filename: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj: DocumentFile, context: dict[str, Any]) -> str:
        path = reverse("api:document_file", args=[obj.document_id, obj.language])
        request: HttpRequest = context["request"]
        return request.build_absolute_uri(path)


class DocumentDetailOut(DocumentOut):
    files: list[DocumentFileOut]

    @staticmethod
    def resolve_files(obj: Document) -> list[DocumentFile]:
        return list(obj.files.all())


class DocumentFilters(Schema):
    q: str = Field("", max_length=500,
                   description="Full-text search in titles and document text.")
    distribution: Classification | None = None
    year: Year | None = None
    originator: str = Field("", max_length=200)
    language: str = Field("", max_length=2,
                          description="Only documents with a version in this language.")


class DocumentIn(Schema):
    symbol: str = Field(..., max_length=80, examples=["PC.DEL/123/26"])
    title: str = Field(..., max_length=500)
    date: Day
    originator: str = Field(..., max_length=200)
    original_language: str = Field(..., max_length=2, examples=["en"])
    distribution: Classification = Classification.RESTRICTED
    shared_with: list[str] = Field(
        [], max_length=100,
        description="Codes of the affiliations a confidential document is shared with.")
    is_exercise: bool = False


# The service's field names, as the API calls them.
_API_FIELDS = {"classification": "distribution"}


@router.get("", response=list[DocumentOut], summary="List the documents you may see",
            operation_id=_operation_id("list_documents"))
@paginate(Page)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> QuerySet[Document]:
    return find_documents(
        access.visible(Document.objects.prefetch_related("files"), current_user(request)),
        q=filters.q,
        distribution=filters.distribution or "",
        year=filters.year,
        originator=filters.originator,
        language=filters.language,
    )


@router.get("/{document_id}", response=DocumentDetailOut, summary="One document",
            operation_id=_operation_id("get_document"))
def get_document(request: HttpRequest, document_id: RecordId) -> Document:
    return access.get_visible_or_404(Document.objects.prefetch_related("files"),
                                     current_user(request), pk=document_id)


@router.post("", response={201: DocumentDetailOut}, summary="Register a document",
             operation_id=_operation_id("create_document"))
def create_document(request: HttpRequest, payload: DocumentIn) -> Any:
    """Editors only, with an API token. The document belongs to the caller's affiliation."""
    user = require_user(request)
    if not access.can_register_documents(user):
        raise NotAllowed("Only editors with an affiliation may register documents.")
    with api_field_names(_API_FIELDS):
        document = register_document(
            user,
            symbol=payload.symbol,
            title=payload.title,
            date=payload.date,
            originator=payload.originator,
            original_language=payload.original_language,
            classification=payload.distribution,
            shared_with=resolve_affiliations(payload.shared_with),
            is_exercise=payload.is_exercise,
        )
    return Status(201, document)


@router.post("/{document_id}/files", response={201: DocumentDetailOut},
             summary="Add a language version (multipart upload)",
             operation_id=_operation_id("upload_document_file"))
def upload_document_file(
    request: HttpRequest, document_id: RecordId, language: Form[str], file: File[UploadedFile]
) -> Any:
    """Editors of the owning affiliation only, with an API token."""
    document = access.get_visible_or_404(Document.objects.all(), current_user(request),
                                         pk=document_id)
    user = require_user(request)
    if not access.can_edit(user, document):
        raise NotAllowed("You may see this document but not change it.")
    with api_field_names(_API_FIELDS):
        add_language_version(user, document, language, file)
    return Status(201, Document.objects.prefetch_related("files").get(pk=document.pk))


@router.get("/{document_id}/files/{language}", url_name="document_file",
            summary="Download a language version", response={200: None},
            operation_id=_operation_id("download_document_file"))
def download_document_file(
    request: HttpRequest, document_id: RecordId, language: str
) -> HttpResponseBase:
    document = access.get_visible_or_404(Document.objects.all(), current_user(request),
                                         pk=document_id)
    return document_file_response(get_object_or_404(document.files, language=language))
