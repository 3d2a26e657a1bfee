"""A project's documents: documents of the document library linked to it.

The library is read through `core.library` (the desks do not import each other), always as the
caller may see it: a document the caller may not see cannot be linked, and is answered exactly
like one that does not exist.
"""

from __future__ import annotations

from django.db import transaction

from hofburg.core.access import AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.library import LibraryDocument, documents_by_symbol, visible_documents
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds
from hofburg.projects.models import ProjectDocument
from hofburg.projects.services.common import iati_code, project_for_editing, text


def find_document(user: AnyUser, reference: str) -> LibraryDocument:
    """The one document `user` may see with this symbol, or with this number (`/documents/N/`).
    NotFound for a document that is missing or hidden alike."""
    reference = text(reference, "document", max_length=bounds.MAX_DOCUMENT_REFERENCE,
                     required=True)
    if reference.isdigit():
        found = visible_documents(user, [int(reference)]) if len(reference) < 19 else []
    else:
        found = documents_by_symbol(user, reference)
    if not found:
        raise NotFound(f"No document {reference!r} in the library.", field="document")
    if len(found) > 1:
        numbers = ", ".join(str(d.id) for d in found[:5])
        raise Invalid(f"Several documents have the symbol {reference!r} (numbers {numbers}); "
                      "give the number of the one you mean.", field="document")
    return found[0]


def link_document(user: AnyUser, project_id: int, document_id: int, *,
                  category: str = "A02") -> ProjectDocument:
    """Link a library document the caller may see to a project they edit. Linking it again
    changes nothing but the category (a retry is harmless)."""
    if category not in bounds.DOCUMENT_CATEGORIES:
        raise Invalid(f"Not an activity document category: {category!r} (one of "
                      f"{', '.join(bounds.DOCUMENT_CATEGORIES)}).", field="category")
    iati_code("DocumentCategory", category, "category")
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        found = visible_documents(user, [document_id]) if 0 < document_id < 2**63 else []
        if not found:
            raise NotFound("No such document in the library.", field="document")
        document = found[0]
        if document.is_exercise != project.is_exercise:
            raise Conflict("Exercise documents go with exercise projects only, and real "
                           "documents with real ones.", field="document")
        link = ProjectDocument.objects.filter(project=project, document_id=document.id).first()
        if link is not None:
            if link.category != category:
                before = snapshot(link)
                link.category = category
                link.save(update_fields=["category"])
                record_change(user, "update", link, before, snapshot(link))
            return link
        if ProjectDocument.objects.filter(project=project).count() >= bounds.MAX_DOCUMENT_LINKS:
            raise Conflict(f"A project links at most {bounds.MAX_DOCUMENT_LINKS} documents.",
                           field="document")
        link = ProjectDocument.objects.create(
            project=project, document_id=document.id, category=category,
            linked_by=user if isinstance(user, User) else None)
        record_change(user, "create", link, None, snapshot(link))
    return link


def unlink_document(user: AnyUser, project_id: int, document_id: int) -> None:
    """Remove the link (the document stays in the library). Unlinking what is not linked, or
    what the caller may not see, changes nothing (a retry is harmless)."""
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        if not 0 < document_id < 2**63 or not visible_documents(user, [document_id]):
            return
        link = ProjectDocument.objects.filter(project=project, document_id=document_id).first()
        if link is not None:
            record_change(user, "delete", link, snapshot(link), None)
            link.delete()
