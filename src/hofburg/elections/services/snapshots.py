"""Freezing a form's submissions at the statement's cut-off.

The snapshot holds every submission of the form (all its versions) received at or before the
cut-off, as canonical JSON sorted by instance id, and the SHA-256 of that text: the same
cut-off gives the same content and the same hash, and figures computed from it can be
reproduced later. Forms that arrive after the cut-off go only into later snapshots.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.services.audit import record_change
from hofburg.elections import permissions
from hofburg.elections.engine.pairs import reconcile
from hofburg.elections.models import Form, Mission, Resolution, Snapshot, Submission


def submission_rows(mission: Mission, form_id: str, cutoff: datetime | None = None
                    ) -> list[dict[str, Any]]:
    """The form's submissions (all versions) as plain rows, with the station's region and
    urban/rural from the frame; only those received by `cutoff` when given."""
    rows = []
    stations = {s.station_id: s for s in mission.stations.all()}
    found = Submission.objects.filter(form__mission=mission, form__form_id=form_id)
    if cutoff is not None:
        found = found.filter(received_at__lte=cutoff)
    for sub in found.select_related("form", "submitted_by").order_by("instance_id"):
        station = stations.get(sub.station_id)
        rows.append({
            "instance_id": sub.instance_id, "form_id": form_id, "version": sub.form.version,
            "station_id": sub.station_id, "team": sub.team,
            "submitted_by": sub.submitted_by.username if sub.submitted_by else "",
            "region": station.region if station else "",
            "urban_rural": station.urban_rural if station else "",
            "channel": sub.channel,
            "captured_at": sub.captured_at.isoformat() if sub.captured_at else None,
            "received_at": sub.received_at.isoformat(), "data": sub.data})
    return rows


def resolutions(mission: Mission, form_id: str) -> dict[tuple[str, str, str], str]:
    return {(r.form_id, r.station_id, r.team): r.chosen.instance_id
            for r in Resolution.objects.filter(mission=mission, form_id=form_id)
            .select_related("chosen")}


def frozen_content(mission: Mission, form_id: str, cutoff: datetime) -> tuple[str, int]:
    """The canonical JSON of the snapshot and the number of forms it counts: paired
    observers' duplicates left out, their unresolved conflicts held out and listed."""
    result = reconcile(submission_rows(mission, form_id, cutoff), resolutions(mission, form_id))
    content = {"forms": result.kept, "duplicates": sorted(result.duplicates),
               "conflicts": result.conflicts}
    return (json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
            len(result.kept))


def freeze(user: AnyUser | None, form_id: str, cutoff: datetime) -> Snapshot:
    """The snapshot of `form_id` at `cutoff`, made on first asking and the same thereafter.
    `user` None is the operator at the server's command line."""
    if timezone.is_naive(cutoff):
        raise Invalid("The cut-off needs a time zone offset.", field="cutoff")
    form = Form.objects.select_related("mission").filter(form_id=form_id).first()
    if form is None or (user is not None and not access.can_view(user, form.mission)):
        raise NotFound(f"No form {form_id}.", field="form")
    mission = form.mission
    if user is not None and not (permissions.may_manage(user, mission)
                                 or permissions.may_analyse(user, mission)):
        raise AccessDenied("Only the mission's core team and analysts may freeze figures.")
    if cutoff > timezone.now():
        raise Invalid("The cut-off is in the future.", field="cutoff")
    found = Snapshot.objects.filter(mission=mission, form_id=form_id, cutoff=cutoff).first()
    if found is not None:
        return found
    content, count = frozen_content(mission, form_id, cutoff)
    digest = hashlib.sha256(content.encode()).hexdigest()
    try:
        with transaction.atomic():
            snap = Snapshot.objects.create(mission=mission, form_id=form_id, cutoff=cutoff,
                                           sha256=digest, forms=count, content=content,
                                           created_by=(user if user is not None
                                                       and user.is_authenticated else None))
            record_change(user, "freeze", snap, None,
                          {"form_id": form_id, "cutoff": cutoff.isoformat(), "sha256": digest,
                           "forms": count})
    except IntegrityError:
        return Snapshot.objects.get(mission=mission, form_id=form_id, cutoff=cutoff)
    return snap


def resolve_conflict(user: AnyUser, mission: Mission, form_id: str, station_id: str, team: str,
                     instance_id: str) -> Resolution:
    """An analyst chooses the form that stands for a paired observers' conflict."""
    if not (permissions.may_manage(user, mission) or permissions.may_analyse(user, mission)):
        raise AccessDenied("Only the mission's core team and analysts may resolve conflicts.")
    chosen = Submission.objects.filter(instance_id=instance_id, form__mission=mission,
                                       form__form_id=form_id, station_id=station_id,
                                       team=team).first()
    if chosen is None:
        raise Invalid("That form is not one of the pair.", field="instance_id")
    with transaction.atomic():
        found, _created = Resolution.objects.update_or_create(
            mission=mission, form_id=form_id, station_id=station_id, team=team,
            defaults={"chosen": chosen, "resolved_by": user if user.is_authenticated else None})
        record_change(user, "resolve", found, None,
                      {"form_id": form_id, "station_id": station_id, "team": team,
                       "chosen": instance_id})
    return found
