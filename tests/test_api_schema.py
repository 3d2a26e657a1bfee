"""The whole API under generated input: schemathesis reads /api/v1/openapi.json and sends every
operation values at and beyond the bounds the document states. No answer may be a 5xx, and every
error answer is problem+json.

Bounded and repeatable: a fixed number of examples per operation, derandomized, so the module
runs in about a minute. Each example is sent twice: anonymously and with an editor's token, on a
database holding a little of every desk's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from hofburg.core.models import Classification
from hofburg.core.services.users import issue_api_token
from hofburg.csbm import services as csbm_services
from hofburg.monitoring.importing import pipeline
from hofburg.registry.models import ParticipatingState
from hofburg.wsgi import application
from tests.cases.samples import store_cases_sample
from tests.conftest import Cast
from tests.decisions.samples_drafts import store_drafts_sample
from tests.decisions.samples_invocations import store_invocations_sample
from tests.decisions.samples_meetings import store_meetings_sample
from tests.decisions.samples_rounds import store_rounds_sample
from tests.decisions.samples_statements import store_statements_sample
from tests.elections.samples import store_elections_sample
from tests.monitoring.rows import same_explosion, write_csv
from tests.projects.samples import make_world

EXAMPLES = 8  # per operation; about 60 operations

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The explicit examples and the generated ones (valid and invalid, edges included); the coverage
# phase's exhaustive combinations would take minutes on every run.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def open_connection() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: the
    WSGI app would close it at the end of each request (inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast: Cast, tmp_path: Any, open_connection: None, settings: Any) -> str:
    """An editor's token, on a database with a State, an activity, an exchange and events."""
    for iso2, iso3, numeric, name in (("AT", "AUT", "040", "Austria"),
                                      ("FI", "FIN", "246", "Finland")):
        ParticipatingState.objects.create(iso2=iso2, iso3=iso3, numeric=numeric,
                                          joined=date(1973, 6, 25), names={"en": name},
                                          source="test")
    csbm_services.record_activity(cast.alice, csbm_services.ActivityRecord(
        state="AT", reference="AT-2026-1", name="EXERCISE Alpine", type="land",
        start=date(2026, 5, 1), end=date(2026, 5, 10), classification=Classification.PUBLIC,
        details={"troops": 12_000}))
    csbm_services.submit_exchange(cast.alice, csbm_services.ExchangeSubmission(
        state="AT", year=2026, submitted_on=date(2025, 12, 10),
        units=[csbm_services.UnitIn("1. Brigade", personnel=3000)],
        holdings=[csbm_services.HoldingIn("battle_tanks", 40, unit="1. Brigade")],
        classification=Classification.PUBLIC))
    pipeline.import_observations(write_csv(tmp_path / "obs.csv", same_explosion()),
                                            is_exercise=True)
    store_meetings_sample(cast)
    store_statements_sample(cast)
    store_drafts_sample(cast)
    store_rounds_sample(cast.mona)
    store_invocations_sample(cast)
    make_world(cast)
    store_elections_sample(cast)
    settings.CASES_KEYS, settings.CASES_KEY_FILE = "", tmp_path / "cases.keys"
    store_cases_sample(cast)
    _token, key = issue_api_token(cast.alice, "schema run")
    return key


def _problem_if_error(response: Any) -> None:
    if response.status_code >= 400:
        headers = {name.lower(): value for name, value in response.headers.items()}
        content_type = headers.get("content-type", [""])
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (
            case_summary(response), content_type)


def case_summary(response: Any) -> str:
    request = response.request
    return f"{request.method} {request.url} -> {response.status_code}"


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_input_gives_a_server_error(case: Any, token: str) -> None:
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        _problem_if_error(response)


def test_the_document_states_the_bounds_of_every_page() -> None:
    """Every paginated list caps `limit` and `offset`, so no client asks for a million rows."""
    document = schema.raw_schema
    paged = 0
    for path, operations in document["paths"].items():
        for operation in operations.values():
            parameters = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
            if "limit" in parameters:
                paged += 1
                assert "maximum" in parameters["limit"], path
                assert "maximum" in parameters["offset"], path
    assert paged >= 10
