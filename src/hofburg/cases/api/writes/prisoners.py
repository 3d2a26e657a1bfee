"""Political prisoners' cases: detention episodes, proceedings, recognitions and their
withdrawal, condition reports."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, router
from hofburg.cases.api.writes.common import (
    MAX_CODES,
    CaseEntryOut,
    CaseIdOut,
    _given,
    _limit,
    _one,
    _person,
    _writer,
)
from hofburg.cases.models import DetentionEpisode, PrisonerCase, Proceeding, Recognition
from hofburg.cases.services import prisoners
from hofburg.core.bounds import Day, LongText, RecordId
from hofburg.core.models import Classification

# -- political prisoners -----------------------------------------------------------------------


class PrisonerCaseIn(Schema):
    person: SurrogateId = Field(..., description="The surrogate id of a person you hold a "
                                                 "grant for.")
    jurisdiction: str = Field(..., max_length=2, examples=["XE"])
    articles: list[Annotated[str, Field(max_length=40)]] = Field(
        [], max_length=prisoners.MAX_ARTICLES)
    charges: LongText = ""
    case_number: str = Field("", max_length=_limit(PrisonerCase, "case_number"))
    classification: Classification | None = None
    is_exercise: bool | None = None


class EpisodeIn(Schema):
    kind: DetentionEpisode.Kind
    start: Day
    end: Day | None = None
    died: bool = False
    facility: str = Field("", max_length=_limit(DetentionEpisode, "facility"))


class EndEpisodeIn(Schema):
    end: Day
    died: bool = False


class ProceedingIn(Schema):
    court: str = Field(..., max_length=_limit(Proceeding, "court"))
    hearing_date: Day
    closed_trial: bool = False
    verdict: str = Field("", max_length=_limit(Proceeding, "verdict"))
    sentence: str = Field("", max_length=_limit(Proceeding, "sentence"))


class RecognitionIn(Schema):
    organisations: list[Annotated[str, Field(max_length=200)]] = Field(..., max_length=MAX_CODES)
    criteria: list[Annotated[str, Field(max_length=1)]] = Field(
        ..., max_length=len(prisoners.PACE_CRITERIA),
        description="PACE Resolution 1900 (2012) §3 letters a to e.")
    recognised_on: Day
    statement_url: str = Field("", max_length=_limit(Recognition, "statement_url"))


class WithdrawIn(Schema):
    withdrawn_on: Day


class ConditionReportIn(Schema):
    reported_on: Day
    text: LongText


@router.post("/prisoners", response={201: CaseIdOut},
             summary="Open a political prisoner's case for a person you hold a grant for")
def create_prisoner_case(request: HttpRequest, payload: PrisonerCaseIn) -> Any:
    user = _writer(request)
    case = prisoners.create_prisoner_case(
        user, _one(_person(user, payload.person)), jurisdiction=payload.jurisdiction,
        articles=payload.articles, charges=payload.charges, case_number=payload.case_number,
        **_given(payload, "classification", "is_exercise"))
    return Status(201, {"case_id": case.case_id})


@router.post("/prisoners/{case_id}/episodes", response={201: CaseEntryOut},
             summary="Add a detention episode (none may overlap another)")
def add_detention_episode(request: HttpRequest, case_id: SurrogateId,
                          payload: EpisodeIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    episode = prisoners.add_detention_episode(user, case, kind=payload.kind, start=payload.start,
                                              end=payload.end, died=payload.died,
                                              facility=payload.facility)
    return Status(201, {"case_id": case.case_id, "id": episode.pk})


@router.post("/prisoners/{case_id}/episodes/{episode_id}/end", response=CaseEntryOut,
             summary="End a detention episode (release, or death in custody)")
def end_detention(request: HttpRequest, case_id: SurrogateId, episode_id: RecordId,
                  payload: EndEpisodeIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    episode = _one(case.episodes.filter(pk=episode_id).first())
    prisoners.end_detention(user, episode, payload.end, died=payload.died)
    return {"case_id": case.case_id, "id": episode.pk}


@router.post("/prisoners/{case_id}/proceedings", response={201: CaseEntryOut},
             summary="Add a hearing of the case")
def add_proceeding(request: HttpRequest, case_id: SurrogateId, payload: ProceedingIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    proceeding = prisoners.add_proceeding(
        user, case, court=payload.court, hearing_date=payload.hearing_date,
        closed_trial=payload.closed_trial, verdict=payload.verdict, sentence=payload.sentence)
    return Status(201, {"case_id": case.case_id, "id": proceeding.pk})


@router.post("/prisoners/{case_id}/recognitions", response={201: CaseEntryOut},
             summary="Record a recognition as a political prisoner")
def add_recognition(request: HttpRequest, case_id: SurrogateId, payload: RecognitionIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    recognition = prisoners.add_recognition(
        user, case, organisations=payload.organisations, criteria=payload.criteria,
        recognised_on=payload.recognised_on, statement_url=payload.statement_url)
    return Status(201, {"case_id": case.case_id, "id": recognition.pk})


@router.post("/prisoners/{case_id}/recognitions/{recognition_id}/withdraw",
             response=CaseEntryOut, summary="Record that a recognition was withdrawn")
def withdraw_recognition(request: HttpRequest, case_id: SurrogateId, recognition_id: RecordId,
                         payload: WithdrawIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    recognition = _one(Recognition.objects.filter(case=case, pk=recognition_id).first())
    prisoners.withdraw_recognition(user, recognition, payload.withdrawn_on)
    return {"case_id": case.case_id, "id": recognition.pk}


@router.post("/prisoners/{case_id}/condition-reports", response={201: CaseEntryOut},
             summary="Add a report on the conditions of detention")
def add_condition_report(request: HttpRequest, case_id: SurrogateId,
                         payload: ConditionReportIn) -> Any:
    user = _writer(request)
    case = queries.prisoner_case_for(user, case_id)
    report = prisoners.add_condition_report(user, case, reported_on=payload.reported_on,
                                            text=payload.text)
    return Status(201, {"case_id": case.case_id, "id": report.pk})
