"""The protection table released (decision 0076): made for a year by a publisher of the owner
affiliation, frozen, and downloaded as it was released.

A table computed at each download from the cases of the moment can be differenced: downloaded
before and after one case is added, it gives that case's gender, age band, citizenship and
type of exploitation, fields of the strictly-confidential level. So the table leaves only as a
release: counted once, when a publisher (`permissions.may_publish_protection`) decides to,
stored with its rows, and returned unchanged by every later download until a publisher
releases the year again, stating why. Each release is numbered within its affiliation, year
and kind (real or exercise), kept, in the audit trail with its reason and in the access log as
a publication; each download is an export in the access log.
"""

from __future__ import annotations

import io

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hofburg.cases import permissions, queries
from hofburg.cases.engine.fields import countable_fields
from hofburg.cases.engine.protection_publication import COLUMNS
from hofburg.cases.models import AccessLog, ProtectionRelease
from hofburg.cases.services.reads import log_access
from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change
from hofburg.core.tables import Table, write_csv

MAX_REASON = 2000  # characters of a release's reason
YEARS = (1990, 2999)  # the years a table may be released for


def release_reason(reason: str) -> str:
    """Every release states why it is made, in 1 to `MAX_REASON` characters."""
    text = (reason or "").strip()
    if not text or len(text) > MAX_REASON:
        raise Invalid(f"every release states its reason, 1 to {MAX_REASON} characters",
                      field="reason")
    if "\x00" in text:
        raise Invalid("holds a NUL character", field="reason")
    return text


def _releases(affiliation_id: int, year: int, exercise: bool) -> QuerySet[ProtectionRelease]:
    return ProtectionRelease.objects.filter(owner_affiliation_id=affiliation_id, year=year,
                                            is_exercise=exercise).order_by("-number")


def release_protection_table(actor: User, year: int, *, exercise: bool, reason: str, k: int,
                             channel: str) -> ProtectionRelease:
    """Count the publisher's affiliation's cases of `year` into the table and keep it as the
    year's release in force (`exercise`: the exercise table, apart). Refused to anyone but a
    publisher, and without a reason."""
    if not permissions.may_publish_protection(actor):
        raise AccessDenied("Only an analyst of the owner affiliation releases its protection "
                           "table.")
    text = release_reason(reason)
    if not YEARS[0] <= year <= YEARS[1]:
        raise Invalid(f"a year from {YEARS[0]} to {YEARS[1]}", field="year")
    owner = actor.affiliation_id or 0  # a publisher has one (`may_publish_protection`)
    try:
        with transaction.atomic():
            latest = _releases(owner, year, exercise).select_for_update().first()
            rows, counted = queries.protection_table(actor, year, k, exercise=exercise)
            release = ProtectionRelease.objects.create(
                owner_affiliation_id=owner, year=year, is_exercise=exercise,
                number=latest.number + 1 if latest else 1, rows=rows, counted=counted, k=k,
                released_by=actor, released_by_label=actor.username,
                released_at=timezone.now(), reason=text)
            record_change(actor, "release", release, None, {
                "year": year, "is_exercise": exercise, "number": release.number,
                "reason": text})
            log_access(actor, AccessLog.Action.PUBLISH, "protection",
                       countable_fields("protection"), counted, channel)
    except IntegrityError as exc:
        raise Conflict("another release of this table was made at the same moment: look at "
                       "it first") from exc
    return release


def latest_release(user: AnyUser, year: int, *, exercise: bool) -> ProtectionRelease | None:
    """The release in force of the user's affiliation for `year`, or None (also for anyone
    without an affiliation: the table is released to staff before it is published)."""
    if not access.is_entitled(user):
        return None
    return _releases(getattr(user, "affiliation_id", 0), year, exercise).first()


def release_csv(user: AnyUser, release: ProtectionRelease, *, channel: str) -> bytes:
    """The release as the CSV file it is published as (`core.tables`), the same bytes at every
    download; the download is an export in the access log."""
    stream = io.BytesIO()
    write_csv(Table("protection", COLUMNS, release.rows), stream)
    log_access(user, AccessLog.Action.EXPORT, "protection", countable_fields("protection"),
               release.counted, channel)
    return stream.getvalue()
