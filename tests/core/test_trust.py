"""core.trust: answers kept for a few seconds, bounded, dropped together; a user kept as its
row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model

from hofburg.core import trust
from tests.conftest import Cast


def test_an_answer_is_kept_until_its_seconds_pass(settings: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TRUST_SECONDS = 5
    kept: trust.Trusted[str, int] = trust.Trusted()
    kept.put("a", 1)
    assert kept.get("a") == 1 and kept.get("b") is None
    now = trust.time.monotonic()
    monkeypatch.setattr(trust.time, "monotonic", lambda: now + 5.0)
    assert kept.get("a") is None


def test_no_seconds_keeps_nothing(settings: Any) -> None:
    settings.TRUST_SECONDS = 0
    kept: trust.Trusted[str, int] = trust.Trusted()
    kept.put("a", 1)
    assert kept.get("a") is None


def test_past_the_limit_the_oldest_half_goes(settings: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TRUST_SECONDS = 5
    monkeypatch.setattr(trust.Trusted, "LIMIT", 4)
    kept: trust.Trusted[int, int] = trust.Trusted()
    for key in range(5):
        kept.put(key, key)
    assert [kept.get(key) for key in range(5)] == [None, None, 2, 3, 4]


def test_forgetting_drops_every_answer_of_the_process(settings: Any) -> None:
    settings.TRUST_SECONDS = 5
    one: trust.Trusted[str, int] = trust.Trusted()
    two: trust.Trusted[str, int] = trust.Trusted()
    one.put("a", 1)
    two.put("b", 2)
    trust.forget_everything()
    assert one.get("a") is None and two.get("b") is None


def test_a_user_is_kept_as_its_row_and_each_rebuild_is_a_user_of_its_own(cast: Cast) -> None:
    assert "affiliation" in cast.bob._state.fields_cache  # what a request cached on its user
    row = trust.user_row(cast.bob)
    assert not any(isinstance(value, Model) for value in row)
    first, second = trust.user_from_row(row), trust.user_from_row(row)
    assert first is not second and first is not cast.bob and second is not cast.bob
    for user in (first, second):
        assert (user.pk, user.username, user.password, user.is_active, user.affiliation_id,
                user.roles) == (cast.bob.pk, "bob", cast.bob.password, True,
                                cast.finland.pk, cast.bob.roles)
        assert not user._state.adding  # as read from the database: saving it updates its row
        assert user._state.fields_cache == {}  # nothing cached on the kept user comes along
    assert trust.user_row(first) == row
