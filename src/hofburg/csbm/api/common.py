"""What the topic modules of the Vienna Document API share: formats, rulesets by name, the
201-or-200 answer of an idempotent write, downloads, and the version numbering a reader sees."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import io
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from ninja import Field, Schema, Status
from pydantic import AliasChoices

from hofburg.core.errors import Invalid
from hofburg.core.idempotency import is_replay
from hofburg.core.models import Classification
from hofburg.core.tables import CONTENT_TYPES
from hofburg.csbm import exports, queries, rulesets
from hofburg.csbm.engine.rulesets import Ruleset

Format = Literal["csv", "xlsx", "json"]


def ruleset_named(name: str | None) -> Ruleset:
    try:
        return rulesets.get_ruleset(name or rulesets.DEFAULT_RULESET)
    except rulesets.UnknownRuleset as exc:
        raise Invalid(str(exc)) from exc


def written(record: Any) -> Status[Any]:
    """201 for a record stored now, 200 for one an identical earlier request stored."""
    return Status(200 if is_replay(record) else 201, record)


class NumberedForReader(Schema):
    """A version numbered among the versions the caller may see: a hidden one leaves no gap."""

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return queries.seen_version(obj)


class CurrentForReader(NumberedForReader):
    """Also current when no later version is visible to the caller (queries annotate
    `newest_seen`): a later version they may not see does not make this one superseded."""

    @staticmethod
    def resolve_is_current(obj: Any) -> bool:
        return bool(getattr(obj, "newest_seen", obj.is_current))




# Every write endpoint calls the record's level `classification`; `distribution` is accepted
# as its other name.
CLASSIFICATION = Field(Classification.RESTRICTED,
                        validation_alias=AliasChoices("classification", "distribution"))



def download(table: Any, file_format: str, stem: str) -> HttpResponse:
    stream = io.BytesIO()
    exports.write_table(table, file_format, stream)
    response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response



def visible_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """`queryset` is narrowed by core.access already; a hidden record is a missing one."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404("No such record.")
    return found
