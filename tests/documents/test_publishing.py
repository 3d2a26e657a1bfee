"""Texts another desk publishes in the library through `core.library.publish`: stored once per
owner and symbol, with a text file per language, the distribution and the sharing given."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.core import library
from hofburg.core.library import PublishedText
from hofburg.core.models import Classification, LedgerEntry
from hofburg.documents.models import Document
from tests.conftest import Cast


def _text(cast: Cast, **changes: object) -> PublishedText:
    values: dict[str, object] = {
        "symbol": "PC.DEC/1308", "title": "Convening a workshop", "date": date(2027, 1, 14),
        "originator": "Permanent Council", "original_language": "en",
        "texts": {"en": "The Council decides.", "fr": "Le Conseil décide."},
        "classification": Classification.CONFIDENTIAL, "owner_affiliation_id": cast.cpc.pk,
        "shared_with_ids": (cast.austria.pk,), "is_exercise": False, "user": cast.dora,
        **changes}
    return PublishedText(**values)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_published_text_is_stored_once_with_its_languages_and_sharing(cast: Cast) -> None:
    library.publish(_text(cast))
    library.publish(_text(cast, title="Published again"))
    document = Document.objects.get()
    assert (document.symbol, document.title, document.owner_affiliation) == (
        "PC.DEC/1308", "Convening a workshop", cast.cpc)
    assert list(document.shared_with.all()) == [cast.austria]
    files = {f.language: f.file.read().decode() for f in document.files.all()}
    assert set(files) == {"en", "fr"} and "Le Conseil décide." in files["fr"]
    assert "Le Conseil décide." in document.text
    assert LedgerEntry.objects.filter(reference="PC.DEC/1308").count() == 1


@pytest.mark.django_db
def test_an_exercise_text_is_marked_and_kept_off_the_ledger(cast: Cast) -> None:
    library.publish(_text(cast, is_exercise=True, symbol="PC.DEC/1"))
    document = Document.objects.get()
    assert document.is_exercise
    assert document.files.get(language="en").file.read().decode().startswith("EXERCISE")
    assert not LedgerEntry.objects.exists()


def test_publishing_without_a_library_is_a_configuration_error(
        monkeypatch: pytest.MonkeyPatch, cast: Cast) -> None:
    monkeypatch.setattr(library, "_publishers", [])
    with pytest.raises(RuntimeError):
        library.publish(_text(cast))


@pytest.mark.django_db
def test_the_ledger_vouches_for_the_real_decision_beside_an_exercise_one_of_its_symbol(
        cast: Cast) -> None:
    from hofburg.core.services.ledger import verify_payloads

    library.publish(_text(cast, symbol="PC.DEC/1"))
    library.publish(_text(cast, symbol="PC.DEC/1", is_exercise=True, owner_affiliation_id=None,
                          texts={"en": "EXERCISE text."}, shared_with_ids=()))
    assert Document.objects.filter(symbol="PC.DEC/1").count() == 2
    assert verify_payloads() == []
