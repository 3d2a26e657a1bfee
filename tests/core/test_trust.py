"""core.trust: answers kept for a few seconds, bounded, dropped together."""

from __future__ import annotations

from typing import Any

import pytest

from hofburg.core import trust


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
