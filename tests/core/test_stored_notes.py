"""Explanations stored as note data beside their English: read back whole, and said in the
reader's language on a page; anything unreadable falls back to the stored English, marked."""

from __future__ import annotations

import json
from datetime import date

from django.template import Context, Template
from django.utils import translation

from hofburg.notes import Note, gettext_noop, note_data, note_from_data


def _note() -> Note:
    inner = Note(gettext_noop("{metres} m"), metres="12")
    return Note(gettext_noop("{rule}: {citation}."), rule="tanks",
                citation=Note("{title} ({agreed}), {where}", title="Package",
                              agreed=date(2015, 2, 12), where=inner))


def test_a_note_goes_through_json_and_comes_back_whole() -> None:
    note = _note()
    again = note_from_data(json.loads(json.dumps(note_data(note))))
    assert again == note == "tanks: Package (2015-02-12), 12 m."
    assert again is not None and again.template == note.template
    assert again.params["citation"].params["agreed"] == date(2015, 2, 12)
    assert again.params["citation"].params["where"].template == "{metres} m"


def test_data_of_another_shape_is_not_a_note() -> None:
    assert note_from_data("text") is None
    assert note_from_data({"template": "{missing}", "params": {}}) is None
    assert note_from_data({"template": "{x}", "params": {"x": {"note": "bad"}}}) is None


def _render(stored: object, english: str) -> str:
    return Template("{% load notes %}{% explain_stored stored english %}").render(
        Context({"stored": stored, "english": english}))


def test_the_page_says_stored_notes_in_the_reader_s_language() -> None:
    stored = [note_data(_note())]
    with translation.override("en"):
        assert _render(stored, str(_note())) == "tanks: Package (12 February 2015), 12 m."
    with translation.override("ru"):
        assert "2015" in _render(stored, str(_note()))
        assert "February" not in _render(stored, str(_note()))


def test_without_notes_the_stored_english_is_shown_marked_as_english() -> None:
    assert _render(None, "side: 'x' is not one of a, b") == \
        '<span lang="en">side: &#x27;x&#x27; is not one of a, b</span>'
    assert _render([{"template": 1}], "old text") == '<span lang="en">old text</span>'
