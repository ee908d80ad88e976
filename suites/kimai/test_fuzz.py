"""Spec-driven fuzzing of every documented operation with schemathesis (contracts/kimai/openapi.yaml)."""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.fuzz import fuzz, operation, operation_ids

OPENAPI = load_contract("kimai").openapi_path
CLAUSE_OF_CHECK = {
    "not_a_server_error": "kimai.responses.no-server-error",
    "status_code_conformance": "kimai.responses.documented-status",
    "content_type_conformance": "kimai.responses.json-content-type",
    "response_schema_conformance": "kimai.responses.schema-conformance",
}
AUTH_HEADERS = {"authorization", "x-auth-user", "x-auth-token"}


@pytest.fixture(scope="module")
def owned(client):
    """One customer with one rate that every operation's cases point at."""
    customer = client.create_ok(name="fuzz target")
    rate = client.add_rate(customer["id"], {"rate": 1.0}).json()
    return customer, rate


@pytest.mark.clause(*CLAUSE_OF_CHECK.values())
@pytest.mark.parametrize("label", operation_ids(OPENAPI))
def test_fuzz_operation(label, client, profile, verify, owned):
    owned, rate = owned

    def prepare(case):
        """Path ids point at the run's own records; names carry the run tag; auth is the run's.
        A list read without its own ``term`` searches for the run tag: the whole list's conformance
        is test_list's clause, and on a target holding 100,000 customers every unfiltered fuzz read
        would cost seconds (benchmarks/RESULTS.md, scale)."""
        if case.path_parameters:
            case.path_parameters = {**case.path_parameters, "id": owned["id"]}
            if "rateId" in case.path_parameters:
                case.path_parameters["rateId"] = rate.get("id", 0)
        if case.method == "GET" and case.path == "/api/customers" and "term" not in (case.query or {}):
            case.query = {**(case.query or {}), "term": client.tag}
        if case.headers:
            case.headers = {k: v for k, v in case.headers.items() if k.lower() not in AUTH_HEADERS}
        if isinstance(case.body, dict) and case.method in ("POST", "PATCH") and case.path == "/api/customers":
            case.body = {**case.body, "name": client.tagged(str(case.body.get("name", "")))}
        elif isinstance(case.body, dict) and "name" in case.body and case.path == "/api/customers/{id}":
            case.body = {**case.body, "name": client.tagged(str(case.body["name"]))}

    fuzz(operation(OPENAPI, label), client.session, examples=profile.fuzz_examples,
         boundaries=profile.fuzz_boundaries, verify=verify, clause_of_check=CLAUSE_OF_CHECK, prepare=prepare,
         path_parameters={"id": owned["id"], "rateId": rate.get("id", 0)})
