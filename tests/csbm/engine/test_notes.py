"""The engine's explanations are English text that keeps its template and parameters."""

from __future__ import annotations

import pickle
from datetime import date

from hofburg.csbm.engine.notes import confidence_words, paragraph_words
from hofburg.csbm.engine.terms import Confidence
from hofburg.notes import Note, gettext_noop


def test_a_note_reads_as_its_english_text() -> None:
    note = Note(gettext_noop("alert activity of at most {hours} hours"), hours=72)
    assert note == "alert activity of at most 72 hours"
    assert isinstance(note, str)
    assert note.template == "alert activity of at most {hours} hours"
    assert note.params == {"hours": 72}


def test_a_note_may_hold_notes_and_dates() -> None:
    inner = Note(gettext_noop("not announced by {day}"), day=date(2026, 11, 15))
    outer = Note(gettext_noop("{activity} may not be carried out: {failures}"),
                 activity="X-1", failures=inner)
    assert outer == "X-1 may not be carried out: not announced by 2026-11-15"
    assert outer.params["failures"].params == {"day": date(2026, 11, 15)}


def test_a_note_survives_pickling_with_its_template() -> None:
    note = Note(gettext_noop("{ruleset} is a proposal, not agreed text"), ruleset="p-2016")
    again = pickle.loads(pickle.dumps(note))  # noqa: S301 (our own bytes, as a cache holds them)
    assert again == note and again.template == note.template and again.params == note.params


def test_paragraphs_and_labels_in_words() -> None:
    assert paragraph_words("(40.1)") == "(40.1)"
    assert paragraph_words(None) == "paragraph not identified"
    assert isinstance(paragraph_words(None), Note)
    assert confidence_words(Confidence.UNCONFIRMED) == "unconfirmed"
    assert confidence_words(None) == "not stated"
