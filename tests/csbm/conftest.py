"""Fixtures of the Vienna Document desk's application tests (the engine has its own).

`states` creates a few participating States as reference rows (the registry's loader is
tested on its own); the named cast comes from tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from hofburg.csbm import rulesets
from hofburg.registry.models import ParticipatingState

_STATES = [("AT", "AUT", "040", "Austria"), ("FI", "FIN", "246", "Finland"),
           ("PL", "POL", "616", "Poland"), ("RU", "RUS", "643", "Russian Federation"),
           ("BY", "BLR", "112", "Belarus")]


@dataclass
class States:
    codes: list[str]


@pytest.fixture
def states(db: None) -> States:
    for iso2, iso3, numeric, name in _STATES:
        ParticipatingState.objects.create(iso2=iso2, iso3=iso3, numeric=numeric,
                                          joined=date(1973, 6, 25), names={"en": name},
                                          source="test")
    return States([s[0] for s in _STATES])


@pytest.fixture(autouse=True)
def _rulesets_from_settings() -> None:
    rulesets.clear_cache()
