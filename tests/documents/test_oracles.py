"""Hidden is as absent: no answer tells whether a record the caller may not see exists.

The library's `confidential` document PC.DEL/3/26 belongs to Austria (alice) and is hidden
from Finland (bob). Every probe bob can make with its symbol must answer exactly as it does
for PC.DEL/99/26, which nobody registered.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from hofburg.documents.models import Document
from hofburg.documents.services import DocumentError, register_document, update_document
from tests.conftest import Cast
from tests.core.conftest import bearer
from tests.documents.library import Library

HIDDEN = "PC.DEL/3/26"
ABSENT = "PC.DEL/99/26"


def _payload(symbol: str) -> dict[str, Any]:
    return {"symbol": symbol, "title": "Finnish statement", "date": "2026-03-04",
            "originator": "Delegation of Finland", "original_language": "en",
            "distribution": "restricted"}


def _register(client: Client, symbol: str, token: str) -> Any:
    return client.post("/api/v1/documents", json.dumps(_payload(symbol)),
                       content_type="application/json", **bearer(token))


def test_registering_the_symbol_of_a_hidden_document_answers_as_for_an_absent_one(
        library: Library, tokens: dict[str, str]) -> None:
    assert library.confidential.symbol == HIDDEN
    hidden, absent = (_register(Client(), symbol, tokens["bob"]) for symbol in (HIDDEN, ABSENT))
    assert (hidden.status_code, absent.status_code) == (201, 201)
    assert hidden.json()["symbol"] == HIDDEN
    assert Document.objects.filter(symbol=HIDDEN).count() == 2


def _probe(cast: Cast, symbol: str) -> tuple[str, str]:
    """A registration that fails validation, so nothing is stored whatever the answer."""
    with pytest.raises(DocumentError) as raised:
        register_document(cast.bob, symbol=symbol, title="Probe", date=datetime.date(2026, 3, 4),
                          originator="Delegation of Finland", original_language="xx",
                          classification="restricted")
    return raised.value.field, raised.value.message


def test_a_registration_that_stores_nothing_does_not_confirm_a_hidden_symbol(
        cast: Cast, library: Library) -> None:
    before = Document.objects.count()
    assert _probe(cast, HIDDEN) == _probe(cast, ABSENT)
    assert Document.objects.count() == before


def test_changing_a_symbol_to_that_of_a_hidden_document_answers_as_for_an_absent_one(
        cast: Cast, library: Library) -> None:
    own = register_document(cast.bob, symbol="PC.DEL/50/26", title="Finnish note",
                            date=datetime.date(2026, 3, 4), originator="Delegation of Finland",
                            original_language="en", classification="restricted")

    def probe(symbol: str) -> tuple[str, str]:
        with pytest.raises(DocumentError) as raised:
            update_document(cast.bob, own, symbol=symbol, original_language="xx")
        return raised.value.field, raised.value.message

    assert probe(HIDDEN) == probe(ABSENT)
    assert update_document(cast.bob, own, symbol=HIDDEN).symbol == HIDDEN


def test_an_affiliation_still_cannot_register_one_symbol_twice(
        library: Library, tokens: dict[str, str]) -> None:
    response = _register(Client(), HIDDEN, tokens["alice"])
    assert response.status_code == 422
    assert response.json()["field"] == "symbol"
