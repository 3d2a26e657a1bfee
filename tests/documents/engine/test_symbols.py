"""OSCE document symbols."""

from __future__ import annotations

import pytest

from hofburg.documents.engine.symbols import SymbolError, parse_symbol


@pytest.mark.parametrize("text", [
    "PC.DEL/123/26", "PC.DEC/1234", "MC.DD/1/19/Rev.1", "SEC.GAL/111/20/Corr.1",
    "MC.DOC/1/06", "PC.JOUR/1296", "DOC.SEC/1/95", "CIO.GAL/226/20",
])
def test_it_accepts_the_symbols_the_organization_uses(text: str) -> None:
    assert str(parse_symbol(text)) == text


def test_it_drops_the_osce_plus_marker_and_spaces() -> None:
    assert str(parse_symbol("  PC.DEL/1346/18 OSCE+ ")) == "PC.DEL/1346/18"


def test_it_reads_number_year_and_suffixes() -> None:
    symbol = parse_symbol("MC.DD/1/19/Rev.1")
    assert (symbol.body, symbol.series, symbol.number, symbol.year, symbol.suffixes) == (
        "MC", "DD", 1, 19, ("Rev.1",))


@pytest.mark.parametrize("text", ["", "PC DEL 123", "pc.del/1/26", "PC.DEL/abc/26",
                                  "PC.DEL/1/2026", "PC.DEL/1/26/Rev", "PC.DEL/1/26;DROP"])
def test_it_rejects_what_is_not_a_symbol(text: str) -> None:
    with pytest.raises(SymbolError):
        parse_symbol(text)
