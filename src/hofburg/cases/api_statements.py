"""Statements on intolerance in the API, mounted at `/api/v1/cases/` beside `cases.api`.

Read-only, like the rest of the desk's API: rows come from `cases.disclosure`, a statement the
caller may not see is a 404 like a missing one and is not counted, and the linked incidents
are listed only for staff and only those the caller may see. The caller is resolved as for
every endpoint of the desk (a session without the second factor is anonymous).
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from hofburg.cases import disclosure, queries
from hofburg.cases.api import PageQuery, SurrogateId
from hofburg.cases.api import _caller as caller
from hofburg.core.bounds import FIRST_YEAR, LAST_YEAR

router = Router(tags=["human dimension"])

Mandate = Literal["", "antisemitism", "anti_muslim", "racism_xenophobia_christians_other_religions"]


class StatementOut(Schema):
    statement_id: str | None = None
    made_on: dt.date | None = None
    speaker: str | None = None
    title: str | None = None
    language: str | None = None
    mandates: str | None = Field(None, description="Mandate codes separated by \"; \".")
    source_url: str | None = None
    is_exercise: bool | None = None
    text: str | None = None
    incidents: str | None = Field(None, description="The linked incidents the caller may "
                                  "see, separated by \"; \" (staff only).")


class StatementsOut(Schema):
    count: int
    items: list[StatementOut]


class StatementQuery(PageQuery):
    mandate: Mandate = ""
    language: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)


@router.get("/statements", response=StatementsOut, exclude_unset=True)
def list_intolerance_statements(request: HttpRequest,
                                params: Query[StatementQuery]) -> dict[str, object]:
    """Statements on intolerance the caller may see, newest first, by the Personal
    Representatives' mandate they are tagged with, their language and year."""
    user = caller(request)
    found = queries.statements_for(user, mandate=params.mandate, language=params.language,
                                   year=params.year)
    chosen = list(found[params.offset:params.offset + params.limit])
    return {"count": found.count(),
            "items": disclosure.statement_rows(user, chosen, channel="api").rows}


@router.get("/statements/{statement_id}", response=StatementOut, exclude_unset=True)
def get_intolerance_statement(request: HttpRequest,
                              statement_id: SurrogateId) -> dict[str, object]:
    user = caller(request)
    statement = queries.statement_for(user, statement_id)
    return disclosure.statement_rows(user, [statement], channel="api").rows[0]
