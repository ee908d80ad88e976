"""CreateCustomer and DeleteCustomer (BokaMera's metadata pages)."""

from __future__ import annotations

import uuid

import pytest

from accord.checks import body_of, expect_json, expect_status

ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.mark.clause("bokamera.customers.create.returns-customer")
def test_create_returns_the_customer(client, contract):
    sent = client.new_body("returned")
    body = expect_json(client.create(sent), 200, contract, "UpdateCustomerResponse.json")
    assert body.get("Id") and body["Id"] != ZERO and uuid.UUID(body["Id"]), f"expected a new Guid Id, got {body.get('Id')!r}"
    changed = {k: body.get(k) for k, v in sent.items() if body.get(k) != v}
    assert not changed, f"the create answer differs from what was sent: {changed}"


@pytest.mark.clause("bokamera.customers.create.required-fields")
def test_create_without_a_required_field(client, verify):
    """Firstname and Phone. Lastname carries the run tag: a customer created without it (by a target
    that accepted the create) would be one the run cannot prove its own, and could not remove."""
    for left_out in ("Firstname", "Phone"):
        with verify.clause("bokamera.customers.create.required-fields"):
            label = f"without {left_out}"
            body = {k: v for k, v in client.new_body(label, Email=f"{client.tag}-{left_out.lower()}@example.com").items()
                    if k != left_out}
            response = client.create(body)
            assert response.status_code == 400, f"a create without {left_out} answered {response.status_code}"
            listed = body_of(client.query(Search=body["Email"]))
            assert not listed.get("Results"), f"the refused create without {left_out} created a customer"


@pytest.mark.clause("bokamera.customers.create.listed")
def test_created_customer_listed(client):
    sent = client.new_body("listed")
    created = client.create_ok("listed")
    read = client.read(created["Id"])
    assert read is not None, "CustomerQuery does not find the created customer"
    changed = {k: read.get(k) for k, v in sent.items() if read.get(k) != v}
    assert not changed, f"CustomerQuery shows other values than the create sent: {changed}"


@pytest.mark.clause("bokamera.customers.delete.returns-customer")
def test_delete_returns_the_customer(client, contract):
    created = client.create_ok("deleted")
    body = expect_json(client.delete(created["Id"]), 200, contract, "CustomerQueryResponse.json")
    assert body.get("Id") == created["Id"], f"DELETE answered another customer: {body.get('Id')!r}"


@pytest.mark.clause("bokamera.customers.delete.removes")
def test_delete_removes(client):
    created = client.create_ok("removed")
    expect_status(client.delete(created["Id"]), 200, 204)
    still_listed = client.read(created["Id"]) is not None
    again = client.delete(created["Id"])  # before judging: should the first have kept it, this one removes it
    assert not still_listed, "CustomerQuery still finds the deleted customer"
    expect_status(again, 404)


@pytest.mark.clause("bokamera.customers.delete.unknown-id-not-found")
def test_delete_unknown_id(client, contract):
    expect_json(client.delete(client.absent_id("customer")), 404, contract, "ErrorResponse.json")
