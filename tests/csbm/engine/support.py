"""The shipped rulesets and a small activity maker for the CSBM engine tests (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hofburg.csbm.engine.activities import Activity, ActivityType
from hofburg.csbm.engine.rulesets import Ruleset, load_rulesets

RULESETS_DIR = Path(__file__).resolve().parents[3] / "data" / "csbm" / "rulesets"
RULESETS: dict[str, Ruleset] = load_rulesets(RULESETS_DIR)
AGREED = [r for r in RULESETS.values() if not r.is_proposal]
ALL = list(RULESETS.values())

START = date(2026, 9, 14)


def make_activity(**details: Any) -> Activity:
    """An activity of Austria from 14 to 20 September 2026, with nothing in it unless said."""
    values: dict[str, Any] = {
        "id": "exercise", "state": "AT", "type": ActivityType.LAND, "start": START,
        "end": date(2026, 9, 20),
    }
    values.update(details)
    return Activity(**values)
