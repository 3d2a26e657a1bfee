"""Receiving filled-in forms, whatever the channel, into one store.

A submission names its form by the root element's `id` and `version` (as ODK Collect and
Enketo send it) and itself by `meta/instanceID`. Resubmitting the same instance (a client
retrying after a lost answer, or sending the rest of its media) never makes a second record:
the stored one is returned, with any media part it did not have yet. The same instance id with
different answers is refused (409). The record is committed before the caller answers, so an
acknowledged submission is a stored one.

A data clerk's entry of a paper or phoned-in form (`receive_clerk_entry`) is stored the same
way, with its channel, the device `clerk entry` and the time the form was filled in as the
clerk gives it, within the bounds of `check_captured_at` (decision 0071).

Media parts (the files of `image` and `audio` answers) are bounded in `bounds`: a file name
without a path, an accepted extension (stored with that extension's type, whatever the client
declared), at most `MAX_ATTACHMENT_BYTES` each and `MAX_ATTACHMENTS` per submission over all
its requests. A part out of bounds refuses the whole request, storing nothing. A file already
stored under its name is kept as it is: a retry, or the next request of a record sent in parts,
adds only the files the record did not have yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.trust import Trusted
from hofburg.elections import bounds, permissions
from hofburg.elections.models import (
    CLERK_CHANNELS,
    Attachment,
    Form,
    Member,
    Mission,
    Submission,
)

STATION_FIELDS = ("station_id", "station", "polling_station")


@dataclass(frozen=True)
class Media:
    name: str
    content_type: str
    content: bytes


def media_type(name: str) -> str | None:
    """The type a media file is stored and served with, by its extension; None if refused."""
    stem, dot, extension = name.rpartition(".")
    return bounds.ATTACHMENT_TYPES.get(extension.lower()) if dot and stem else None


def checked_media(media: tuple[Media, ...]) -> tuple[Media, ...]:
    """The media parts within the desk's bounds, typed by extension; Invalid for the first that
    is not."""
    if len(media) > bounds.MAX_ATTACHMENTS:
        raise Invalid(f"At most {bounds.MAX_ATTACHMENTS} files with one submission.",
                      field="media")
    checked: dict[str, Media] = {}
    for part in media:
        name = part.name
        if (not name or len(name) > bounds.MAX_ATTACHMENT_NAME_LENGTH
                or any(c in name for c in '/\\') or name.startswith(".")
                or any(ord(c) < 32 for c in name)):
            raise Invalid(f"Not a file name: {name[:80]!r}.", field="media")
        kind = media_type(name)
        if kind is None:
            raise Invalid(f"{name}: only photos and sound recordings are accepted (files ending "
                          f"in {', '.join('.' + e for e in sorted(bounds.ATTACHMENT_TYPES))}).",
                          field="media")
        if not part.content:
            raise Invalid(f"{name}: the file is empty.", field="media")
        if len(part.content) > bounds.MAX_ATTACHMENT_BYTES:
            raise Invalid(f"{name}: larger than {bounds.MAX_ATTACHMENT_BYTES // 2**20} MB.",
                          field="media")
        if name in checked:
            raise Invalid(f"{name}: sent twice in one request.", field="media")
        checked[name] = Media(name, kind, part.content)
    return tuple(checked.values())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _flatten(element: Element, into: dict[str, Any]) -> None:
    for child in element:
        name = _local(child.tag)
        if len(child):
            _flatten(child, into)
        else:
            into[name] = (child.text or "").strip() or None


def parse_submission(xml: bytes) -> tuple[str, str, str, dict[str, Any]]:
    """(form_id, version, instance_id, answers) of a submission's XML; Invalid if it is not one."""
    if len(xml) > bounds.MAX_SUBMISSION_XML_BYTES:
        raise Invalid("The submission XML is too large.", field="xml_submission_file")
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise Invalid(f"The submission is not well-formed XML: {exc}",
                      field="xml_submission_file") from exc
    form_id = root.get("id", "")
    version = root.get("version", "")
    if not form_id:
        raise Invalid("The submission names no form (the root element has no id).",
                      field="xml_submission_file")
    answers: dict[str, Any] = {}
    _flatten(root, answers)
    instance_id = str(answers.pop("instanceID", None) or "")
    if not instance_id or len(instance_id) > bounds.MAX_INSTANCE_ID_LENGTH:
        raise Invalid("The submission has no meta/instanceID.", field="xml_submission_file")
    for meta in ("deprecatedID", "instanceName", "timeStart", "timeEnd"):
        answers.pop(meta, None)
    return form_id, version, instance_id, answers


