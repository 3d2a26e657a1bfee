"""One hierarchy of service refusals (core.errors) and the one API handler that answers them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from hofburg.core.access import AccessDenied
from hofburg.core.api import PROBLEM_CONTENT_TYPE, _on_refused, api_field_names
from hofburg.core.errors import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from hofburg.core.services.accounts import AccountError
from hofburg.core.services.users import TokenError
from hofburg.csbm.services import CsbmError
from hofburg.documents.services import DocumentError
from hofburg.monitoring import errors as monitoring

PATH = "/api/v1/somewhere"


def _answer(error: ServiceError) -> tuple[HttpResponse, dict[str, Any]]:
    response = _on_refused(RequestFactory().post(PATH), error)
    return response, json.loads(response.content)


@pytest.mark.parametrize(("error", "status", "title"), [
    (ServiceError("Refused."), 422, "Invalid request"),
    (Invalid("Refused."), 422, "Invalid request"),
    (Conflict("Taken."), 409, "Conflict"),
    (NotFound("No such record."), 404, "Not found"),
    (NotAllowed("Not yours."), 403, "Forbidden"),
])
def test_each_kind_of_refusal_is_problem_json_with_its_status(
        error: ServiceError, status: int, title: str) -> None:
    response, body = _answer(error)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert body == {"type": "about:blank", "title": title, "status": status,
                    "detail": error.message, "instance": PATH}


def test_a_refusal_naming_a_field_names_it_twice_as_the_validation_errors_do() -> None:
    response, body = _answer(Invalid("Must not be before start.", field="end"))
    assert response.status_code == 422
    assert body["detail"] == "Must not be before start."
    assert body["field"] == "end"
    assert body["errors"] == [{"field": "end", "message": "Must not be before start."}]


@pytest.mark.parametrize(("error", "kind", "status"), [
    (CsbmError("state", "Unknown."), Invalid, 422),
    (DocumentError("symbol", "Unknown."), Invalid, 422),
    (AccountError("the username 'x' is taken"), Invalid, 422),
    (TokenError("Give the token a name."), Invalid, 422),
    (monitoring.SubmissionInvalid("category", "Unknown."), Invalid, 422),
    (monitoring.SubmissionConflict("this client id was used by another user"), Conflict, 409),
    (monitoring.WorkflowError("an event is verified before it is published"), Conflict, 409),
    (monitoring.MonitoringError("the file cannot be read"), ServiceError, 422),
    (AccessDenied("Only editors of the delegation of AT may do this."), NotAllowed, 403),
])
def test_each_desk_refusal_belongs_to_the_hierarchy(
        error: ServiceError, kind: type[ServiceError], status: int) -> None:
    assert isinstance(error, kind)
    assert _answer(error)[0].status_code == status


def test_the_desks_keep_their_messages_and_fields_for_pages_and_the_command_line() -> None:
    error = CsbmError("sent_on", "Too early.")
    assert (error.field, error.message, str(error)) == ("sent_on", "Too early.",
                                                        "sent_on: Too early.")
    assert str(monitoring.SubmissionConflict("taken")) == "taken"
    # A refusal of input is still a ValueError, as it was before the hierarchy.
    assert isinstance(error, ValueError)
    assert isinstance(monitoring.SubmissionConflict("taken"), ValueError)


def test_an_endpoint_may_give_a_service_field_its_own_name() -> None:
    with pytest.raises(DocumentError) as raised, api_field_names(
            {"classification": "distribution"}):
        raise DocumentError("classification", "Not a level.")
    assert raised.value.field == "distribution"
    with pytest.raises(DocumentError) as kept, api_field_names(
            {"classification": "distribution"}):
        raise DocumentError("symbol", "Not a symbol.")
    assert kept.value.field == "symbol"
