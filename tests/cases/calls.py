"""The desk's API as the tests call it: a write whose answer never repeats a value of the
identity vault, a refusal read as problem+json, and a hidden record compared with a missing
one (the same answer but for the path asked for)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.cases.conftest import OTHER_NAME, SECRET

API = "/api/v1/cases"
NEW_PERSON = {"name": "Xanthippe Vaultonly-Marker", "contacts": "xv-contact@example.org",
              "identity_number": "XV-111222-VAULT", "medical": "xv-medical-marker"}
VAULT_VALUES = [*SECRET.values(), OTHER_NAME, *NEW_PERSON.values()]


def no_vault_value(response: Any) -> None:
    text = response.content.decode() + " ".join(f"{k}: {v}" for k, v in response.items())
    for value in VAULT_VALUES:
        assert value not in text, f"{value!r} in the answer to {response.request['PATH_INFO']}"


def post(headers: dict[str, str], path: str, body: Any, key: str | None = None,
         client: Client | None = None) -> Any:
    """A write's answer under `API`, checked to repeat no value of the vault."""
    extra = {**headers, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    response = (client or Client()).post(f"{API}{path}", json.dumps(body),
                                         content_type="application/json", **extra)
    no_vault_value(response)
    return response


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The problem+json body of a refusal with `status` (naming `field` when given)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    if field is not None:
        assert body["field"] == field, body
    return body


def same_as_missing(hidden: Any, missing: Any) -> None:
    """A record the caller may not see is answered as one that does not exist: the same
    status, body and headers, but for the path asked for (`instance`)."""
    assert hidden.status_code == missing.status_code == 404
    assert hidden["Content-Type"] == missing["Content-Type"] == "application/problem+json"
    first, second = hidden.json(), missing.json()
    first.pop("instance"), second.pop("instance")
    assert first == second
    assert set(hidden.headers) == set(missing.headers)