def form_for_submission(user: AnyUser, form_id: str, version: str) -> Form:
    """The form a submission names, if `user` may submit to it: NotFound when it is missing or
    its mission hidden from `user`, NotAllowed when `user` sees the mission but is not on it."""
    return _form_and_team(user, form_id, version)[0]


def _form_and_team(user: AnyUser, form_id: str, version: str) -> tuple[Form, str]:
    """The form (as `form_for_submission`) and the sender's team on its mission ("" if none)."""
    form = next(iter(Form.objects.select_related("mission")
                     .filter(form_id=form_id, version=version)[:1]), None)
    if form is None or not access.can_view(user, form.mission):
        raise NotFound(f"No form {form_id} version {version or '(none)'}.", field="form")
    membership = next(iter(Member.objects.filter(mission_id=form.mission_id, user_id=user.pk)
                           .values_list("team", flat=True)[:1]), None) \
        if user.is_authenticated else None
    if membership is None and not access.can_edit(user, form.mission):
        raise AccessDenied("You are not on this mission.", field="form")
    return form, membership or ""


# (user, form id, version) -> (form, mission, team) as `_form_and_team` last decided (core.trust):
# on election day each observer sends form after form to the same one.
_senders: Trusted[tuple[int | None, str, str], tuple[int, int, str]] = Trusted()


def _trusted_form_and_team(user: AnyUser, form_id: str, version: str) -> tuple[Form, str]:
    """`_form_and_team`, or what it answered for the same sender and form in the last few
    seconds (a Form carrying only its key and mission's: all a submission needs)."""
    key = (user.pk, form_id, version)
    kept = _senders.get(key)
    if kept is not None:
        form_pk, mission_pk, team = kept
        return Form(pk=form_pk, mission_id=mission_pk), team
    form, team = _form_and_team(user, form_id, version)
    _senders.put(key, (form.pk, form.mission_id, team))
    return form, team


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        return None
    if parsed is None or timezone.is_naive(parsed):
        return None
    return parsed


def receive(user: AnyUser, xml: bytes, *, media: tuple[Media, ...] = (),
            channel: str = Submission.Channel.ODK, device: str = "",
            mission: Mission | None = None,
            captured_at: datetime | None = None) -> tuple[Submission, bool]:
    """Store one submission; (submission, created). Refusals change nothing. `captured_at`,
    when given (a clerk's entry, checked by `receive_clerk_entry`), stands for the form's own
    `end`/`start`."""
    if channel not in Submission.Channel.values:
        raise Invalid(f"Unknown channel {channel!r}.", field="channel")
    if len(device) > bounds.MAX_DEVICE_LENGTH:
        raise Invalid(f"At most {bounds.MAX_DEVICE_LENGTH} characters.", field="device")
    media = checked_media(media)
    form_id, version, instance_id, answers = parse_submission(xml)
    form, team = _trusted_form_and_team(user, form_id, version)
    if mission is not None and form.mission_id != mission.pk:
        raise NotFound(f"No form {form_id} on this mission.", field="form")
    text = xml.decode("utf-8", errors="replace")
    station = next((str(answers[f]) for f in STATION_FIELDS if answers.get(f)), "")
    team = team or str(answers.get("team") or "")
    try:
        # The common case first: a new instance is one insert; a retry hits the unique key.
        with transaction.atomic():
            created = Submission.objects.create(
                form=form, instance_id=instance_id, xml=text, data=answers,
                station_id=station[:bounds.MAX_STATION_ID_LENGTH],
                team=team[:bounds.MAX_CODE_LENGTH],
                submitted_by=user if user.is_authenticated else None, channel=channel,
                device=device or str(answers.get("deviceid") or "")[:bounds.MAX_DEVICE_LENGTH],
                captured_at=captured_at or _when(answers.get("end") or answers.get("start")),
                received_at=timezone.now())
            _attach(created, media, new=True)
        return created, True
    except IntegrityError:
        existing = Submission.objects.filter(instance_id=instance_id).first()
        if existing is None:
            raise
    if existing.form_id != form.pk or existing.data != answers:
        raise Conflict(f"The instance {instance_id} was received with other answers.",
                       field="xml_submission_file")
    with transaction.atomic():
        _attach(existing, media)
    return existing, False


