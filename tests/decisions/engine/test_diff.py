"""Word-level diffs between revisions keep every character of both texts."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hofburg.decisions.engine.diff import Segment, diff_texts


def new_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op in ("equal", "insert"))


def old_text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments if s.op in ("equal", "delete"))


def test_a_changed_word() -> None:
    assert diff_texts("The Permanent Council decides", "The Permanent Council agrees") == [
        Segment("equal", "The Permanent Council "),
        Segment("delete", "decides"),
        Segment("insert", "agrees"),
    ]


def test_an_inserted_phrase_keeps_its_spaces() -> None:
    assert diff_texts("to extend the mandate", "to extend until 31 December the mandate") == [
        Segment("equal", "to extend "),
        Segment("insert", "until 31 December "),
        Segment("equal", "the mandate"),
    ]


def test_identical_and_empty_texts() -> None:
    assert diff_texts("", "") == []
    assert diff_texts("Same text.", "Same text.") == [Segment("equal", "Same text.")]
    assert diff_texts("", "New.") == [Segment("insert", "New.")]
    assert diff_texts("Old.", "") == [Segment("delete", "Old.")]


def test_punctuation_is_a_word_of_its_own() -> None:
    assert diff_texts("budget, 2019.", "budget; 2019.") == [
        Segment("equal", "budget"),
        Segment("delete", ","),
        Segment("insert", ";"),
        Segment("equal", " 2019."),
    ]


def test_cyrillic_words_are_whole_words() -> None:
    assert diff_texts("Постоянный совет принимает решение",
                      "Постоянный совет отклоняет решение") == [
        Segment("equal", "Постоянный совет "),
        Segment("delete", "принимает"),
        Segment("insert", "отклоняет"),
        Segment("equal", " решение"),
    ]


@pytest.mark.parametrize(("old", "new"), [
    ("Decides to extend the mandate.", "Decides  to\textend\n\nthe mandate until 2026."),
    ("Постоянный совет,\nпринимает решение.", "Постоянный  совет принимает\r\nрешение №1307."),
    ("Der Ständige Rat beschließt", "Der Ständige Rat – beschließt nicht"),
    ("   leading and trailing   ", "leading and trailing"),
    ("a b c d e", "e d c b a"),
    ("Le Conseil permanent décide", "Le Conseil ministériel décide\u00a0:"),
])
def test_both_texts_are_rebuilt_exactly(old: str, new: str) -> None:
    segments = diff_texts(old, new)
    assert new_text(segments) == new
    assert old_text(segments) == old
    assert all(s.text for s in segments)
    assert all(a.op != b.op for a, b in pairwise(segments))


_TEXT = st.text(alphabet=st.sampled_from(list("ab шщ\n\t.,–1ßé")), max_size=60)


@given(old=_TEXT, new=_TEXT)
def test_any_two_texts_are_rebuilt_exactly(old: str, new: str) -> None:
    segments = diff_texts(old, new)
    assert new_text(segments) == new
    assert old_text(segments) == old
    assert all(s.text for s in segments)
