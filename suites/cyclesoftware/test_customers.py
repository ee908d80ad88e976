"""One customer: get, create and update (_customers.md Get Customer, Create customer, Update customer)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.cyclesoftware.scenarios import READONLY_CREATED, differences


# --- get -------------------------------------------------------------------------------------------
@pytest.mark.clause("cyclesoftware.customers.get.returns-customer")
def test_get_returns_customer(client, contract, findable):
    customer = findable.a
    body = expect_json(client.get(customer["customer_id"]), 200, contract, "Customer.json")
    assert body["customer_id"] == customer["customer_id"], f"asked for {customer['customer_id']}, got {body['customer_id']!r}"


@pytest.mark.clause("cyclesoftware.customers.get.unknown-id-not-found")
def test_get_unknown_id(client, contract):
    expect_json(client.get(client.absent_customer_id() + 1_000), 404, contract, "Error.json")


# --- create ----------------------------------------------------------------------------------------
@pytest.mark.clause("cyclesoftware.customers.create.returns-customer")
def test_create_returns_customer(created, contract):
    body = expect_json(created.response, 200, contract, "Customer.json")
    assert isinstance(body.get("customer_id"), int) and body["customer_id"] > 0, (
        f"expected a new positive integer customer_id, got {body.get('customer_id')!r}")
    changed = differences(created.sent, body)
    assert not changed, "the create answer differs from the values sent: " + "; ".join(changed)


@pytest.mark.clause("cyclesoftware.customers.create.read-back")
def test_created_customer_reads_back(client, created, created_id):
    read = expect_json(client.get(created_id), 200)
    changed = differences(created.sent, read)
    assert not changed, "the created customer reads back differently: " + "; ".join(changed)


@pytest.mark.clause("cyclesoftware.customers.create.readonly-ignored")
def test_create_ignores_readonly_fields(client, created, created_id):
    read = expect_json(client.get(created_id), 200)
    assert created_id != created.absent_id, f"the customer_id sent ({created.absent_id}) was applied"
    for where, customer in (("the create answer", created.body), ("the read-back", read)):
        assert customer.get("datetime_created") != READONLY_CREATED, (
            f"{where}: the datetime_created sent ({READONLY_CREATED}) was applied")
    expect_status(client.get(created.absent_id), 404)


# --- update ----------------------------------------------------------------------------------------
@pytest.mark.clause("cyclesoftware.customers.update.returns-customer")
def test_update_returns_customer(client, mutable, contract):
    customer_id = mutable.customer["customer_id"]
    body = expect_json(client.update(customer_id, {"city": "Antwoordstad"}), 200, contract, "Customer.json")
    assert body.get("customer_id") == customer_id and body.get("city") == "Antwoordstad", (
        f"the answer is not the updated customer: customer_id {body.get('customer_id')!r}, city {body.get('city')!r}")


@pytest.mark.clause("cyclesoftware.customers.update.persists")
def test_update_persists(client, mutable):
    customer_id = mutable.customer["customer_id"]
    sent = {"street": "Bewaarstraat", "house_number": "17", "customer_type_name": "Zakelijk", "discount_percentage": 5.5,
            "phone_numbers": [{"phone_number_id": "tel", "phone_number": "073 111 2233", "name": "Mia"}]}
    expect_status(client.update(customer_id, sent), 200)
    read = expect_json(client.get(customer_id), 200)
    changed = differences(sent, read)
    assert not changed, "the update is not visible in a later GET: " + "; ".join(changed)


@pytest.mark.clause("cyclesoftware.customers.update.readonly-ignored")
def test_update_ignores_readonly_fields(client, created, created_id):
    """On the documented-example customer, whose values no later check reads."""
    before = expect_json(client.get(created_id), 200)
    response = client.update(created_id, {"customer_id": created.absent_id, "datetime_created": READONLY_CREATED,
                                          "attn": "readonly probe"})
    expect_status(response, 200)
    read = expect_json(client.get(created_id), 200)
    assert read.get("customer_id") == created_id, f"customer {created_id} reads back as {read.get('customer_id')!r}"
    assert read.get("datetime_created") == before.get("datetime_created"), (
        f"datetime_created changed from {before.get('datetime_created')!r} to {read.get('datetime_created')!r}")
    moved = client.get(created.absent_id)
    assert moved.status_code == 404, f"the customer_id sent names a customer now: GET answered {moved.status_code}"


@pytest.mark.clause("cyclesoftware.customers.update.unknown-id-not-found")
def test_update_unknown_id(client, contract):
    absent = client.absent_customer_id()
    expect_json(client.update(absent, {"city": "Nergens"}), 404, contract, "Error.json")
    after = client.get(absent)
    assert after.status_code == 404, f"the refused PUT created customer {absent}: GET answered {after.status_code}"
    body_of(after)
