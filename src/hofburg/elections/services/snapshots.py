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
from hofburg.elections.bulk import collector_paused
from hofburg.elections.engine.pairs import reconcile
from hofburg.elections.models import Form, Mission, Resolution, Snapshot, Submission


def submission_rows(mission: Mission, form_id: str, cutoff: datetime | None = None
                    ) -> list[dict[str, Any]]:
    """The form's submissions (all versions) as plain rows, with the station's region and
    urban/rural from the frame; only those received by `cutoff` when given. Read as values in
    one query (no model instances: a snapshot may hold a hundred thousand forms)."""
    stations = {station_id: (region, area) for station_id, region, area in
                mission.stations.values_list("station_id", "region", "urban_rural")}
    found = Submission.objects.filter(form__mission=mission, form__form_id=form_id)
    if cutoff is not None:
        found = found.filter(received_at__lte=cutoff)
    rows = []
    for (instance_id, version, station_id, team, username, channel, captured_at, received_at,
         data) in found.order_by("instance_id").values_list(
            "instance_id", "form__version", "station_id", "team", "submitted_by__username",
            "channel", "captured_at", "received_at", "data").iterator(chunk_size=5000):
        region, area = stations.get(station_id, ("", ""))
        rows.append({
            "instance_id": instance_id, "form_id": form_id, "version": version,
            "station_id": station_id, "team": team, "submitted_by": username or "",
            "region": region, "urban_rural": area, "channel": channel,
            "captured_at": captured_at.isoformat() if captured_at else None,
            "received_at": received_at.isoformat(), "data": data})
    return rows


def resolutions(mission: Mission, form_id: str) -> dict[tuple[str, str, str], str]:
    return {(r.form_id, r.station_id, r.team): r.chosen.instance_id
            for r in Resolution.objects.filter(mission=mission, form_id=form_id)
            .select_related("chosen")}


def frozen_content(mission: Mission, form_id: str, cutoff: datetime) -> tuple[str, int]:
    """The canonical JSON of the snapshot and the number of forms it counts: paired
    observers' duplicates left out, their unresolved conflicts held out and listed."""
    text, content = _frozen(mission, form_id, cutoff)
    return text, len(content["forms"])


def _frozen(mission: Mission, form_id: str, cutoff: datetime) -> tuple[str, dict[str, Any]]:
    """The snapshot's canonical JSON and the content it serialises."""
    chosen = resolutions(mission, form_id)
    with collector_paused():
        result = reconcile(submission_rows(mission, form_id, cutoff), chosen)
        content = {"forms": result.kept, "duplicates": sorted(result.duplicates),
                   "conflicts": result.conflicts}
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, content


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
    content, parsed = _frozen(mission, form_id, cutoff)
    count = len(parsed["forms"])
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
    snap.parsed_content = parsed
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
