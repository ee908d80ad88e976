"""Spec-driven fuzzing of every documented operation with schemathesis (contracts/korona/openapi.yaml)."""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.fuzz import fuzz, operation, operation_ids

OPENAPI = load_contract("korona").openapi_path
CLAUSE_OF_CHECK = {
    "not_a_server_error": "korona.responses.no-server-error",
    "status_code_conformance": "korona.responses.documented-status",
    "content_type_conformance": "korona.responses.json-content-type",
    "response_schema_conformance": "korona.responses.schema-conformance",
}
COLLECTION = "/accounts/{accountId}/customers"
BATCH_DELETE = f"DELETE {COLLECTION}"


@pytest.fixture(scope="module")
def owned(client):
    """One customer every operation's cases point at (its id, its number)."""
    return client.create_ok("fuzz target")


@pytest.mark.clause(*CLAUSE_OF_CHECK.values())
@pytest.mark.parametrize("label", operation_ids(OPENAPI))
def test_fuzz_operation(label, client, profile, verify, owned, v32):
    if label == BATCH_DELETE and not v32:
        pytest.skip("not applicable: deleteCustomers is not in the seed's documentation (3.2 only)")
    absent = client.absent_customer_id()

    def entry(value, method: str):
        """A batch entry that can name only the run's records: a fresh tagged number for a create, the
        owned customer's number for an update, a tagged number no customer has for a delete."""
        if not isinstance(value, dict):
            return value
        value = {k: v for k, v in value.items() if k != "id"}
        if "lastname" in value or method == "POST":
            value["lastname"] = client.tagged(str(value.get("lastname", "")))
        value["number"] = {"POST": client.number(), "PATCH": owned["number"]}.get(method, f"{client.tag}-no-such-number")
        return value

    def prepare(case):
        """Paths point at the account's own records: GET and PATCH at the owned customer, DELETE at an
        id proved absent; batch entries name only the run's records; auth is the run's. A list read
        without its own revision lists only what changed since the owned customer was created."""
        if case.path_parameters:
            ref = absent if case.method.upper() == "DELETE" else owned["id"]
            case.path_parameters = {**case.path_parameters, "accountId": client.context["accountId"]}
            if "customerIdOrNumber" in case.path_parameters:
                case.path_parameters["customerIdOrNumber"] = ref
        if case.method.upper() == "GET" and case.path == COLLECTION and "revision" not in (case.query or {}):
            case.query = {**(case.query or {}), "revision": owned["revision"] - 1}
        if case.headers:
            case.headers = {k: v for k, v in case.headers.items() if k.lower() != "authorization"}
        if case.path == COLLECTION and isinstance(case.body, list):  # one entry: a batch's entries are alike
            case.body = [entry(item, case.method.upper()) for item in case.body[:1]]
        elif isinstance(case.body, dict):
            case.body = entry(case.body, case.method.upper()) if case.path == COLLECTION else {
                **case.body, **({"lastname": client.tagged(str(case.body["lastname"]))} if "lastname" in case.body else {}),
                **({"number": client.number()} if "number" in case.body else {})}

    # GET and DELETE of one customer take path parameters only, and prepare points those at the run's
    # records: their negative cases would repeat the positive ones request for request.
    modes = ("positive",) if label.split(" ")[0] in ("GET", "DELETE") and label.endswith("}") else ("positive", "negative")
    fuzz(operation(OPENAPI, label), client.session, examples=profile.fuzz_examples, modes=modes,
         boundaries=profile.fuzz_boundaries, verify=verify, clause_of_check=CLAUSE_OF_CHECK, prepare=prepare,
         path_parameters={"accountId": client.context["accountId"],
                          "customerIdOrNumber": absent if label.startswith("DELETE ") else owned["id"]})
