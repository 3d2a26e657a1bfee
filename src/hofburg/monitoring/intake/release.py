"""Releasing a reporting period to the public, and taking a publication back.

The public reads a period's figures only once the whole period is released: a period with one
published event must never look like a period of one event, and a period nobody has released
shows as "not yet released", never as 0 (decision 0035). Releasing publishes every verified
public event of the period at once; it is refused while a public event of the period is still
provisional or has a member observation that nobody has verified, so what is released is the
whole of what the public may read of that period. An event verified after the release is
added to it one at a time (`workflow.publish_event`), and a release or one event's publication
can be withdrawn, with the reason kept in the audit trail. Refusals are notes with their
parameters (`errors.word`), said in the reader's language on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from hofburg.core import access
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.monitoring.errors import SubmissionInvalid, WorkflowError, word
from hofburg.monitoring.events.rollups import apply_rollup_deltas, contribution
from hofburg.monitoring.models import (
    Event,
    EventStatus,
    Observation,
    ObservationStatus,
    PeriodRelease,
)
from hofburg.monitoring.permissions import AnyUser, require_editor, require_submitter
from hofburg.notes import Note, gettext_noop


def is_released(report_date: date) -> bool:
    """Whether the period ending on `report_date` has been released to the public."""
    return PeriodRelease.objects.filter(report_date=report_date).exists()


def released_dates(dates: list[date] | None = None) -> set[date]:
    """The released report dates (among `dates`, when given)."""
    rows = PeriodRelease.objects.all()
    if dates is not None:
        rows = rows.filter(report_date__in=dates)
    return set(rows.values_list("report_date", flat=True))


def unverified_members(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events of `events` with a member observation that is submitted, not verified."""
    waiting = Observation.objects.filter(event=OuterRef("pk"),
                                         status=ObservationStatus.SUBMITTED)
    return events.filter(Exists(waiting))


@dataclass(frozen=True)
class Readiness:
    """What releasing a period would do, as its confirmation shows it.

    Counts of the period's public events only: restricted and confidential events never count
    in the public figures, so they neither block a release nor join it.
    """

    report_date: date
    released: PeriodRelease | None
    ready: int  # verified public events with every member verified: published by the release
    ready_violations: int
    provisional: int  # public events nobody has verified yet
    unverified_members: int  # verified public events with a member still to verify
    published: int  # published already (added after the release)

    @property
    def blocked(self) -> bool:
        return bool(self.provisional or self.unverified_members)


def _public_events(report_date: date) -> QuerySet[Event]:
    return Event.objects.filter(report_date=report_date, classification=Classification.PUBLIC)


def period_readiness(report_date: date) -> Readiness:
    """What the period's public events are ready for (see `Readiness`)."""
    events = _public_events(report_date)
    verified = events.filter(status=EventStatus.VERIFIED)
    waiting = unverified_members(verified)
    ready = verified.exclude(pk__in=waiting.values("pk"))
    return Readiness(
        report_date=report_date,
        released=PeriodRelease.objects.filter(report_date=report_date).first(),
        ready=ready.count(),
        ready_violations=sum(ready.values_list("count_at_least", flat=True)),
        provisional=events.filter(status=EventStatus.PROVISIONAL).count(),
        unverified_members=waiting.count(),
        published=events.filter(status=EventStatus.PUBLISHED).count())


def release_period(user: AnyUser, report_date: date) -> PeriodRelease:
    """Release the period ending on `report_date`: publish every verified public event of it
    and open its figures to the public. An editor of a field operation who may edit every
    event it publishes.

    Refused (WorkflowError, nothing changed) when the period is released already, or while a
    public event of it is provisional or has a member observation not yet verified: the
    figures released are the period's whole public share.
    """
    actor = require_submitter(user)
    with transaction.atomic():
        if PeriodRelease.objects.select_for_update().filter(report_date=report_date).exists():
            raise WorkflowError(_released_already(report_date))
        events = list(_public_events(report_date).select_for_update()
                      .exclude(status=EventStatus.WITHDRAWN))
        provisional = sum(1 for e in events if e.status == EventStatus.PROVISIONAL)
        verified = [e for e in events if e.status == EventStatus.VERIFIED]
        waiting = set(unverified_members(Event.objects.filter(pk__in=[e.pk for e in verified]))
                      .values_list("pk", flat=True))
        if provisional or waiting:
            raise WorkflowError(Note(gettext_noop(
                "the period of {day} cannot be released yet: public events not verified: "
                "{provisional}; verified events with observations not verified: {waiting}"),
                day=report_date, provisional=provisional, waiting=len(waiting)))
        foreign = [e.event_key for e in verified if not access.can_edit(actor, e)]
        if foreign:
            raise WorkflowError(Note(gettext_noop(
                "events of another affiliation wait in this period ({events}): an editor of "
                "theirs releases it"), events=", ".join(foreign[:3])))
        try:
            with transaction.atomic():  # a release made at the same moment wins, once
                release = PeriodRelease.objects.create(report_date=report_date,
                                                       released_by=actor,
                                                       released_at=timezone.now())
        except IntegrityError:
            raise WorkflowError(_released_already(report_date)) from None
        for event in verified:
            set_event_status(actor, event, EventStatus.PUBLISHED, "publish")
        record_change(actor, "release", release, None,
                      {**snapshot(release), "published_events": len(verified)})
    return release


