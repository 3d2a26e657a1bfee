from __future__ import annotations

import pytest

from hofburg.projects.engine.workflow import (
    FINAL,
    IATI_ACTIVITY_STATUS,
    Action,
    Status,
    WorkflowError,
    allowed_actions,
    step,
)


def test_a_project_goes_from_concept_to_closed() -> None:
    status = Status.CONCEPT
    for action in (Action.APPROVE, Action.START, Action.CLOSE):
        status = step(status, action).after
    assert status is Status.CLOSED


def test_a_suspended_project_resumes_into_implementation() -> None:
    assert step("implementation", "suspend").after is Status.SUSPENDED
    assert step("suspended", "resume").after is Status.IMPLEMENTATION


def test_a_step_the_workflow_does_not_have_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(WorkflowError, match="concept cannot close; allowed: approve, cancel"):
        step("concept", "close")
    with pytest.raises(WorkflowError, match="none \\(final\\)"):
        step("closed", "resume")
    with pytest.raises(WorkflowError, match="Unknown action"):
        step("concept", "bless")


def test_final_states_allow_nothing_and_every_state_has_an_iati_status() -> None:
    for status in FINAL:
        assert allowed_actions(status) == []
    assert set(IATI_ACTIVITY_STATUS) == set(Status)
    assert IATI_ACTIVITY_STATUS[Status.CANCELLED] == "5"
