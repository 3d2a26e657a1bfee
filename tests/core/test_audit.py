"""The audit trail's entries: an action that would not fit the column is refused on every
database, not only on PostgreSQL."""

from __future__ import annotations

import pytest

from hofburg.core.models import AuditEntry
from hofburg.core.services.audit import record_change
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_a_short_action_is_recorded(cast: Cast) -> None:
    entry = record_change(cast.alice, "issue", cast.austria, None, {"code": "delegation-at"})
    assert (entry.action, entry.actor, entry.model_label) == ("issue", cast.alice,
                                                             "core.Affiliation")


@pytest.mark.parametrize("action", ["", "issue_journal"])
def test_an_action_that_does_not_fit_is_refused_before_anything_is_written(
        cast: Cast, action: str) -> None:
    with pytest.raises(ValueError, match="audit action"):
        record_change(cast.alice, action, cast.austria, None, None)
    assert not AuditEntry.objects.exists()
