"""Invocations of the mechanisms States invoke alone, for tests: the registry's States and a
Partner (from `samples_drafts.make_desk`), one invocation as a test wants it, a sample for the
schema run.

The cast of tests/conftest.py records them: alice for Austria's delegation (AT), bob for
Finland's (FI); sam of samples_drafts is a Secretariat editor, jun a Partner's (Japan)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hofburg.core.models import Classification, User
from hofburg.decisions.models import Invocation
from hofburg.decisions.services.invocations import InvocationInput, record_invocation
from tests.conftest import Cast
from tests.decisions.samples_drafts import Desk, make_desk

__all__ = ["Desk", "an_invocation", "make_desk", "store_invocations_sample"]


def an_invocation(user: User, **given: Any) -> Invocation:
    """An invocation recorded by `user` through the service: the Moscow Mechanism invoked by
    Austria on 2 March 2026, restricted, unless `given` says otherwise."""
    fields: dict[str, Any] = {
        "mechanism": "moscow", "states": ["AT"], "invoked_on": date(2026, 3, 2),
        "summary": "Invoked to request information on a question of the human dimension.",
        "classification": Classification.RESTRICTED, **given}
    return record_invocation(user, InvocationInput(**fields))


def store_invocations_sample(cast: Cast) -> None:
    """For the schema run: a public and a confidential invocation, Austria's."""
    make_desk(cast)
    an_invocation(cast.alice, classification=Classification.PUBLIC, source="PC.DEL/12/26")
    an_invocation(cast.alice, mechanism="vienna_human_dimension", states=["AT", "FI"],
                  classification=Classification.CONFIDENTIAL)
