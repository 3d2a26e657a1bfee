"""States that exist only in exercises, beside the 57 participating States of the reference data.

ISO 3166-1 leaves the alpha-2 codes AA, QM to QZ, XA to XZ and ZZ to its users: no real State
has one. The desks' generated exercise data stand in `XE` ("Exercise Republic") wherever a record
needs a State, so that no exercise record says anything about a real State (decision 0071; the
human-dimension desk's exercise jurisdiction is the same code). A desk accepts an exercise code
only on an exercise record.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EXERCISE_STATES: dict[str, Promise] = {
    "XE": _("Exercise Republic (EXERCISE)"),
}


def is_exercise_state(code: str) -> bool:
    """Whether `code` (ISO 3166-1 alpha-2, any case) is one of the exercise States."""
    return code.strip().upper() in EXERCISE_STATES
