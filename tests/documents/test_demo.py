"""The library's demo data, loaded through core's demo registration point: exercise documents
at every distribution level, the adopted exercise decision on the ledger, a second load that
adds nothing, and a refusal reported as a `DemoError`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hofburg.core import demo as core_demo
from hofburg.core.models import LedgerEntry
from hofburg.core.services.accounts import ensure_affiliation
from hofburg.core.services.ledger import verify_ledger
from hofburg.documents import demo
from hofburg.documents.models import Document
from hofburg.documents.services import LEDGER_KIND_ADOPTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise_affiliations() -> None:
    for code, name, kind in core_demo.AFFILIATIONS:
        ensure_affiliation(code, name=name, kind=kind, is_exercise=True)


def test_the_library_registers_its_loader_with_core() -> None:
    assert core_demo._loaders["documents"] is demo.load_documents_demo


def test_the_demo_documents_are_exercise_data_at_every_level(exercise_affiliations: None
                                                             ) -> None:
    demo.load_documents_demo()
    documents = Document.objects.all()
    assert sorted(d.symbol for d in documents) == sorted(s.symbol for s in demo.DOCUMENTS)
    assert all(d.is_exercise and d.files.exists() for d in documents)
    assert {d.classification for d in documents} == {"public", "restricted", "confidential"}
    [adopted] = LedgerEntry.objects.filter(kind=LEDGER_KIND_ADOPTED)
    assert adopted.reference == "PC.DEC/9907"
    assert verify_ledger() == []


def test_loading_twice_adds_nothing(exercise_affiliations: None) -> None:
    demo.load_documents_demo()
    counts = (Document.objects.count(), LedgerEntry.objects.count())
    demo.load_documents_demo()
    assert (Document.objects.count(), LedgerEntry.objects.count()) == counts


def test_without_the_exercise_affiliations_the_loader_says_which_are_missing() -> None:
    with pytest.raises(core_demo.DemoError, match="exercise-north"):
        demo.load_documents_demo()
    assert not Document.objects.exists()


def test_a_document_the_services_refuse_is_a_demo_error(exercise_affiliations: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    future = replace(demo.DOCUMENTS[0], symbol="PC.DEL/9999/99", day=date(2999, 1, 1))
    monkeypatch.setattr(demo, "DOCUMENTS", [future])
    with pytest.raises(core_demo.DemoError, match="date"):
        demo.load_documents_demo()
    assert not Document.objects.exists()
