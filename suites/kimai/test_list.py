"""GET /api/customers: the collection and its documented parameters (CustomerApi.md#api_customers_get)."""

from __future__ import annotations

import secrets

import pytest

from accord.checks import expect_json, expect_status
from accord.vendors.kimai.era import has

ADDRESS = {"addressLine1": "Hauptstr. 1", "addressLine2": "c/o Accord", "addressLine3": "Hinterhaus",
           "postCode": "10115", "city": "Berlin"}


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


@pytest.mark.clause("kimai.customers.list.term-search", "kimai.customers.list.full-details")
def test_term_search_and_full(client, marker, version, verify):
    """Two customers carry the marker in their names and a shared word in two different fields
    (comment, company); one carries a word of its own. Every query holds the marker, so only
    these two can match. Since 2.34 each word must match one of the ten searchable fields and
    ``!word`` excludes; before, the term was one phrase (VENDOR-NOTES §2.4a). The first customer
    also has details, which only a full=1 list shows (2.62+)."""
    shared, own, nothing = (f"{p}{secrets.token_hex(4)}" for p in ("s", "o", "n"))
    details = {"vatId": "DE123456789", **(ADDRESS if has(version, "address-lines") else {})}
    first = client.create_ok(name=f"{marker} {own}", comment=f"note {shared}", **details)
    second = client.create_ok(name=f"{marker} second", company=f"{shared} GmbH")
    both, one = sorted([first["id"], second["id"]]), [first["id"]]
    if has(version, "term-words"):
        cases = {marker: both, f"{marker} {shared}": both, f"{shared}   {marker}": both, f"{marker} {own}": one,
                 f"{marker} {nothing}": [], f"{marker} !{own}": [second["id"]]}
    else:
        cases = {marker: both, f"{marker} {own}": one, f"{marker} {shared}": [], f"{marker} {nothing}": []}
    for term, expected in cases.items():
        body = expect_json(client.list(term=term, visible="3"), 200)
        with verify.clause("kimai.customers.list.term-search"):
            assert sorted(ids_of(body)) == expected, f"term={term!r}: expected ids {expected}, got {sorted(ids_of(body))}"
        if term == marker:
            with verify.clause("kimai.customers.list.full-details"):
                assert all("vatId" not in c for c in body if isinstance(c, dict)), "without full=1 the list carries vatId"
    if has(version, "list-full"):
        body = expect_json(client.list(term=f"{marker} {own}", full="1"), 200)
        with verify.clause("kimai.customers.list.full-details"):
            item = next((c for c in body if isinstance(c, dict) and c.get("id") == first["id"]), {})
            wrong = {k: item.get(k, "(missing)") for k, v in details.items() if item.get(k, "(missing)") != v}
            assert item and not wrong, f"full=1 lacks the customer details: {wrong or 'customer not listed'}"


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
