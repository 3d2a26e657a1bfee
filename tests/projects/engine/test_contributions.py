from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from hofburg.projects.engine.contributions import (
    BudgetYear,
    Ceiling,
    Scale,
    ScaleError,
    ScaleKind,
    assessed_contributions,
    ceiling_breaches,
    check_scale,
)
from hofburg.projects.engine.reference import (
    ReferenceFileError,
    load_scales,
    load_unified_budget,
)

# Seven States sharing 86 %, none above the ceiling.
REST = {"XB": "12", "XC": "12", "XD": "12", "XE": "12", "XF": "12", "XG": "13", "XH": "13"}
CEILING = Ceiling(ScaleKind.FIELD_OPERATIONS, D(14), "PC.DEC/408", "confirmed")


def _scale(shares: dict[str, str], kind: ScaleKind = ScaleKind.FIELD_OPERATIONS,
           **kw: object) -> Scale:
    return Scale(code="x", kind=kind, years=(2030,),
                 shares={k: D(v) for k, v in shares.items()}, source="test",
                 confidence="unconfirmed", **kw)  # type: ignore[arg-type]


def test_the_ceiling_of_pc_dec_408_caps_the_field_operations_scale_only() -> None:
    above = _scale({"XA": "14.5", **REST, "XH": "12.5"})
    assert ceiling_breaches(above, [CEILING])[0].state == "XA"
    with pytest.raises(ScaleError, match=r"XA's share 14\.5 % is above the 14 % ceiling"):
        check_scale(above, [CEILING])
    check_scale(_scale({"XA": "14.5", "XB": "85.5"}, ScaleKind.STANDARD), [CEILING])
    check_scale(_scale({"XA": "14", **REST}), [CEILING])


def test_a_complete_scale_must_add_up_to_100() -> None:
    with pytest.raises(ScaleError, match="add up to 100 %, not 90"):
        check_scale(_scale({"XA": "10", "XB": "80"}), [CEILING])
    with pytest.raises(ScaleError, match="above 100"):
        check_scale(_scale({"XA": "10", "XB": "95"}, complete=False), [CEILING])
    check_scale(_scale({"XA": "10"}, complete=False), [CEILING])


def test_assessed_contributions_follow_the_scale_and_keep_the_labels() -> None:
    budget = BudgetYear(2030, D("100000000"), True, "confirmed", False, "", "test")
    rows = assessed_contributions(budget, _scale({"XA": "14", **REST}))
    assert [(r.state, r.amount_eur) for r in rows][:2] == [("XA", D("14000000")),
                                                            ("XB", D("12000000"))]
    assert sum(r.amount_eur for r in rows) == budget.amount_eur
    assert rows[0].scale_confidence == "unconfirmed" and not rows[0].approximate
    half = assessed_contributions(budget, _scale({"XA": "14", **REST}), part=D("0.5"))
    assert half[0].amount_eur == D("7000000")


def test_a_year_without_an_amount_gives_nothing_and_a_wrong_year_is_refused() -> None:
    scale = _scale({"XA": "14", **REST})
    none = BudgetYear(2030, None, False, "confirmed", False, "provisional", "test")
    assert assessed_contributions(none, scale) == []
    with pytest.raises(ScaleError, match="does not apply to 2031"):
        assessed_contributions(BudgetYear(2031, D(1), True, "confirmed", False, "", "t"), scale)


def test_the_shipped_unified_budget_keeps_the_references_figures_and_labels() -> None:
    years = {b.year: b for b in load_unified_budget()}
    assert years[2018].amount_eur == D("137801200") and years[2018].label == "confirmed"
    assert years[2021].label == "unconfirmed" and years[2021].approximate
    assert all(not years[y].adopted and years[y].amount_eur is None
               for y in (2022, 2023, 2024, 2025))
    assert "provisional allotments" in years[2023].note
    assert not years[2026].adopted


def test_the_shipped_scale_is_labelled_approximate_and_incomplete() -> None:
    ceilings, scales = load_scales()
    assert [(c.kind, c.percent) for c in ceilings] == [(ScaleKind.FIELD_OPERATIONS, D(14))]
    assert "PC.DEC/408" in ceilings[0].source
    press = scales[0]
    assert press.approximate and not press.complete and press.confidence == "secondary"
    assert press.kind is None and press.shares["US"] == D(13)
    budget = {b.year: b for b in load_unified_budget()}[2019]
    us = next(r for r in assessed_contributions(budget, press) if r.state == "US")
    assert us.amount_eur == D("17940000") and us.approximate


def test_a_deployment_scale_file_is_checked_against_the_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "scale.yaml"
    path.write_text(
        "schema_version: 1\n"
        "ceilings:\n  - {scale: field_operations, percent: 14, basis: PC.DEC/408,"
        " confidence: confirmed, source: ref}\n"
        "scales:\n  - {code: vienna-2030, kind: field_operations, years: [2030],"
        " shares: {US: 15, DE: 12, FR: 12, IT: 12, GB: 12, ES: 12, CA: 12, NL: 13},"
        " confidence: confirmed, source: adopted scale}\n")
    with pytest.raises(ReferenceFileError, match=r"scale\.yaml, scales\.0: .*US's share 15"):
        load_scales(path)
    path.write_text(path.read_text().replace("US: 15", "us: 14").replace("NL: 13", "NL: 14"))
    with pytest.raises(ReferenceFileError, match="'us' is not an ISO 3166"):
        load_scales(path)
    path.write_text(path.read_text().replace("us: 14", "US: 14"))
    _ceilings, scales = load_scales(path)
    assert scales[0].shares["US"] == D(14) and scales[0].complete


def test_a_malformed_budget_file_names_the_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    path.write_text("schema_version: 1\nyears:\n  - {year: 2020, adopted: yes-ish,"
                    " confidence: confirmed, source: x}\n")
    with pytest.raises(ReferenceFileError, match=r"budget\.yaml, years\.0\.adopted"):
        load_unified_budget(path)
