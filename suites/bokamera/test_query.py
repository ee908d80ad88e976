"""CustomerQuery (GET /customers): the page envelope, Skip/Take, Total, the CustomerId and Search filters."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json


@pytest.fixture(scope="module")
def three(client):
    """Three customers only this run has, found by the run tag plus a word of their own."""
    names = [("Astrid", "Lind"), ("Bertil", "Lund"), ("Cecilia", "Lind")]
    made = [client.create_ok(f"querytrio {last}", Firstname=first, Email=f"{first.lower()}.{client.tag}@example.se")
            for first, last in names]
    return [m["Id"] for m in made]


def trio(client) -> str:
    """A term only the three customers of this module match."""
    return f"{client.tag} querytrio"


def page(client, **params) -> dict:
    return expect_json(client.query(**params), 200)


@pytest.mark.clause("bokamera.customers.query.returns-page")
def test_query_answers_a_page(client, contract, verify):
    for params in ({}, {"Take": 1}):
        with verify.clause("bokamera.customers.query.returns-page"):
            expect_json(client.query(**params), 200, contract, "CustomerQueryPage.json")


@pytest.mark.clause("bokamera.customers.query.skip-take")
def test_skip_and_take(client, three, verify):
    whole = [r["Id"] for r in page(client, Search=trio(client), Take=100)["Results"]]
    assert sorted(three) == sorted(whole), "the three customers are not listed exactly"
    walked = []
    for skip in range(0, len(whole) + 1, 2):
        with verify.clause("bokamera.customers.query.skip-take"):
            body = page(client, Search=trio(client), Skip=skip, Take=2)
            rows = [r["Id"] for r in body.get("Results") or []]
            assert len(rows) <= 2, f"Take=2 answered {len(rows)} customers"
            assert body.get("Offset") == skip, f"Skip={skip}: Offset is {body.get('Offset')!r}"
            assert rows == whole[skip:skip + 2], f"Skip={skip}&Take=2 listed {rows}, expected {whole[skip:skip + 2]}"
            walked += rows
    assert walked == whole, "pages of two repeat or miss customers"
    with verify.clause("bokamera.customers.query.skip-take"):
        assert page(client, Search=trio(client), Take=0).get("Results") in ([], None), "Take=0 listed customers"


@pytest.mark.clause("bokamera.customers.query.total")
def test_total_counts_every_match(client, three, verify):
    expected = len(three)
    for params in ({"Take": 1}, {"Skip": 1, "Take": 1}, {"Skip": expected}):
        with verify.clause("bokamera.customers.query.total"):
            total = page(client, Search=trio(client), **params).get("Total")
            assert total == expected, f"{params}: Total {total!r}, but {expected} customers match"


@pytest.mark.clause("bokamera.customers.query.customer-id-filter")
def test_customer_id_filter(client, three, verify):
    with verify.clause("bokamera.customers.query.customer-id-filter"):
        body = page(client, CustomerId=three[0])
        assert body.get("Total") == 1 and [r["Id"] for r in body["Results"]] == [three[0]], (
            f"CustomerId={three[0]} listed {[r.get('Id') for r in body.get('Results') or []]} (Total {body.get('Total')})")
    with verify.clause("bokamera.customers.query.customer-id-filter"):
        body = page(client, CustomerId=client.absent_id("customer"))
        assert body.get("Total") == 0 and not body.get("Results"), f"an unknown CustomerId listed {body}"


@pytest.mark.clause("bokamera.customers.query.search")
def test_search(client, three, verify):
    """Every word of the term, in any case, as part of a name or the email; at either end of a word."""
    astrid, bertil, cecilia = three
    cases = {
        f"{client.tag} Lind": {astrid, cecilia},  # several words: every one must match
        f"{client.tag} LIND astrid": {astrid},  # case-insensitive, three words
        f"{client.tag} rtil": {bertil},  # a word's end
        f"{client.tag} Cec": {cecilia},  # a word's start
        f"{client.tag} .se": {astrid, bertil, cecilia},  # the email
        f"{client.tag} nobody-is-called-this": set(),  # nothing matches: nothing listed
    }
    for term, expected in cases.items():
        with verify.clause("bokamera.customers.query.search"):
            listed = {r["Id"] for r in page(client, Search=term, Take=100).get("Results") or []}
            assert listed == expected, f"Search={term!r} listed {len(listed)} customer(s), expected {len(expected)}"


@pytest.mark.clause("bokamera.customers.query.company-scoped")
def test_query_lists_own_company_only(client, other_admin):
    """A customer the run's administrator lists must not be listed for the other company's."""
    ours = body_of(client.query(Take=1)).get("Results") or []
    if not ours:
        pytest.skip("not applicable: the run's company lists no customer")
    listed = body_of(client.query(other_admin, CustomerId=ours[0]["Id"]))
    assert not listed.get("Results"), "an administrator of another company lists a customer of the run's company"
