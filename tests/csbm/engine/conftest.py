"""Fixtures for the CSBM engine tests: each shipped ruleset by name."""

from __future__ import annotations

import pytest

from hofburg.csbm.engine.rulesets import Ruleset
from tests.csbm.engine.support import RULESETS


@pytest.fixture
def vd2011() -> Ruleset:
    return RULESETS["vd2011"]


@pytest.fixture
def vd1999() -> Ruleset:
    return RULESETS["vd1999"]


@pytest.fixture
def vdplus() -> Ruleset:
    return RULESETS["vd2011-vdplus"]


@pytest.fixture
def joint_2019() -> Ruleset:
    return RULESETS["joint-proposal-2019"]


@pytest.fixture
def proposal_2016() -> Ruleset:
    return RULESETS["proposal-2016"]
