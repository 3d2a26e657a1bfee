"""Recording statements: who may, what is checked, how a distributed one is numbered."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hofburg.core.errors import Conflict, Invalid, NotAllowed, NotFound
from hofburg.core.models import AuditEntry, Classification
from hofburg.decisions.models import Statement
from hofburg.decisions.services.statements import add_statement_translation, record_statement
from tests.conftest import Cast
from tests.decisions.samples_statements import Delegates, delegates, meeting, statement_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast: Cast) -> Delegates:
    return delegates(cast)


def test_a_delegation_records_its_own_statement_under_its_name(cast: Cast) -> None:
    plenary = meeting(classification=Classification.PUBLIC)
    statement = record_statement(cast.alice, statement_input(
        meeting=plenary.pk, agenda_item=2, aligned=["Liechtenstein", "Norway", "Norway"],
        alignment_note="with the candidate countries in alignment"))

    assert statement.delegation == cast.austria
    assert statement.owner_affiliation == cast.austria
    assert statement.speaker_label == "Delegation of Austria"
    assert statement.agenda_item is not None and statement.agenda_item.number == 2
    assert statement.aligned == ["Liechtenstein", "Norway"]
    assert statement.symbol == "" and statement.number is None  # oral, not distributed
    assert "ceasefire" in statement.search_text and "Norway" in statement.search_text
    entry = AuditEntry.objects.get(model_label="decisions.Statement")
    assert entry.action == "create" and "search_text" not in entry.after


def test_a_distributed_statement_takes_the_next_del_number_of_its_year(cast: Cast) -> None:
    first = record_statement(cast.alice, statement_input(distribute=True))
    second = record_statement(cast.bob, statement_input(distribute=True))
    next_year = record_statement(cast.bob, statement_input(distribute=True,
                                                           delivered_on=date(2027, 1, 14)))
    fsc = record_statement(cast.bob, statement_input(distribute=True, body="FSC"))

    assert [first.symbol, second.symbol, next_year.symbol] == [
        "PC.DEL/1/26", "PC.DEL/2/26", "PC.DEL/1/27"]
    assert (second.number, second.year) == (2, 2026)
    assert fsc.symbol == "FSC.DEL/1/26"


def test_a_partner_delegation_may_speak(people: Delegates) -> None:
    statement = record_statement(people.jun, statement_input())
    assert statement.delegation == people.japan


def test_the_secretariat_records_any_speaker(cast: Cast, people: Delegates) -> None:
    for_finland = record_statement(people.sam, statement_input(delegation="delegation-fi"))
    guest = record_statement(people.sam, statement_input(speaker_label="Secretary General"))

    assert for_finland.delegation == cast.finland
    assert for_finland.owner_affiliation == cast.finland
    assert guest.delegation is None and guest.owner_affiliation == cast.cpc
    with pytest.raises(Invalid) as refused:
        record_statement(people.sam, statement_input())
    assert refused.value.field == "speaker_label"


def test_a_delegation_may_not_speak_for_another(cast: Cast) -> None:
    with pytest.raises(NotAllowed):
        record_statement(cast.alice, statement_input(delegation="delegation-fi"))
    assert not Statement.objects.exists()


@pytest.mark.parametrize("who", ["carol", "nick", "mona"])
def test_only_editors_of_a_delegation_or_the_chair_record(cast: Cast, who: str) -> None:
    with pytest.raises(NotAllowed):
        record_statement(getattr(cast, who), statement_input())
    assert not Statement.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"body": "UN"}, "body"),
    ({"original_language": "zh"}, "original_language"),
    ({"texts": {"fr": "Texte."}}, "texts"),
    ({"texts": {"en": "  "}}, "texts"),
    ({"texts": {"en": "Text.", "xx": "?"}}, "texts"),
    ({"texts": {"en": "x" * 100_001}}, "texts"),
    ({"classification": "confidential"}, "classification"),
    ({"delivered_on": None}, "delivered_on"),
    ({"agenda_item": 1}, "agenda_item"),
    ({"aligned": ["x" * 101]}, "aligned"),
    ({"aligned": [f"State {n}" for n in range(101)]}, "aligned"),
    ({"title": "x" * 501}, "title"),
    ({"speaker_name": "a\x00b"}, "speaker_name"),
])
def test_bad_input_is_refused_naming_its_field(cast: Cast, changes: dict[str, object],
                                               field: str) -> None:
    with pytest.raises(Invalid) as refused:
        record_statement(cast.alice, statement_input(**changes))
    assert refused.value.field == field
    assert not Statement.objects.exists()


def test_osce_plus_distribution_is_restricted(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input(classification="OSCE+"))
    assert statement.classification == Classification.RESTRICTED


def test_the_meeting_must_be_visible_of_the_body_and_its_journal_open(cast: Cast) -> None:
    hidden = meeting(1, classification=Classification.CONFIDENTIAL, owner=cast.finland)
    fsc = meeting(2, body="FSC")
    issued = meeting(3)
    issued.journal_issued_at = datetime(2026, 3, 6, 12, tzinfo=UTC)
    issued.save()

    with pytest.raises(NotFound):
        record_statement(cast.alice, statement_input(meeting=hidden.pk))
    with pytest.raises(Invalid) as other_body:
        record_statement(cast.alice, statement_input(meeting=fsc.pk))
    with pytest.raises(Conflict):
        record_statement(cast.alice, statement_input(meeting=issued.pk))
    with pytest.raises(Invalid) as other_day:
        record_statement(cast.alice, statement_input(meeting=meeting(4).pk,
                                                     delivered_on=date(2026, 3, 6)))
    with pytest.raises(Invalid) as no_item:
        record_statement(cast.alice, statement_input(meeting=meeting(5).pk, agenda_item=9))
    assert (other_body.value.field, other_day.value.field, no_item.value.field) == (
        "meeting", "delivered_on", "agenda_item")
    assert not Statement.objects.exists()


def test_the_day_defaults_to_the_meetings(cast: Cast) -> None:
    plenary = meeting(day=date(2026, 4, 2))
    statement = record_statement(cast.alice, statement_input(meeting=plenary.pk,
                                                             delivered_on=None))
    assert statement.delivered_on == date(2026, 4, 2)


def test_exercise_statements_name_exercise_speakers_only(people: Delegates) -> None:
    with pytest.raises(Invalid) as refused:
        record_statement(people.nora, statement_input(aligned=["Norway"]))
    assert refused.value.field == "aligned"
    with pytest.raises(NotAllowed):
        record_statement(people.nora, statement_input(delegation="delegation-at"))
    with pytest.raises(Invalid):  # a real meeting
        record_statement(people.nora, statement_input(meeting=meeting().pk))

    statement = record_statement(people.nora, statement_input(
        aligned=["Exercise Delegation South"], distribute=True))
    assert statement.is_exercise and statement.symbol == "PC.DEL/1/26"
    assert statement.speaker_label == "Exercise Delegation North"
    # The exercise Secretariat chairs exercise records only; exercise numbers are apart.
    with pytest.raises(Invalid) as real_speaker:
        record_statement(people.xena, statement_input(delegation="delegation-at"))
    assert real_speaker.value.field == "delegation"
    real = record_statement(people.sam, statement_input(delegation="delegation-at",
                                                        distribute=True))
    assert real.symbol == "PC.DEL/1/26" and not real.is_exercise


def test_a_translation_is_added_by_the_speaker_or_the_secretariat(cast: Cast,
                                                                    people: Delegates) -> None:
    statement = record_statement(cast.alice, statement_input())
    add_statement_translation(cast.alice, statement, "ru", "Мы приветствуем прекращение огня.")
    updated = add_statement_translation(people.sam, statement, "fr",
                                        "Nous saluons le cessez-le-feu et la sécurité.")

    assert set(updated.texts) == {"en", "ru", "fr"}
    assert "прекращение" in updated.search_text and "sécurité" in updated.search_text
    with pytest.raises(Conflict):
        add_statement_translation(cast.alice, statement, "ru", "Ещё раз.")
    with pytest.raises(NotAllowed):
        add_statement_translation(cast.bob, statement, "de", "Wir begrüßen.")
    with pytest.raises(Invalid):
        add_statement_translation(cast.alice, statement, "zh", "?")
    assert AuditEntry.objects.filter(model_label="decisions.Statement",
                                     action="update").count() == 2


def test_a_hidden_statement_cannot_be_translated(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input(
        classification=Classification.RESTRICTED))
    with pytest.raises(NotFound):
        add_statement_translation(cast.nick, statement, "fr", "Texte.")
