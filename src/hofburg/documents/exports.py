"""The document library as an open-data table, for the web download and `hofburg export`.

Callers pass a queryset already narrowed by `core.access`; nothing here widens it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from hofburg.core.tables import Cell, Table
from hofburg.documents.models import Document

DOCUMENT_COLUMNS = ["symbol", "title", "date", "distribution", "originator", "original_language",
                    "languages", "exercise", "url"]


def documents_table(documents: QuerySet[Document], link: Callable[[Document], str]) -> Table:
    """One row per visible document; `exercise` says which rows are generated demo data."""
    rows: list[list[Cell]] = []
    for document in documents.prefetch_related("files").iterator(chunk_size=1000):
        rows.append([
            document.symbol, document.title, document.date, document.classification,
            document.originator, document.original_language, " ".join(document.languages),
            "yes" if document.is_exercise else "no", link(document),
        ])
    return Table("documents", DOCUMENT_COLUMNS, rows)