def _released_already(report_date: date) -> Note:
    return Note(gettext_noop("the period of {day} is released already"), day=report_date)


def withdraw_release(user: AnyUser, report_date: date, reason: str) -> int:
    """Take a released period back from the public, with a reason: its published events
    return to verified and its figures to "not yet released". Returns how many events were
    withdrawn from publication."""
    actor = require_submitter(user)
    if not reason.strip():
        raise SubmissionInvalid("reason", Note(gettext_noop("say why the release is withdrawn")))
    with transaction.atomic():
        release = (PeriodRelease.objects.select_for_update()
                   .filter(report_date=report_date).first())
        if release is None:
            raise WorkflowError(Note(gettext_noop("the period of {day} is not released"),
                                     day=report_date))
        events = list(Event.objects.select_for_update()
                      .filter(report_date=report_date, status=EventStatus.PUBLISHED))
        foreign = [e.event_key for e in events if not access.can_edit(actor, e)]
        if foreign:
            raise WorkflowError(Note(gettext_noop(
                "events of another affiliation are published in this period ({events}): an "
                "editor of theirs withdraws it"), events=", ".join(foreign[:3])))
        for event in events:
            set_event_status(actor, event, EventStatus.VERIFIED, "retract", reason)
        record_change(actor, "retract", release, snapshot(release),
                      {"reason": reason.strip(), "withdrawn_events": len(events)})
        release.delete()
    return len(events)


def withdraw_publication(user: AnyUser, event: Event, reason: str) -> Event:
    """Take one published event back from the public (it returns to verified), with a reason;
    its counts leave the published share. The period stays released."""
    actor = require_editor(user, event)
    if not reason.strip():
        raise SubmissionInvalid("reason", Note(gettext_noop(
            "say why the publication is withdrawn")))
    with transaction.atomic():
        record = Event.objects.select_for_update().get(pk=event.pk)
        if record.status != EventStatus.PUBLISHED:
            raise WorkflowError(Note(gettext_noop(
                "only a published event can be withdrawn from publication, not a {status} one"),
                status=word(EventStatus(record.status).label)))
        return set_event_status(actor, record, EventStatus.VERIFIED, "retract", reason)


def check_publishable(record: Event) -> None:
    """Why one event cannot be published now (WorkflowError), if it cannot: it must be
    verified, public, in a released period, and every member observation verified."""
    if record.status != EventStatus.VERIFIED:
        raise WorkflowError(Note(gettext_noop(
            "only a verified event can be published, not a {status} one"),
            status=word(EventStatus(record.status).label)))
    if record.classification != Classification.PUBLIC:
        raise WorkflowError(Note(gettext_noop(
            "only a public event can be published (this one: {classification}): declassify "
            "it first"), classification=word(Classification(record.classification).label)))
    if unverified_members(Event.objects.filter(pk=record.pk)).exists():
        raise WorkflowError(Note(gettext_noop(
            "its observations are not all verified: verify or reject them first")))
    if not is_released(record.report_date):
        raise WorkflowError(Note(gettext_noop(
            "its reporting period ({day}) is not released: release the whole period"),
            day=record.report_date))


def set_event_status(actor: User, record: Event, target: str, action: str,
                reason: str | None = None) -> Event:
    """Move a locked event to `target`, keeping the rollups and the audit trail."""
    before = snapshot(record)
    counted = contribution(record)
    record.status = target
    record.needs_review = False
    record.updated_at = timezone.now()
    record.save(update_fields=["status", "needs_review", "updated_at"])
    after = contribution(record)
    if counted != after and counted is not None and after is not None:
        apply_rollup_deltas([(counted, -1), (after, 1)])
    details = snapshot(record) if reason is None else {**snapshot(record),
                                                       "reason": reason.strip()}
    record_change(actor, action, record, before, details)
    return record
