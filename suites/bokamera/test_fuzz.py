"""Spec-driven fuzzing of the documented operations with schemathesis (contracts/bokamera/openapi.yaml)."""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.fuzz import fuzz, operation, operation_ids

OPENAPI = load_contract("bokamera").openapi_path
CLAUSE_OF_CHECK = {
    "not_a_server_error": "bokamera.requests.any.invalid-type-rejected",
    "status_code_conformance": "bokamera.responses.any.schema-conformance",
    "content_type_conformance": "bokamera.content.any.json",
    "response_schema_conformance": "bokamera.responses.any.schema-conformance",
}
AUTH_HEADERS = {"authorization", "x-api-key"}
# Deleting the record every case points at would leave the later cases nothing to change: the
# delete's clauses are scenarios (test_create_delete, test_routes). Of the predefined /api routes,
# which take the same DTOs, the update is fuzzed (the one ServiceStack's Python client sends); the
# others are test_routes' scenarios, within the quick profile's request budget.
OPERATIONS = [label for label in operation_ids(OPENAPI)
              if not label.startswith("DELETE ") and (not label.split(" ")[1].startswith("/api/") or "Update" in label)]


@pytest.fixture(scope="module")
def owned(client):
    return client.create_ok("fuzz target")


@pytest.mark.clause(*CLAUSE_OF_CHECK.values())
@pytest.mark.parametrize("label", OPERATIONS)
def test_fuzz_operation(label, client, profile, verify, owned):
    def prepare(case):
        """Ids point at the run's own customer, names carry the run tag, auth is the run's, and a
        list reads the run's own customers (the whole list is test_query's)."""
        if case.path_parameters:
            case.path_parameters = {**case.path_parameters, "Id": owned["Id"]}
        if case.headers:
            case.headers = {k: v for k, v in case.headers.items() if k.lower() not in AUTH_HEADERS}
        if case.method == "GET":
            case.query = {**(case.query or {}), "Search": client.tag}
        if case.path == "/api/UpdateCustomer" and not isinstance(case.body, dict):
            # The route names the customer in the body: a body that is no object cannot name the run's
            # own, so the wrong value goes in a property instead (the case stays a wrong-type case).
            value = case.body.decode("utf-8", "replace") if isinstance(case.body, bytes) else case.body
            case.body = {"Firstname": value}
        if isinstance(case.body, dict):
            body = {k: v for k, v in case.body.items() if k.lower() not in ("companyid", "customerid", "id", "lastname")}
            if case.method == "PUT":
                body["Id"] = owned["Id"]
            body["Lastname"] = client.tagged(str(case.body.get("Lastname", ""))) if case.method == "POST" else owned["Lastname"]
            case.body = body

    fuzz(operation(OPENAPI, label), client.session, examples=profile.fuzz_examples,
         boundaries=profile.fuzz_boundaries, verify=verify, clause_of_check=CLAUSE_OF_CHECK, prepare=prepare,
         path_parameters={"Id": owned["Id"]})
