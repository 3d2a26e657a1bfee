"""The document library: OSCE documents by symbol, with a file per language version.

The models moved here from `core` keep their tables (`core_document`, `core_documentfile`,
`core_document_shared_with`): the full-text index, its triggers and every backup archive name
them (decision 0028).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hofburg.core.models import ClassifiedRecord


class Document(ClassifiedRecord):
    """A registered OSCE document. `classification` is the document's distribution.

    A symbol is registered once per owner affiliation, not once in the library: a clash with
    a document the registering editor may not see would confirm that it exists (decision 0020).
    """

    symbol = models.CharField(_("symbol"), max_length=80)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"), db_index=True)
    originator = models.CharField(_("originating delegation or body"), max_length=200)
    original_language = models.CharField(_("original language"), max_length=2)
    # Extracted text of all language versions, kept for full-text search.
    text = models.TextField(_("text"), blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "core_document"
        ordering = ["-date", "symbol"]
        # The library's default order: the first page is read off this index, not sorted.
        indexes = [models.Index(fields=["-date", "symbol"], name="document_newest_first"),
                   # Who may see a document, read off an index: a search counts its matches
                   # without reading their texts (decision 0034).
                   models.Index(fields=["classification", "owner_affiliation", "date"],
                                name="document_visibility")]
        constraints = [models.UniqueConstraint(fields=["owner_affiliation", "symbol"],
                                               name="document_one_symbol_per_owner")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.symbol

    @property
    def languages(self) -> list[str]:
        return sorted({f.language for f in self.files.all()})


class DocumentFile(models.Model):
    """One language version of a document: the stored file and its SHA-256."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=2)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "core_documentfile"
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["document", "language"], name="one_file_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} [{self.language}]"
