"""GET /api/customers: the collection and its documented parameters (CustomerApi.md#api_customers_get)."""

from __future__ import annotations

import secrets

import pytest

from accord.checks import expect_json, expect_status


def ids_of(body) -> list:
    return [item.get("id") for item in body if isinstance(item, dict)]


@pytest.fixture
def marker() -> str:
    """A word only this test's customers carry, so term searches see nothing else."""
    return "m" + secrets.token_hex(5)


@pytest.fixture
def three(client, marker):
    """Customers created in the order c, a, b: id order and name order differ."""
    return [client.create_ok(name=f"{marker} {suffix}") for suffix in ("c", "a", "b")]


@pytest.mark.clause("kimai.customers.list.returns-collection")
def test_list_returns_collection(client, contract):
    expect_json(client.list(), 200, contract, "CustomerCollection.json[]")


@pytest.mark.clause("kimai.customers.list.order", "kimai.customers.list.order-by")
def test_order_and_order_by(client, three, marker, verify):
    by_name = [three[1]["id"], three[2]["id"], three[0]["id"]]
    by_id = [c["id"] for c in three]
    cases = [
        ("kimai.customers.list.order", {}, by_name, "default (ASC by name)"),
        ("kimai.customers.list.order", {"order": "ASC"}, by_name, "order=ASC"),
        ("kimai.customers.list.order", {"order": "DESC"}, by_name[::-1], "order=DESC"),
        ("kimai.customers.list.order-by", {"orderBy": "name"}, by_name, "orderBy=name"),
        ("kimai.customers.list.order-by", {"orderBy": "id"}, by_id, "orderBy=id"),
        ("kimai.customers.list.order-by", {"orderBy": "id", "order": "DESC"}, by_id[::-1], "orderBy=id&order=DESC"),
    ]
    for clause, params, expected, label in cases:
        with verify.clause(clause):
            body = expect_json(client.list(term=marker, **params), 200)
            assert ids_of(body) == expected, f"{label}: expected ids {expected}, got {ids_of(body)}"


@pytest.mark.clause("kimai.customers.list.term-search")
def test_term_search(client, three, marker):
    body = expect_json(client.list(term=marker, visible="3"), 200)
    assert sorted(ids_of(body)) == sorted(c["id"] for c in three), (
        f"term={marker} should find exactly the 3 customers named with it, got ids {ids_of(body)}")
    body = expect_json(client.list(term=f"{marker} a"), 200)
    assert ids_of(body) == [three[1]["id"]], f"term='{marker} a' should find one customer, got {ids_of(body)}"


@pytest.mark.clause("kimai.customers.list.visible-filter", "kimai.customers.list.visible-default")
def test_visible_filter(client, marker, verify):
    shown = client.create_ok(name=f"{marker} shown", visible=True)
    hidden = client.create_ok(name=f"{marker} hidden", visible=False)
    expected = {"1": [shown["id"]], "2": [hidden["id"]], "3": sorted([shown["id"], hidden["id"]])}
    for visible, ids in expected.items():
        with verify.clause("kimai.customers.list.visible-filter"):
            body = expect_json(client.list(term=marker, visible=visible), 200)
            assert sorted(ids_of(body)) == ids, f"visible={visible}: expected ids {ids}, got {sorted(ids_of(body))}"
    with verify.clause("kimai.customers.list.visible-default"):
        body = expect_json(client.list(term=marker), 200)
        assert ids_of(body) == [shown["id"]], f"without visible: expected only {shown['id']}, got {ids_of(body)}"


@pytest.mark.clause("kimai.customers.list.invalid-parameter-rejected")
@pytest.mark.parametrize("params", [{"visible": "4"}, {"order": "UP"}, {"orderBy": "email"}], ids=str)
def test_invalid_parameter_rejected(client, params):
    expect_status(client.list(**params), 400)


@pytest.mark.clause("kimai.customers.create.listed")
def test_created_customer_is_listed(client, marker):
    created = client.create_ok(name=f"{marker} listed")
    everyone = expect_json(client.list(), 200)
    assert created["id"] in ids_of(everyone), f"customer {created['id']} is missing from GET /api/customers"
    found = expect_json(client.list(term=created["name"]), 200)
    assert created["id"] in ids_of(found), f"customer {created['id']} is missing from a term search for its name"
