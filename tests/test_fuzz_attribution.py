"""Each failed schemathesis check fails the clause that check verifies, and no other.

The fuzz runs all checks in one ``validate_response`` call and places each failure by the check
that reports it; where a failure could come from two checks it asks each check on its own.
"""

from __future__ import annotations

import pytest
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.specs.openapi.checks import JsonSchemaError, MissingContentType, UndefinedStatusCode

from accord.fuzz import by_check


def failure(kind: type[Failure]) -> Failure:
    """An instance without the kind's own constructor arguments: only its class matters here."""
    made = Failure.__new__(kind)
    Failure.__init__(made, operation="GET /x", message="broken")
    return made


def test_failures_are_placed_by_the_check_that_reports_them():
    server, status, schema = failure(ServerError), failure(UndefinedStatusCode), failure(JsonSchemaError)
    assert by_check(FailureGroup([server, status, schema])) == {
        "not_a_server_error": [server],
        "status_code_conformance": [status],
        "response_schema_conformance": [schema],
    }
    assert by_check(server) == {"not_a_server_error": [server]}


@pytest.mark.parametrize("ambiguous", [failure(MissingContentType), AssertionError("a plain assertion")])
def test_a_failure_two_checks_report_or_none_is_not_guessed(ambiguous):
    assert by_check(ambiguous) is None
    assert by_check(FailureGroup([failure(ServerError), ambiguous])) is None