def _attach(submission: Submission, media: tuple[Media, ...], *, new: bool = False) -> None:
    if not media:
        return
    have = set() if new else set(submission.attachments.values_list("name", flat=True))
    if len(have | {m.name for m in media}) > bounds.MAX_ATTACHMENTS:
        raise Invalid(f"At most {bounds.MAX_ATTACHMENTS} files with one submission.",
                      field="media")
    Attachment.objects.bulk_create([
        Attachment(submission=submission, name=m.name[:255], content_type=m.content_type[:100],
                   content=m.content)
        for m in media if m.name not in have])


CLERK_DEVICE = "clerk entry"
# What a clerk enters for observers: the web page offers paper and phone (CLERK_CHANNELS); the
# API takes digital-pen forms too, which an import enters on the pen's behalf.
ENTRY_CHANNELS = (*CLERK_CHANNELS, Submission.Channel.PEN.value)


def captured_at_limits(mission: Mission, now: datetime | None = None
                       ) -> tuple[datetime, datetime]:
    """The earliest and latest "captured at" a clerk may give on `mission` (bounds.py)."""
    return mission.created_at, (now or timezone.now()) + CLOCK_SKEW


def check_captured_at(mission: Mission, captured_at: datetime) -> datetime:
    """`captured_at` if it lies within `captured_at_limits`; Invalid (field `captured_at`)."""
    if timezone.is_naive(captured_at):
        raise Invalid("The time needs its zone.", field="captured_at")
    earliest, latest = captured_at_limits(mission)
    if captured_at > latest:
        raise Invalid("The form cannot have been filled in later than now.",
                      field="captured_at")
    if captured_at < earliest:
        raise Invalid(f"The form cannot have been filled in before the mission was set up "
                      f"({earliest.isoformat(timespec='minutes')}).", field="captured_at")
    return captured_at


def receive_clerk_entry(user: AnyUser, mission: Mission, xml: bytes, *,
                        media: tuple[Media, ...] = (), channel: str,
                        captured_at: datetime | None, device: str = CLERK_DEVICE
                        ) -> tuple[Submission, bool]:
    """A form a data clerk enters for an observer: a paper form, one phoned in (or a digital
    pen's), with the time it was filled in (`captured_at`, in place of the entry's own times;
    None keeps the form's). Stored through `receive`, so idempotent on the instance id like
    every channel. For the mission's clerks and core team (`permissions.may_enter_as_clerk`)."""
    if not permissions.may_enter_as_clerk(user, mission):
        raise AccessDenied("Only the mission's data clerks and core team enter forms for "
                           "observers.", field="channel")
    if channel not in ENTRY_CHANNELS:
        raise Invalid(f"A clerk enters paper, phoned-in or digital-pen forms, not {channel!r}.",
                      field="channel")
    if captured_at is not None:
        captured_at = check_captured_at(mission, captured_at)
    return receive(user, xml, media=media, channel=channel, device=device, mission=mission,
                   captured_at=captured_at)
