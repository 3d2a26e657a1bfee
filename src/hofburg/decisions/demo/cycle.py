"""The EXERCISE cycle of the decisions desk, replayed through the ordinary services.

Three weekly meetings of the Permanent Council of an exercise, chaired by the exercise
Secretariat unit, with the exercise delegations North and South standing for participating
States. Nothing here is attributed to a real State, body or person. The script:

- meeting 1: a draft with two revisions (one taking North's amendment) is adopted; South
  attaches an interpretative statement; North and South speak under the agenda items;
- meeting 2: two drafts are placed under silence. North breaks the first with an amendment
  in writing; the second's silence expires unbroken, so it is adopted;
- meeting 3: the Chair announces the adoption by silence, which gives it its number.
- Still open: a draft in an informal working group, and two Ministerial Council drafts for the
  status table.

Every event runs at its scripted time (`decisions.clock.replaying`), relative to the day the
demo is loaded, so the silence rules apply to the demo exactly as they do to users.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.core.services.accounts import ensure_actor
from hofburg.decisions.clock import VIENNA, replaying
from hofburg.decisions.models import Draft, Meeting
from hofburg.decisions.services import decide, meetings
from hofburg.decisions.services.drafts import (
    DraftInput,
    RevisionInput,
    add_revision,
    propose_amendment,
    table_draft,
)
from hofburg.decisions.services.positions import record_stance, set_instruction
from hofburg.decisions.services.statements import (
    StatementInput,
    add_statement_translation,
    record_statement,
)

MARK = "EXERCISE"


def exercise_actor(code: str) -> User:
    """An exercise editor of the affiliation, created on demand with no password."""
    username = f"exercise-editor-{code.removeprefix('exercise-')}"
    return ensure_actor(username, affiliation_code=code, roles=[Role.READER, Role.EDITOR])


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VIENNA)


def _first_meeting_day(today: date) -> date:
    """The Thursday three to four weeks before today (PC plenaries are on Thursdays)."""
    day = today - timedelta(days=21)
    return day - timedelta(days=(day.weekday() - 3) % 7)


def load() -> None:
    """Replay the cycle once; a second run finds its meetings and creates nothing."""
    if Meeting.objects.filter(is_exercise=True, body="PC").exists():
        return
    needed = ["exercise-north", "exercise-south", "exercise-secretariat"]
    if Affiliation.objects.filter(code__in=needed).count() != len(needed):
        return
    chair = exercise_actor("exercise-secretariat")
    north, south = exercise_actor("exercise-north"), exercise_actor("exercise-south")
    day1 = _first_meeting_day(timezone.localdate(timezone.now(), VIENNA))
    _meeting_one(chair, north, south, day1)
    silent = _meeting_two(chair, north, day1 + timedelta(days=7))
    _meeting_three(chair, south, silent, day1 + timedelta(days=14))
    _still_open(chair, north, day1 + timedelta(days=15))



WATER_EN = ("Exercise Delegation North welcomes the exercise initiative on shared rivers. "
            "Riparian States share the basin, and its security is a matter for all of us.")
WATER_RU = ("Учебная делегация «Север» приветствует учебную инициативу по общим рекам. "
            "Прибрежные государства делят бассейн, и его безопасность касается всех нас.")
BUDGET_FR = ("La délégation d'exercice Sud rappelle que le budget de la mission d'exercice "
             "doit être adopté avant la fin de l'année.")


def _speak(user: User, meeting: Meeting, item: int, language: str, text: str, *, title: str,
           classification: str = Classification.PUBLIC, **more: Any) -> None:
    statement = record_statement(user, StatementInput(
        body=meeting.body, original_language=language, texts={language: text},
        delivered_on=meeting.date, meeting=meeting.pk, agenda_item=item,
        title=f"{MARK}: {title}", classification=classification, distribute=True, **more))
    if language == "en":
        add_statement_translation(user, statement, "ru", WATER_RU)


def _draft(chair: User, title: str, text: str, *, body: str = "PC", venue: str = "plenary",
           classification: str = Classification.RESTRICTED) -> Draft:
    # The title stays the draft's own: the record is marked as exercise data on every page,
    # in the API, the journal's heading and the PDF, and the journal reads its subject from it.
    return table_draft(chair, DraftInput(body=body, title=title, text=text,
                                         language="en", venue=venue,
                                         classification=classification))


def _meeting_one(chair: User, north: User, south: User, day: date) -> None:
    with replaying(_at(day - timedelta(days=6), 15)):
        draft = _draft(chair, "Draft decision on a regional workshop on water security",
                       "The Permanent Council decides to hold a regional workshop on water "
                       "security in the exercise area in the second half of the year.",
                       classification=Classification.PUBLIC)
        add_revision(chair, draft, RevisionInput(
            text="The Permanent Council decides to hold a regional workshop on water security "
                 "and climate change in the exercise area in the second half of the year.",
            note="Climate change added at the informal working group."))
    with replaying(_at(day - timedelta(days=3), 11)):
        amendment = propose_amendment(
            north, draft, "Add: “with the participation of civil society experts”.")
    with replaying(_at(day - timedelta(days=2), 9)):
        add_revision(chair, draft, RevisionInput(
            text="The Permanent Council decides to hold a regional workshop on water security "
                 "and climate change, with the participation of civil society experts, in the "
                 "exercise area in the second half of the year.",
            note="Exercise Delegation North's amendment taken.", taken=(amendment.pk,)))
    with replaying(_at(day, 10)):
        meeting = meetings.create_meeting(chair, body="PC", date=day,
                                          chairperson="Exercise Chairperson")
        meetings.add_agenda_item(chair, meeting, f"{MARK}: Review of current issues")
        meetings.add_agenda_item(chair, meeting, f"{MARK}: Decision on a workshop")
    with replaying(_at(day, 10, 20)):
        _speak(north, meeting, 1, "en", WATER_EN, title="on shared rivers",
               aligned=["Exercise Delegation South"],
               alignment_note="with the exercise candidate countries in alignment")
        _speak(chair, meeting, 1, "fr", BUDGET_FR, title="budget de la mission",
               delegation="exercise-south", classification=Classification.RESTRICTED)
    with replaying(_at(day, 11, 30)):
        decide.adopt(chair, draft, meeting)
    with replaying(_at(day, 11, 40)):
        decide.attach_statement(
            south, draft, "interpretative_statement",
            "Exercise Delegation South joins the consensus on the understanding that the "
            "workshop is funded from existing resources.")
    with replaying(_at(day, 16)):
        meetings.issue_journal(chair, meeting)


def _meeting_two(chair: User, north: User, day: date) -> Draft:
    """Two drafts placed under silence; North breaks the first; the second is the one whose
    silence expires unbroken."""
    with replaying(_at(day - timedelta(days=4), 14)):
        seminar = _draft(chair, "Draft decision on a seminar on media freedom",
                         "The Permanent Council decides to hold a seminar on the safety of "
                         "journalists in the exercise area.")
        dates = _draft(chair, "Draft decision on the dates of an exercise conference",
                       "The Permanent Council decides that the exercise conference will take "
                       "place over two days in the autumn.")
    with replaying(_at(day, 10)):
        meeting = meetings.create_meeting(chair, body="PC", date=day,
                                          chairperson="Exercise Chairperson")
        meetings.add_agenda_item(chair, meeting, f"{MARK}: Drafts placed under silence")
    with replaying(_at(day, 12)):
        decide.place_under_silence(chair, seminar, meeting, _at(day + timedelta(days=4), 12))
        decide.place_under_silence(chair, dates, meeting, _at(day + timedelta(days=5), 12))
    with replaying(_at(day, 16)):
        meetings.issue_journal(chair, meeting)
    with replaying(_at(day + timedelta(days=2), 17, 45)):
        decide.break_silence(north, seminar, "amendment",
                             "Replace “a seminar” with “an expert meeting”.")
    return dates


def _meeting_three(chair: User, south: User, silent: Draft, day: date) -> None:
    with replaying(_at(day, 10)):
        meeting = meetings.create_meeting(chair, body="PC", date=day,
                                          chairperson="Exercise Chairperson")
        meetings.add_agenda_item(chair, meeting, f"{MARK}: Announcement of a decision")
    with replaying(_at(day, 10, 30)):
        decide.announce(chair, silent, meeting)
    with replaying(_at(day, 10, 45)):
        decide.attach_statement(
            south, silent, "formal_reservation",
            "Exercise Delegation South does not consider itself bound by the second day.")


def _still_open(chair: User, north: User, day: date) -> None:
    with replaying(_at(day, 9)):
        draft = _draft(chair, "Draft decision on an exercise border management project",
                       "The Permanent Council welcomes the exercise border management project.",
                       venue="working_group")
        add_revision(chair, draft, RevisionInput(
            text="The Permanent Council welcomes and supports the exercise border management "
                 "project.", note="Support added."))
        propose_amendment(north, draft, "Add a reporting date before the end of the year.")
        set_instruction(north, draft, instruction="EXERCISE: join consensus if the project "
                        "stays within this year's budget ceiling.",
                        red_lines="EXERCISE: no new budget line.", received_on=day)
        record_stance(north, draft, 1, "accept", "EXERCISE: within the ceiling.")
        _draft(chair, "Draft Ministerial Council declaration on an exercise partnership",
               "The Ministerial Council welcomes the exercise partnership.", body="MC",
               venue="prepcomm")
        _draft(chair, "Draft Ministerial Council decision on an exercise review conference",
               "The Ministerial Council decides to hold an exercise review conference.",
               body="MC", venue="prepcomm")
