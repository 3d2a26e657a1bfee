"""Attaching a photo to an observation: bounded, without its location unless kept, stored once.

The monitor's device sends each photo of a record after the record itself, one per request,
under the record's client id (decision 0058). A photo is checked against `bounds` before
anything is looked up, its location metadata is taken out (`engine.photos`) unless the monitor
asked to keep it, and it is stored with the SHA-256 of what is stored. The same photo sent
again (a retry after a lost answer, a record sent twice) is the same bytes after stripping,
hence the same digest: the stored photo is returned and nothing new is written, also when the
copies arrive at once (the unique observation and digest settle it), as the election desk adds
only the media a submission does not hold yet (decision 0051).
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from hofburg.core.errors import NotFound
from hofburg.core.services.audit import record_change
from hofburg.monitoring import bounds
from hofburg.monitoring.engine.photos import (
    EXTENSIONS,
    PhotoError,
    kept_as_taken,
    strip_location,
)
from hofburg.monitoring.errors import SubmissionInvalid
from hofburg.monitoring.models import Observation, ObservationPhoto
from hofburg.monitoring.permissions import AnyUser, require_submitter

FIELD = "photo"


def attach_photo(user: AnyUser, client_id: str, name: str, content: bytes, *,
                 keep_location: bool = False) -> tuple[ObservationPhoto, bool]:
    """Store `content` with the observation the user submitted under `client_id`;
    (the photo, True if new).

    Refuses, having stored nothing: AccessDenied (not a monitor), SubmissionInvalid (out of
    the bounds, not a JPEG, PNG or WebP photo, a sixth photo), NotFound (no observation of
    this user under that client id: not sent yet, or another's, which is the same answer).
    """
    actor = require_submitter(user)
    checked_name = _checked_name(name)
    if not content:
        raise SubmissionInvalid(FIELD, f"{checked_name}: the file is empty.")
    if len(content) > bounds.MAX_PHOTO_BYTES:
        raise SubmissionInvalid(
            FIELD, f"{checked_name}: larger than {bounds.MAX_PHOTO_BYTES // 2**20} MB.")
    try:
        photo = kept_as_taken(content) if keep_location else strip_location(content)
    except PhotoError as error:
        raise SubmissionInvalid(FIELD, f"{checked_name}: {error} (photos are accepted as "
                                       f"JPEG, PNG or WebP).") from None
    observation = Observation.objects.filter(client_id=client_id,
                                             submitted_by=actor).only("pk").first()
    if observation is None:
        raise NotFound("No observation of yours has this client id.", field="client_id")
    digest = hashlib.sha256(photo.content).hexdigest()
    stored = ObservationPhoto.objects.filter(observation=observation, sha256=digest).first()
    if stored is not None:
        return stored, False
    stem = checked_name.rpartition(".")[0] or checked_name
    try:
        with transaction.atomic():
            if ObservationPhoto.objects.filter(observation=observation).count() \
                    >= bounds.MAX_PHOTOS:
                raise SubmissionInvalid(
                    FIELD, f"At most {bounds.MAX_PHOTOS} photos with one observation.")
            created = ObservationPhoto.objects.create(
                observation=observation, name=f"{stem}.{EXTENSIONS[photo.format]}"[-255:],
                content_type=photo.media_type, size=len(photo.content), sha256=digest,
                content=photo.content, location_kept=keep_location,
                removed=", ".join(photo.removed)[:100], added_by=actor)
            record_change(actor, "create", created, None, {
                "observation": observation.pk, "name": created.name, "sha256": digest,
                "size": created.size, "location_kept": keep_location,
                "removed": created.removed})
    except IntegrityError:
        # The same photo's other copy was stored first: answer as its retry.
        stored = ObservationPhoto.objects.filter(observation=observation, sha256=digest).first()
        if stored is None:
            raise
        return stored, False
    return created, True


def _checked_name(name: str) -> str:
    """The file's name without any folder; SubmissionInvalid for one that is not a name."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if (not base or len(base) > bounds.MAX_PHOTO_NAME_LENGTH or base.startswith(".")
            or any(ord(c) < 32 for c in base)):
        raise SubmissionInvalid(FIELD, f"Not a file name: {name[:80]!r}.")
    return base
