"""The journal of the day is built from what was recorded, as each reader may read it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hofburg.core.models import Classification
from hofburg.decisions.journal import build_journal, journal_text
from hofburg.decisions.models import Attachment, Draft, Meeting
from hofburg.decisions.services.meetings import add_agenda_item, create_meeting
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.decisions.samples_meetings import (
    MEETING_DAY,
    Chairs,
    add_decision,
    add_statement,
    attach,
    make_chairs,
    place_under_silence,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)


@pytest.fixture
def chairs(cast: Cast) -> Chairs:
    chairs = make_chairs(cast)
    ParticipatingState.objects.create(iso2="FI", iso3="FIN", numeric="246",
                                      joined=datetime(1973, 6, 25).date(),
                                      names={"en": "Finland"}, source="test")
    return chairs


@pytest.fixture
def meeting(chairs: Chairs) -> Meeting:
    return create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                          chairperson="Ambassador A. Example")


def test_the_heading_follows_the_journal_layout(meeting: Meeting) -> None:
    journal = build_journal(meeting, AnonymousUser(), NOW)
    assert journal.heading == "Journal No. 1"
    assert journal.symbol == "PC.JOUR/1"
    assert journal.date_text == "12 March 2026"
    assert journal.starts_at_text == "12 March 2026, 10:00 CET"
    assert journal.generated_at_text == "12 March 2026, 16:30 CET"
    assert journal.chairperson == "Ambassador A. Example"
    assert journal.original_label == "ENGLISH"


def test_statements_are_listed_under_their_item_with_the_aligned_states(
        cast: Cast, chairs: Chairs, meeting: Meeting) -> None:
    first = add_agenda_item(chairs.secretary, meeting, "Review of current issues")
    second = add_agenda_item(chairs.secretary, meeting, "Any other business")
    add_statement(meeting, first, cast.austria, speaker="Austria-European Union",
                  alignment_note="with the candidate countries North Macedonia and Montenegro "
                                 "in alignment", symbol="PC.DEL/10/26")
    add_statement(meeting, first, cast.finland, speaker="Finland", aligned=["Sweden", "Norway"])
    add_statement(meeting, second, cast.finland, speaker="Finland", symbol="PC.DEL/11/26")
    add_statement(meeting, None, cast.austria, speaker="Austria")
    journal = build_journal(meeting, AnonymousUser(), NOW)
    assert [(item.number, item.title) for item in journal.agenda] == [
        (1, "Review of current issues"), (2, "Any other business"),
        (None, "Statements recorded under no agenda item")]
    lines = [[s.line for s in item.statements] for item in journal.agenda]
    assert lines == [
        ["Austria-European Union (with the candidate countries North Macedonia and Montenegro "
         "in alignment) (PC.DEL/10/26)", "Finland (with Sweden, Norway in alignment)"],
        ["Finland (PC.DEL/11/26)"],
        ["Austria"]]


def test_decisions_adopted_at_the_meeting_are_worded_and_appended_with_attachments(
        cast: Cast, meeting: Meeting) -> None:
    decision = add_decision(meeting, number=1041, title="Decision on the 2013 OSCE Chairmanship",
                            text="The Permanent Council decides that Ukraine ...")
    attach(decision, cast.finland, number=1, text="Finland reads paragraph 2 as ...")
    attach(decision, cast.austria, number=2, text="Austria reserves ...",
           kind=Attachment.Kind.FORMAL_RESERVATION)
    journal = build_journal(meeting, AnonymousUser(), NOW)
    [entry] = journal.decisions
    assert entry.sentence == (
        "The Permanent Council adopted Decision No. 1041 (PC.DEC/1041) on the 2013 OSCE "
        "Chairmanship, the text of which is appended to this journal.")
    assert [a.reference for a in entry.attachments] == [
        "Finland (interpretative statement, see attachment 1 to the decision)",
        "Austria (formal reservation, see attachment 2 to the decision)"]
    assert journal.appended == [entry]
    assert entry.text == "The Permanent Council decides that Ukraine ..."
    text = journal_text(journal)
    assert "Finland reads paragraph 2 as ..." in text
    assert "PC.DEC/1041" in text


def test_the_wording_follows_the_body(chairs: Chairs) -> None:
    fsc = create_meeting(chairs.secretary, body="FSC", date=MEETING_DAY)
    add_decision(fsc, number=3, title="Decision on a seminar", text="...")
    mc = Meeting.objects.create(body="MC", number=31, date=MEETING_DAY, journal_symbol="MC.JOUR/31",
                                starts_at=fsc.starts_at, classification="public")
    declaration = add_decision(mc, number=4, title="Declaration on youth", text="...")
    Draft.objects.filter(pk=declaration.pk).update(kind=Draft.Kind.DECLARATION, decision_year=2026,
                                                   decision_symbol="MC.DOC/4/26")
    assert build_journal(fsc, AnonymousUser(), NOW).decisions[0].sentence.startswith(
        "The Forum for Security Co-operation adopted Decision No. 3 (FSC.DEC/3) on a seminar")
    assert build_journal(mc, AnonymousUser(), NOW).decisions[0].sentence.startswith(
        "The Ministerial Council adopted Declaration No. 4/26 (MC.DOC/4/26) on youth")


def test_a_title_that_only_repeats_the_number_is_not_repeated(meeting: Meeting) -> None:
    add_decision(meeting, number=1307, title="Decision No. 1307", text="")
    [entry] = build_journal(meeting, AnonymousUser(), NOW).decisions
    assert entry.sentence == ("The Permanent Council adopted Decision No. 1307 (PC.DEC/1307), "
                              "the text of which is appended to this journal.")


def test_drafts_placed_under_silence_attach_their_interim_text(meeting: Meeting) -> None:
    place_under_silence(meeting, number=8, title="Draft decision on the scale of contributions",
                        interim="Interim: the scale is ...", later_text="A later revision")
    journal = build_journal(meeting, AnonymousUser(), NOW)
    [silence] = journal.silences
    assert silence.sentence == (
        "The Chairperson placed the draft decision on the scale of contributions (PC.DD/8/26) "
        "under the silence procedure until 19 March 2026, 10:00 CET (interim text attached).")
    assert silence.text == "Interim: the scale is ..."
    assert "PC.DD/8/26" not in silence.temporary_title
    assert silence.temporary_title.endswith("(under silence procedure)")
    assert journal.decisions == []


def test_a_decision_adopted_by_silence_is_announced_at_the_next_meeting(
        cast: Cast, chairs: Chairs, meeting: Meeting) -> None:
    draft = place_under_silence(meeting, number=8, title="Draft decision on the scale",
                                interim="The scale is ...")
    following = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY.replace(day=26))
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.Status.ADOPTED, adopted_by=Draft.AdoptedBy.SILENCE,
        adopted_at=draft.silence_expires_at, announced_meeting=following, decision_number=1200,
        decision_symbol="PC.DEC/1200")
    attach(Draft.objects.get(pk=draft.pk), cast.finland, number=1, text="Finland ...")
    journal = build_journal(following, AnonymousUser(), NOW)
    [announced] = journal.announced
    assert announced.sentence == (
        "The Chairperson announced the adoption by silence procedure (19 March 2026, 10:00 CET) "
        "of Decision No. 1200 (PC.DEC/1200) on the scale; its text is appended to this "
        "journal.")
    assert announced.by_silence
    assert [a.reference for a in announced.attachments] == [
        "Finland (interpretative statement, see attachment 1 to the decision)"]
    assert journal.appended == [announced]
    # The meeting that placed it under silence still shows the placement, not the adoption.
    placed = build_journal(meeting, AnonymousUser(), NOW)
    assert [s.draft_symbol for s in placed.silences] == ["PC.DD/8/26"]
    assert placed.announced == []


def test_hidden_statements_and_decisions_are_simply_absent(
        cast: Cast, chairs: Chairs, meeting: Meeting) -> None:
    item = add_agenda_item(chairs.secretary, meeting, "Review of current issues")
    add_statement(meeting, item, cast.austria, speaker="Austria")
    add_statement(meeting, item, cast.finland, speaker="Finland (restricted)",
                  classification=Classification.RESTRICTED)
    add_statement(meeting, item, cast.austria, speaker="Austria (confidential)",
                  classification=Classification.CONFIDENTIAL)
    add_decision(meeting, number=5, title="Decision on a public matter", text="Public text")
    add_decision(meeting, number=6, title="Decision on a restricted matter", text="Secret",
                 classification=Classification.RESTRICTED)

    def seen(user: object) -> tuple[list[str], list[str]]:
        journal = build_journal(meeting, user, NOW)  # type: ignore[arg-type]
        return ([s.speaker for s in journal.agenda[0].statements],
                [d.decision_symbol for d in journal.decisions])

    assert seen(AnonymousUser()) == (["Austria"], ["PC.DEC/5"])
    assert seen(cast.nick) == (["Austria"], ["PC.DEC/5"])
    assert seen(cast.bob) == (["Austria", "Finland (restricted)"], ["PC.DEC/5", "PC.DEC/6"])
    assert seen(cast.alice) == (["Austria", "Finland (restricted)", "Austria (confidential)"],
                                ["PC.DEC/5", "PC.DEC/6"])
    assert "Secret" not in journal_text(build_journal(meeting, AnonymousUser(), NOW))


def test_an_exercise_meeting_says_so_in_its_heading(chairs: Chairs) -> None:
    meeting = create_meeting(chairs.exercise_secretary, body="PC", date=MEETING_DAY)
    journal = build_journal(meeting, AnonymousUser(), NOW)
    assert journal.is_exercise
    assert journal.heading == "EXERCISE — Journal No. 1"
    assert journal.as_dict()["is_exercise"] is True


def test_the_journal_takes_a_fixed_number_of_queries(cast: Cast, chairs: Chairs,
                                                     meeting: Meeting) -> None:
    def queries() -> int:
        fresh = Meeting.objects.get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as captured:
            build_journal(fresh, cast.alice, NOW)
        return len(captured.captured_queries)

    item = add_agenda_item(chairs.secretary, meeting, "Item")
    add_statement(meeting, item, cast.austria, speaker="Austria")
    attach(add_decision(meeting, number=1, title="One", text="..."), cast.finland, number=1,
           text="...")
    small = queries()
    for n in range(30):
        add_statement(meeting, add_agenda_item(chairs.secretary, meeting, f"Item {n}")
                      if n % 10 == 0 else item, cast.finland, speaker=f"Speaker {n}")
    for n in range(2, 6):
        attach(add_decision(meeting, number=n, title=f"Decision {n}", text="..."),
               cast.austria, number=1, text="...")
    place_under_silence(meeting, number=40, title="Under silence", interim="...")
    assert queries() == small
    assert small <= 8


def test_as_dict_gives_times_with_offsets(cast: Cast, meeting: Meeting) -> None:
    add_decision(meeting, number=7, title="Decision on X", text="...")
    data = build_journal(meeting, AnonymousUser(), NOW).as_dict()
    assert data["symbol"] == "PC.JOUR/1"
    assert datetime.fromisoformat(data["starts_at"]) == datetime(2026, 3, 12, 9, tzinfo=UTC)
    assert data["starts_at"].endswith(("+00:00", "+01:00"))
    assert data["generated_at"] == "2026-03-12T15:30:00+00:00"
    assert data["date"] == "2026-03-12"
    assert data["decisions"][0]["sentence"].startswith("The Permanent Council adopted")


def test_a_russian_journal_puts_the_month_in_the_genitive() -> None:
    from django.utils import translation

    from hofburg.decisions.journal import vienna_time

    with translation.override("ru"):
        assert vienna_time(datetime(2026, 3, 6, 9, 0, tzinfo=UTC)) == "6 марта 2026, 10:00 CET"
    with translation.override("en"):
        assert vienna_time(datetime(2026, 3, 6, 9, 0, tzinfo=UTC)) == "6 March 2026, 10:00 CET"
