"""schemathesis over acme's OpenAPI document: form-encoded bodies, the run's own records only."""

from __future__ import annotations

import pytest

from accord.fuzz import fuzz, operation, operation_ids

CLAUSE_OF_CHECK = {
    "not_a_server_error": "acme.responses.no-server-error",
    "status_code_conformance": "acme.responses.documented-status",
    "content_type_conformance": "acme.responses.documented-status",
    "response_schema_conformance": "acme.responses.schema-conformance",
}
# DELETE is fuzzed only against a record made for it: one per case would cost a create each.
LABELS = [label for label in operation_ids(__import__("accord.contracts").contracts.load_contract("acme").openapi_path)
          if not label.startswith("DELETE")]


@pytest.fixture(scope="module")
def owned(client):
    return client.create_ok(name="fuzz target")


@pytest.mark.clause(*dict.fromkeys(CLAUSE_OF_CHECK.values()))
@pytest.mark.parametrize("label", LABELS)
def test_fuzz_operation(label, client, contract, profile, verify, owned):
    def prepare(case):
        """Path ids point at the run's own contact and account; names carry the run tag."""
        case.path_parameters = {**(case.path_parameters or {}), "accountId": client.context["accountId"]}
        if "id" in case.path_parameters:
            case.path_parameters["id"] = owned["id"]
        if isinstance(case.body, dict) and "name" in case.body:
            case.body = {**case.body, "name": client.tagged(str(case.body["name"]))}
        elif isinstance(case.body, dict) and case.method == "POST" and "{id}" not in case.path:
            case.body = {**case.body, "name": client.tagged("fuzz")}

    fuzz(operation(contract.openapi_path, label), client.session, examples=profile.fuzz_examples,
         boundaries=profile.fuzz_boundaries, verify=verify, clause_of_check=CLAUSE_OF_CHECK, prepare=prepare,
         path_parameters={"accountId": client.context["accountId"], "id": owned["id"]})
