"""API: the library documents linked to a project, as the caller may see them."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from hofburg.core.api import current_user, require_user
from hofburg.core.bounds import RecordId
from hofburg.projects import bounds, queries
from hofburg.projects.services import documents as services

router = Router()


class LinkedDocumentOut(Schema):
    document_id: int
    symbol: str
    title: str
    date: dt.date
    classification: str
    languages: list[str]
    category: str


class DocumentLinkIn(Schema):
    document_id: RecordId
    category: str = Field("A02", min_length=3, max_length=3, examples=["A07"],
                          description="IATI DocumentCategory, one of "
                                      + ", ".join(bounds.DOCUMENT_CATEGORIES))


def _out(link: queries.LinkedDocument) -> dict[str, Any]:
    d = link.document
    return {"document_id": d.id, "symbol": d.symbol, "title": d.title, "date": d.date,
            "classification": d.classification, "languages": list(d.languages),
            "category": link.category}


@router.get("/{project_id}/documents", response=list[LinkedDocumentOut],
            summary="The library documents linked to a project that you may see")
def list_documents(request: HttpRequest, project_id: RecordId) -> list[dict[str, Any]]:
    user = current_user(request)
    return [_out(link) for link in queries.project_documents(
        user, queries.get_project(user, project_id))]


@router.post("/{project_id}/documents", response=LinkedDocumentOut,
             summary="Link a library document to a project (linking it again changes nothing)")
def link_document(request: HttpRequest, project_id: RecordId,
                  payload: DocumentLinkIn) -> dict[str, Any]:
    user = require_user(request)
    services.link_document(user, project_id, payload.document_id, category=payload.category)
    project = queries.get_project(user, project_id)
    return next(_out(link) for link in queries.project_documents(user, project)
                if link.document.id == payload.document_id)


@router.delete("/{project_id}/documents/{document_id}", response={204: None},
               summary="Unlink a document (the library keeps it; again changes nothing)")
def unlink_document(request: HttpRequest, project_id: RecordId,
                    document_id: RecordId) -> HttpResponse:
    services.unlink_document(require_user(request), project_id, document_id)
    return HttpResponse(status=204)
