"""What holds for every response: JSON, the error envelope, documented statuses, no server errors
(_introduction.md Request/Response Format and Errors)."""

from __future__ import annotations

import secrets

import pytest

from accord.checks import describe, expect_json, expect_status, is_json_content_type

CUSTOMER = "/api/v1/customers/{customer_id}.json"


def sample(client, target, read_only: bool, own_id) -> list:
    """One response of each kind the documented operations give, success and error."""
    absent = client.absent_customer_id()
    reads = [client.list(), client.find(query="accord-sample-nothing"), client.get(absent),
             client.list(offset="x"), target.session({}).get("/api/v1/customers/list.json")]
    if read_only or own_id is None:
        return reads
    return reads + [client.get(own_id), client.update(own_id, {"attn": "sampled"}),
                    client.update(own_id, {"customer_type_name": "accord-invalid"}), client.update(absent, {"attn": "x"})]


@pytest.mark.clause("cyclesoftware.responses.json-content-type", "cyclesoftware.responses.error-body")
def test_bodies_are_json(client, target, contract, verify, run_state, request):
    own = None if run_state.read_only else request.getfixturevalue("mutable").customer["customer_id"]
    for response in sample(client, target, run_state.read_only, own):
        if not response.content:
            continue
        with verify.clause("cyclesoftware.responses.json-content-type"):
            assert is_json_content_type(response), (
                f"{describe(response)} answered {response.status_code} "
                f"with Content-Type {response.headers.get('Content-Type')!r}")
        if response.status_code >= 400:
            with verify.clause("cyclesoftware.responses.error-body"):
                expect_json(response, response.status_code, contract, "Error.json")


@pytest.mark.clause("cyclesoftware.responses.documented-status")
def test_every_success_is_200(client, mutable, verify):
    """_introduction.md: 'Successful requests will return a 200 OK HTTP status' (create included)."""
    customer_id = mutable.customer["customer_id"]
    for response in (client.get(customer_id), client.update(customer_id, {"attn": "status"}), client.list(),
                     client.find(query="accord-status-nothing")):
        with verify.clause("cyclesoftware.responses.documented-status"):
            assert response.status_code == 200, f"{describe(response)} answered {response.status_code}, not 200"


@pytest.mark.clause("cyclesoftware.responses.schema-conformance")
def test_bodies_match_their_schemas(client, contract, findable, verify):
    checks = [(client.get(findable.a["customer_id"]), "Customer.json"), (client.list(), "CustomerList.json"),
              (client.find(query=findable.word), "CustomerFindResult.json"),
              (client.get(client.absent_customer_id()), "Error.json")]
    for response, schema in checks:
        with verify.clause("cyclesoftware.responses.schema-conformance"):
            expect_json(response, response.status_code, contract, schema)


@pytest.mark.clause("cyclesoftware.responses.unsupported-method-rejected")
@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_unsupported_method(client, mutable, contract, method):
    customer_id = mutable.customer["customer_id"]
    response = client.send(method, CUSTOMER, {"attn": "patched"} if method == "PATCH" else None, customer_id=customer_id)
    expect_json(response, 400, contract, "Error.json")
    read = expect_json(client.get(customer_id), 200)
    assert read.get("attn") != "patched", "the refused PATCH changed the customer"


@pytest.mark.clause("cyclesoftware.responses.invalid-parameter-rejected")
@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/customers/list.json", {"offset": "abc"}),
    ("/api/v1/customers/list.json", {"offset": "-1"}),
    ("/api/v1/customers/list.json", {"modified_since": "2023-01-12T12:30:00"}),
    ("/api/v1/customers/list.json", {"accord_unknown": "1"}),
    ("/api/v1/customers/find.json", {"customer_type_id": "two"}),
], ids=["offset-text", "offset-negative", "modified-since-iso", "unknown-variable", "type-id-text"])
def test_invalid_parameter(client, contract, path, params):
    expect_json(client.session.get(path, params=params), 400, contract, "Error.json")


@pytest.mark.clause("cyclesoftware.responses.malformed-json-rejected")
def test_malformed_json(client, contract):
    broken = f'{{"name": "{client.tag} broken'.encode()
    response = client.session.post("/api/v1/customers.json", data=broken, headers={"Content-Type": "application/json"})
    expect_json(response, 400, contract, "Error.json")


@pytest.mark.clause("cyclesoftware.responses.no-server-error")
def test_edge_inputs_no_server_error(client, verify):
    """Inputs the docs allow at their edges: empty ?T values, a zero offset, an offset past the end. An
    empty find filter goes with an address no customer has: find.json does not page, and on a live
    account an empty filter alone could answer with every customer."""
    nobody = {"email": f"accord-nobody-{secrets.token_hex(6)}@example.com"}
    cases = [("/api/v1/customers/find.json", {"query": "", **nobody}),
             ("/api/v1/customers/find.json", {"phone_number": "", **nobody}),
             ("/api/v1/customers/find.json", {"customer_type_id": "", **nobody}), ("/api/v1/customers/list.json", {"offset": ""}),
             ("/api/v1/customers/list.json", {"offset": "0", "modified_since": ""}),
             ("/api/v1/customers/list.json", {"offset": "999999999"})]
    for path, params in cases:
        response = client.session.get(path, params=params)
        with verify.clause("cyclesoftware.responses.no-server-error"):
            assert response.status_code < 500, f"{describe(response)} answered {response.status_code}"
            expect_status(response, 200)
