"""Operation ids are what generated clients call: they are unique and they do not move when a
desk's `api` module is split into topic modules."""

from __future__ import annotations

from collections import Counter

from hofburg.api import api


def _operation_ids() -> dict[tuple[str, str], str]:
    schema = api.get_openapi_schema()
    return {(path, method): operation["operationId"]
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()}


def test_every_operation_id_is_unique() -> None:
    counts = Counter(_operation_ids().values())
    assert [name for name, n in counts.items() if n > 1] == []


def test_the_vienna_document_endpoints_keep_their_ids_after_the_split() -> None:
    ids = _operation_ids()
    # Endpoints from four of the topic modules of `hofburg.csbm.api`.
    assert ids[("/api/v1/csbm/activities", "get")] == "hofburg_csbm_api_list_activities"
    assert ids[("/api/v1/csbm/exchanges", "post")] == "hofburg_csbm_api_submit_exchange"
    assert ids[("/api/v1/csbm/visits/{visit_id}/outcome", "post")] == \
        "hofburg_csbm_api_visit_outcome"
    assert ids[("/api/v1/csbm/what-if", "get")] == "hofburg_csbm_api_what_if"
