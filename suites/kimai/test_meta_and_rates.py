"""Meta-fields and rates of one customer (CustomerApi.md meta and rates operations)."""

from __future__ import annotations

import pytest

from accord.checks import expect_json, expect_status

RATE_FORM = {"rate": 10.5, "internalRate": 10.0, "isFixed": False}  # the documentation's example values


def rate_ids(body) -> list:
    return [rate.get("id") for rate in body if isinstance(rate, dict)]


@pytest.mark.clause("kimai.customers.meta.sets-value")
def test_meta_value_set_and_persisted(client, customer, meta_field, contract):
    body = expect_json(client.set_meta(customer["id"], {"name": meta_field, "value": "homeoffice"}), 200,
                       contract, "CustomerEntity.json")
    assert {"name": meta_field, "value": "homeoffice"} in body.get("metaFields", []), (
        f"metaFields in the answer: {body.get('metaFields')!r}")
    read = expect_json(client.get(customer["id"]), 200)
    assert {"name": meta_field, "value": "homeoffice"} in read.get("metaFields", []), (
        f"metaFields read back: {read.get('metaFields')!r}")


@pytest.mark.clause("kimai.customers.meta.unknown-field-not-found")
def test_unknown_meta_field(client, customer):
    expect_status(client.set_meta(customer["id"], {"name": "accord-no-such-field", "value": "x"}), 404)
    read = expect_json(client.get(customer["id"]), 200)
    assert all(m.get("name") != "accord-no-such-field" for m in read.get("metaFields", [])), "the unknown field was stored"


@pytest.mark.clause("kimai.customers.meta.incomplete-body-rejected")
@pytest.mark.parametrize("body", [{"value": "x"}, "name-only"], ids=["no name", "no value"])
def test_incomplete_meta_body(client, customer, meta_field, body):
    body = {"name": meta_field} if body == "name-only" else body
    expect_status(client.set_meta(customer["id"], body), 400)


@pytest.mark.clause("kimai.customers.rates.list-returns-collection")
def test_rates_list(client, customer, contract):
    client.add_rate(customer["id"], RATE_FORM)
    expect_json(client.rates(customer["id"]), 200, contract, "CustomerRate.json[]")


@pytest.mark.clause("kimai.customers.rates.add-returns-rate")
def test_add_rate(client, customer, contract):
    body = expect_json(client.add_rate(customer["id"], RATE_FORM), 200, contract, "CustomerRate.json")
    assert body.get("rate") == 10.5 and body.get("internalRate") == 10.0 and body.get("isFixed") is False, (
        f"the rate does not hold the sent values: {body!r}")


@pytest.mark.clause("kimai.customers.rates.added-is-listed")
def test_added_rate_listed_only_for_its_customer(client, customer):
    other = client.create_ok(name="other")
    rate = expect_json(client.add_rate(customer["id"], RATE_FORM), 200)
    assert rate.get("id") in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the new rate is not listed"
    assert rate.get("id") not in rate_ids(expect_json(client.rates(other["id"]), 200)), "the rate is listed for another customer"


@pytest.mark.clause("kimai.customers.rates.invalid-rejected")
def test_negative_rate_rejected(client, customer):
    expect_status(client.add_rate(customer["id"], {"rate": -1.0}), 400)
    assert expect_json(client.rates(customer["id"]), 200) == [], "the refused rate was added"


@pytest.mark.clause("kimai.customers.rates.delete-empty-204")
def test_delete_rate(client, customer):
    rate = expect_json(client.add_rate(customer["id"], RATE_FORM), 200)
    response = client.delete_rate(customer["id"], rate["id"])
    expect_status(response, 204)
    assert response.content == b"", f"the 204 carries a body: {response.text[:200]!r}"
    assert rate["id"] not in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the deleted rate is still listed"


@pytest.mark.clause("kimai.customers.rates.delete-other-customer-refused")
def test_delete_rate_through_other_customer(client, customer):
    other = client.create_ok(name="not the owner")
    rate = expect_json(client.add_rate(customer["id"], RATE_FORM), 200)
    expect_status(client.delete_rate(other["id"], rate["id"]), 404)
    assert rate["id"] in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the rate is gone from its customer"
