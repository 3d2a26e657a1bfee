"""Accounts made by `core.services.accounts`: the demo loaders' recording accounts
(`ensure_actor`) never sign in, so nothing is hashed for them, and they are made once."""

from __future__ import annotations

import pytest
from django.test import Client

from hofburg.core.models import AuditEntry, User
from hofburg.core.services.accounts import AccountError, create_account, ensure_actor

pytestmark = pytest.mark.django_db


def test_an_actor_is_made_once_with_an_unusable_password(cast: object) -> None:
    made = ensure_actor("exercise-recorder", affiliation_code="cpc", roles=["reader", "editor"])
    assert made.affiliation is not None and made.affiliation.code == "cpc"
    assert made.roles == ["editor", "reader"]
    assert not made.has_usable_password() and made.password.startswith("!")
    assert ensure_actor("exercise-recorder", affiliation_code="cpc", roles=["reader"]) == made
    assert User.objects.filter(username="exercise-recorder").count() == 1
    entry = AuditEntry.objects.get(model_label="core.User", object_id=str(made.pk))
    assert entry.action == "create" and "password" not in (entry.after or {})
    # No password opens it, the empty one included.
    for password in ("", "!", made.password):
        assert not Client().login(username="exercise-recorder", password=password)


def test_an_actor_is_refused_as_any_account_would_be(cast: object) -> None:
    with pytest.raises(AccountError, match="unknown affiliation"):
        ensure_actor("exercise-recorder", affiliation_code="no-such", roles=["reader"])
    with pytest.raises(AccountError, match="unknown role"):
        ensure_actor("exercise-recorder", affiliation_code="cpc", roles=["overlord"])
    assert not User.objects.filter(username="exercise-recorder").exists()


def test_an_account_that_signs_in_still_gets_a_checked_password(cast: object) -> None:
    with pytest.raises(AccountError, match="weak password"):
        create_account("weakling", affiliation_code="cpc", roles=["reader"], password="abc")
    user, password = create_account("strong", affiliation_code="cpc", roles=["reader"])
    assert user.has_usable_password() and user.check_password(password) and len(password) >= 12
