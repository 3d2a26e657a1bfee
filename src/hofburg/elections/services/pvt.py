"""Setting up a mission's parallel vote tabulation: which form carries the results, which of
its fields count each candidate's votes, the strata, the sampled stations and the valid-report
rule. The mission's managers (core team, the owner's editors) set it up; setting the same again
changes nothing but the time."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid
from hofburg.core.services.audit import record_change
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Mission, PvtSetup

# The frame's columns a PVT may stratify by (the sample command's --strata).
STRATA_COLUMNS = ("region", "urban_rural")
# The results form's fields with a fixed meaning; a candidate field is any other.
RESULT_FIELDS = ("station_id", "registered", "valid", "rejected", "blank")


def set_up_pvt(user: AnyUser | None, mission: Mission, *, form_id: str,
               candidates: Sequence[str], strata: Sequence[str], sample: Sequence[str],
               min_valid: int = 1, require_registered: bool = False) -> PvtSetup:
    """Store the mission's PVT set-up (replacing the previous one). `user` None is the operator
    at the server's command line."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may set up the PVT.")
    fields = {q["name"] for f in mission.forms.filter(form_id=form_id) for q in f.questions}
    if not fields:
        raise Invalid(f"No form {form_id!r} on this mission.", field="form_id")
    for needed in ("station_id", "valid"):
        if needed not in fields:
            raise Invalid(f"The results form has no {needed} field.", field="form_id")
    names = [c.strip() for c in candidates if c.strip()]
    if not 1 <= len(names) <= bounds.MAX_CANDIDATES or len(set(names)) != len(names):
        raise Invalid(f"1 to {bounds.MAX_CANDIDATES} different candidate fields.",
                      field="candidates")
    wrong = [c for c in names if c not in fields or c in RESULT_FIELDS]
    if wrong:
        raise Invalid(f"Not a candidate field of the form: {', '.join(wrong)}.",
                      field="candidates")
    if not strata or len(set(strata)) != len(strata) or any(
            s not in STRATA_COLUMNS for s in strata):
        raise Invalid(f"One or both of {', '.join(STRATA_COLUMNS)}.", field="strata")
    ids = [s.strip() for s in sample if s.strip()]
    if not 2 <= len(ids) <= bounds.MAX_FRAME_ROWS or len(set(ids)) != len(ids):
        raise Invalid(f"2 to {bounds.MAX_FRAME_ROWS} different station ids.", field="sample")
    known = set(mission.stations.filter(station_id__in=ids).values_list("station_id",
                                                                          flat=True))
    missing = [s for s in ids if s not in known]
    if missing:
        shown = ", ".join(missing[:bounds.MAX_ERRORS_SHOWN])
        raise Invalid(f"Not in the mission's frame: {shown}"
                      + (f" and {len(missing) - bounds.MAX_ERRORS_SHOWN} more"
                         if len(missing) > bounds.MAX_ERRORS_SHOWN else "") + ".",
                      field="sample")
    if not 1 <= min_valid <= bounds.MAX_VALID_VOTES:
        raise Invalid(f"1 to {bounds.MAX_VALID_VOTES}.", field="min_valid")
    values = {"form_id": form_id, "candidates": names, "strata": list(strata),
              "sample": sorted(ids), "min_valid": min_valid,
              "require_registered": require_registered,
              "updated_by": user if user is not None and user.is_authenticated else None}
    with transaction.atomic():
        before = PvtSetup.objects.filter(mission=mission).first()
        found, _created = PvtSetup.objects.update_or_create(mission=mission, defaults=values)
        record_change(user, "pvt", mission,
                      None if before is None else _summary(before), _summary(found))
    return found


def _summary(setup: PvtSetup) -> dict[str, object]:
    return {"form_id": setup.form_id, "candidates": setup.candidates, "strata": setup.strata,
            "sampled": len(setup.sample), "min_valid": setup.min_valid,
            "require_registered": setup.require_registered}
