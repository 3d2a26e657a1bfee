"""Library documents as other desks read them (`core.library.visible_documents`): a project's
documents, say. Every lookup is narrowed by `core.access`, so a document the reader may not
see is not returned; registered from `DocumentsConfig.ready()`."""

from __future__ import annotations

from collections.abc import Sequence

from hofburg.core.access import AnyUser, visible
from hofburg.core.library import LibraryDocument, register_catalogue
from hofburg.documents.models import Document, DocumentFile


def find_documents(user: AnyUser, ids: Sequence[int] | None, symbol: str) -> list[LibraryDocument]:
    found = visible(Document.objects.all(), user)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    else:
        found = found.filter(symbol__iexact=symbol)
    rows = list(found.order_by("-date", "symbol", "pk").values_list(
        "pk", "symbol", "title", "date", "classification", "is_exercise"))
    languages: dict[int, list[str]] = {}
    for document_id, language in (DocumentFile.objects.filter(document__in=[r[0] for r in rows])
                                  .order_by("language").values_list("document_id", "language")):
        languages.setdefault(document_id, []).append(language)
    return [LibraryDocument(id=pk, symbol=sym, title=title, date=day, classification=level,
                            languages=tuple(languages.get(pk, [])), is_exercise=exercise)
            for pk, sym, title, day, level, exercise in rows]


def register() -> None:
    register_catalogue(find_documents)
