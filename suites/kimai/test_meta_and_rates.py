"""Meta-fields and rates of one customer (CustomerApi.md meta and rates operations)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status

ABSENT_USER = 1_999_999_999
RATE_FORM = {"rate": 10.5, "internalRate": 10.0, "isFixed": False}  # the documentation's example values


def rate_ids(body) -> list:
    return [rate.get("id") for rate in body if isinstance(rate, dict)]


@pytest.mark.clause("kimai.customers.meta.sets-value")
def test_meta_value_set_and_persisted(client, shared, meta_field, contract):
    body = expect_json(client.set_meta(shared["id"], {"name": meta_field, "value": "homeoffice"}), 200,
                       contract, "CustomerEntity.json")
    assert {"name": meta_field, "value": "homeoffice"} in body.get("metaFields", []), (
        f"metaFields in the answer: {body.get('metaFields')!r}")
    read = expect_json(client.get(shared["id"]), 200)
    assert {"name": meta_field, "value": "homeoffice"} in read.get("metaFields", []), (
        f"metaFields read back: {read.get('metaFields')!r}")
    other_case = meta_field.swapcase()  # names match case-insensitively (src/Entity/Customer.php)
    body = expect_json(client.set_meta(shared["id"], {"name": other_case, "value": "office"}), 200)
    assert {"name": meta_field, "value": "office"} in body.get("metaFields", []), (
        f"meta-field {other_case!r} should set {meta_field!r}; metaFields: {body.get('metaFields')!r}")


@pytest.mark.clause("kimai.customers.meta.unknown-field-not-found")
def test_unknown_meta_field(client, shared):
    expect_status(client.set_meta(shared["id"], {"name": "accord-no-such-field", "value": "x"}), 404)
    read = expect_json(client.get(shared["id"]), 200)
    assert all(m.get("name") != "accord-no-such-field" for m in read.get("metaFields", [])), "the unknown field was stored"


@pytest.mark.clause("kimai.customers.meta.incomplete-body-rejected")
@pytest.mark.parametrize("body", [{"value": "x"}, "name-only"], ids=["no name", "no value"])
def test_incomplete_meta_body(client, shared, meta_field, body):
    body = {"name": meta_field} if body == "name-only" else body
    expect_status(client.set_meta(shared["id"], body), 400)


@pytest.mark.clause("kimai.customers.rates.add-returns-rate", "kimai.customers.rates.list-returns-collection",
                    "kimai.customers.rates.delete-empty-204")
def test_rate_add_list_delete(client, customer, contract, verify):
    """One customer's rate through its life: added, listed, deleted (each step its own clause)."""
    rate: dict = {}
    with verify.clause("kimai.customers.rates.add-returns-rate"):
        rate = expect_json(client.add_rate(customer["id"], RATE_FORM), 200, contract, "CustomerRate.json")
        assert rate.get("rate") == 10.5 and rate.get("internalRate") == 10.0 and rate.get("isFixed") is False, (
            f"the rate does not hold the sent values: {rate!r}")
    with verify.clause("kimai.customers.rates.list-returns-collection"):
        expect_json(client.rates(customer["id"]), 200, contract, "CustomerRate.json[]")
    if not isinstance(rate.get("id"), int):
        return
    with verify.clause("kimai.customers.rates.delete-empty-204"):
        response = client.delete_rate(customer["id"], rate["id"])
        expect_status(response, 204)
        assert response.content == b"", f"the 204 carries a body: {response.text[:200]!r}"
        assert rate["id"] not in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the deleted rate is still listed"


@pytest.mark.clause("kimai.customers.rates.added-is-listed", "kimai.customers.rates.delete-other-customer-refused")
def test_rate_belongs_to_its_customer(client, customer, verify):
    other = client.create_ok(name="other")
    rate = expect_json(client.add_rate(customer["id"], RATE_FORM), 200)
    with verify.clause("kimai.customers.rates.added-is-listed"):
        assert rate.get("id") in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the new rate is not listed"
        assert rate.get("id") not in rate_ids(expect_json(client.rates(other["id"]), 200)), (
            "the rate is listed for another customer")
    with verify.clause("kimai.customers.rates.delete-other-customer-refused"):
        expect_status(client.delete_rate(other["id"], rate["id"]), 404)
        assert rate["id"] in rate_ids(expect_json(client.rates(customer["id"]), 200)), "the rate is gone from its customer"


@pytest.mark.clause("kimai.customers.rates.invalid-rejected")
def test_negative_rate_rejected(client, shared):
    expect_status(client.add_rate(shared["id"], {"rate": -1.0}), 400)
    assert expect_json(client.rates(shared["id"]), 200) == [], "the refused rate was added"


def user_errors(response) -> list:
    body = body_of(response)
    children = body.get("errors", {}).get("children", {}) if isinstance(body, dict) else {}
    return children.get("user", {}).get("errors", []) if isinstance(children.get("user"), dict) else []


def my_user_id(client) -> int | None:
    """The id of the user the run authenticates as (GET /api/users/me), None where it cannot be read."""
    response = client.session.get("/api/users/me")
    body = body_of(response) if response.status_code == 200 else None
    return body.get("id") if isinstance(body, dict) and isinstance(body.get("id"), int) else None


@pytest.mark.clause("kimai.customers.rates.one-per-user")
def test_one_rate_per_user(client, customer, verify):
    """UniqueEntity(user, customer) with ignoreNull false: one rate for all users (user null) and
    one per user; rates of different users live side by side."""
    users = [None] + [uid for uid in (my_user_id(client),) if uid is not None]
    for user in users:
        first = client.add_rate(customer["id"], {"user": user, "rate": 10.0})
        second = client.add_rate(customer["id"], {"user": user, "rate": 20.0})
        with verify.clause("kimai.customers.rates.one-per-user"):
            expect_status(first, 200)
            expect_status(second, 400)
            assert user_errors(second), f"the second rate for user {user!r} should fail on user: {second.text[:200]!r}"
    listed = expect_json(client.rates(customer["id"]), 200)
    with verify.clause("kimai.customers.rates.one-per-user"):
        assert len(listed) == len(users), f"expected {len(users)} rates (one per user), got {len(listed)}"


@pytest.mark.clause("kimai.customers.rates.unknown-user-rejected")
def test_unknown_rate_user_rejected(client, shared):
    response = client.add_rate(shared["id"], {"user": ABSENT_USER, "rate": 12.34})
    expect_status(response, 400)
    assert user_errors(response), f"expected a validation error on user, got {response.text[:200]!r}"
    assert expect_json(client.rates(shared["id"]), 200) == [], "the refused rate was added"


@pytest.mark.clause("kimai.customers.rates.unknown-customer-not-found")
def test_rates_of_unknown_customer(client, contract):
    expect_json(client.rates(client.absent_customer_id()), 404, contract, "Error.json")


@pytest.mark.clause("kimai.customers.rates.delete-unknown-rate-not-found")
def test_delete_unknown_rate(client, shared, contract):
    absent = client.absent_id("rate", id=shared["id"])  # not among the rates of the run's own customer
    expect_json(client.delete_rate(shared["id"], absent), 404, contract, "Error.json")
