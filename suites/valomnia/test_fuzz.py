"""Spec-driven fuzzing with schemathesis over contracts/valomnia/openapi.yaml.

Cases point at the run's own customer and carry the run's references. Not fuzzed: the deletes (they
would remove the record every other case points at; the scenarios check them), the upsert (its
generated references would be someone else's), and the login pages on the host root (a generated
login is an attack on an account, not a conformance check).
"""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.fuzz import fuzz, operation

OPENAPI = load_contract("valomnia").openapi_path
CLAUSE_OF_CHECK = {
    "not_a_server_error": "valomnia.responses.no-server-error",
    "content_type_conformance": "valomnia.responses.json-content-type",
    "response_schema_conformance": "valomnia.responses.schema-conformance",
}
# An undocumented status (200 for a create, 201 for an update) breaks the operation's own clause.
STATUS_CLAUSE = {
    "GET /customers": "valomnia.customers.list.returns-page",
    "GET /customers/{id}": "valomnia.customers.show.by-id",
    "POST /customers": "valomnia.customers.create.returns-201",
    "POST /customers/{id}": "valomnia.customers.update.by-id",
}


@pytest.fixture(scope="module")
def owned(client):
    """The customer every case's path points at."""
    return client.create_ok(name=f"{client.tag} fuzz target")


@pytest.mark.clause(*CLAUSE_OF_CHECK.values())
@pytest.mark.parametrize("label", [pytest.param(label, marks=pytest.mark.clause(clause), id=label)
                                   for label, clause in STATUS_CLAUSE.items()])
def test_fuzz_operation(label, client, profile, verify, owned):
    def prepare(case):
        """Path ids name the run's customer; created references carry the run tag; a list without its
        own reference filter lists the run's customers only (cheap on a target with many)."""
        if case.path_parameters:
            case.path_parameters = {**case.path_parameters, "id": owned["id"]}
        if case.method == "GET" and case.path == "/customers" and "reference" not in (case.query or {}):
            case.query = {**(case.query or {}), "reference": f"{client.tag}*"}
        if isinstance(case.body, dict) and case.method == "POST" and (case.path == "/customers" or "reference" in case.body):
            case.body = {**case.body, "reference": client.reference("fuzz")}

    clauses = {**CLAUSE_OF_CHECK, "status_code_conformance": STATUS_CLAUSE[label]}
    fuzz(operation(OPENAPI, label), client.session, examples=profile.fuzz_examples,
         boundaries=profile.fuzz_boundaries, verify=verify, clause_of_check=clauses, prepare=prepare,
         path_parameters={"id": owned["id"]})
