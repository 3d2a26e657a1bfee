"""The document library's test fixture, for the library's own tests and for core's access tests
(which read documents as each member of the cast would).

`library` holds four documents owned by alice's delegation (Austria), each with an English text
file mentioning the word "ceasefire":

- `public`       PC.DEL/1/26  public
- `restricted`   PC.DEL/2/26  restricted
- `confidential` PC.DEL/3/26  confidential, Austria only
- `shared`       PC.DEL/4/26  confidential, shared with carol's unit (the CPC)

A conftest makes the `library` fixture available by importing it from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hofburg.core.models import Classification
from hofburg.documents.models import Document
from hofburg.documents.services import register_document
from tests.conftest import Cast

SEARCH_WORD = "ceasefire"


def text_file(text: str, name: str = "document.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, with a correct cross-reference table."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@dataclass
class Library:
    public: Document
    restricted: Document
    confidential: Document
    shared: Document

    def by_name(self, name: str) -> Document:
        document: Document = getattr(self, name)
        return document

    @property
    def names(self) -> list[str]:
        return ["public", "restricted", "confidential", "shared"]


@pytest.fixture
def library(cast: Cast) -> Library:
    def register(number: int, level: str, title: str, shared: bool = False) -> Document:
        return register_document(
            cast.alice,
            symbol=f"PC.DEL/{number}/26",
            title=title,
            date=datetime.date(2026, 1, number),
            originator="Delegation of Austria",
            original_language="en",
            classification=level,
            shared_with=[cast.cpc] if shared else [],
            files=[("en", text_file(f"{title}. The {SEARCH_WORD} holds, says document {number}."))],
        )

    return Library(
        public=register(1, Classification.PUBLIC, "Statement on the public ceasefire report"),
        restricted=register(2, Classification.RESTRICTED, "Restricted note on deployments"),
        confidential=register(3, Classification.CONFIDENTIAL, "Confidential instructions"),
        shared=register(4, Classification.CONFIDENTIAL, "Confidential assessment for the CPC",
                        shared=True),
    )
