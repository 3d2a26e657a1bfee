"""Numbering: sequential and per-year series, a configured start, revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hofburg.decisions.engine.numbering import (
    next_number,
    revision_suffix,
    revision_symbol,
    sequence_year,
)
from hofburg.decisions.engine.rules import SeriesRule, load_bodies

BODIES = load_bodies()
PC_DEC = BODIES["PC"].series["DEC"]
PC_DD = BODIES["PC"].series["DD"]


def test_a_series_without_history_starts_at_its_start() -> None:
    assert next_number(PC_DEC, None) == 1
    assert next_number(PC_DEC.model_copy(update={"start": 5}), None) == 5


def test_a_configured_start_continues_the_real_sequence() -> None:
    assert next_number(PC_DEC, None, start=1308) == 1308
    assert next_number(PC_DEC, 1308, start=1308) == 1309


def test_a_start_below_the_numbers_given_never_repeats_one() -> None:
    assert next_number(PC_DEC, 1400, start=1308) == 1401


def test_a_start_above_the_numbers_given_takes_effect() -> None:
    assert next_number(PC_DEC, 12, start=1308) == 1308


def test_pc_decisions_continue_after_1307_whatever_the_year() -> None:
    assert sequence_year(PC_DEC, date(2018, 12, 31)) is None
    assert sequence_year(PC_DEC, date(2019, 1, 1)) is None
    # one sequence: the last number of the (only) sequence is 1307
    assert next_number(PC_DEC, 1307) == 1308
    assert PC_DEC.format(next_number(PC_DEC, 1307)) == "PC.DEC/1308"


def test_pc_draft_decisions_start_again_each_year() -> None:
    assert sequence_year(PC_DD, date(2019, 12, 31)) == 2019
    assert sequence_year(PC_DD, date(2020, 1, 1)) == 2020
    last_by_year = {2019: 8}
    assert next_number(PC_DD, last_by_year.get(2019)) == 9
    assert next_number(PC_DD, last_by_year.get(2020)) == 1
    assert PC_DD.format(next_number(PC_DD, None), 2020) == "PC.DD/1/20"


def test_the_year_of_an_aware_datetime_is_that_of_its_own_zone() -> None:
    vienna_winter = timezone(timedelta(hours=1))
    new_year_in_vienna = datetime(2020, 1, 1, 0, 30, tzinfo=vienna_winter)
    assert sequence_year(PC_DD, new_year_in_vienna) == 2020
    assert sequence_year(PC_DD, new_year_in_vienna.astimezone(UTC)) == 2019


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        sequence_year(PC_DD, datetime(2020, 1, 1, 12, 0))


@pytest.mark.parametrize(("last", "start"), [(-1, None), (True, None), (3, 0), (3, -5)])
def test_a_bad_last_or_start_is_an_error(last: int, start: int | None) -> None:
    with pytest.raises(ValueError, match=r"PC\.DEC"):
        next_number(PC_DEC, last, start=start)


def test_revision_suffix_and_symbol() -> None:
    assert revision_suffix(1) == "Rev.1"
    assert revision_suffix(12) == "Rev.12"
    assert revision_symbol("MC.DD/1/19", 0) == "MC.DD/1/19"
    assert revision_symbol("MC.DD/1/19", 1) == "MC.DD/1/19/Rev.1"


@pytest.mark.parametrize("n", [0, -1, True])
def test_a_revision_is_numbered_from_one(n: int) -> None:
    with pytest.raises(ValueError, match="from 1"):
        revision_suffix(n)


def test_a_negative_revision_symbol_is_an_error() -> None:
    with pytest.raises(ValueError, match="0 \\(the original\\)"):
        revision_symbol("PC.DD/8/19", -1)


def test_a_rule_built_in_code_numbers_like_one_from_the_file() -> None:
    rule = SeriesRule(body="FSC", series="DEC", per_year=True, confidence="unconfirmed",
                      source="osce-organization.md §1.8")
    assert rule.start == 1
    assert rule.format(next_number(rule, 3), 2014) == "FSC.DEC/4/14"
