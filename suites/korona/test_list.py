"""getCustomers: the result list, paging, sort, and delta sync by revision (korona-customers-api-v3.md#getCustomers).

The list holds every customer of the account, so on a live target the checks scope it with
``revision`` to the customers changed since the run created its own (and compare only those)."""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlsplit

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.korona.listing import ABOVE_EVERY_REVISION, expect_success, ids, revision_of, since

SIZE = 2
# (lastname suffix, firstname) in creation order: creation, firstname and lastname+firstname orders all differ.
FOUR = [("x2", "b"), ("x1", "c"), ("x1", "a"), ("x3", "d")]
BY_FIRSTNAME = [2, 0, 1, 3]
BY_LASTNAME_FIRSTNAME = [2, 1, 0, 3]


@pytest.fixture(scope="module")
def four(client):
    """Four customers of one batch, never changed by a check: (customers, the revision just below them)."""
    customers = client.add_ok(*[client.entry(f"sort {last}", firstname=first, company="Sort GmbH")
                                for last, first in FOUR])
    return customers, min(c["revision"] for c in customers) - 1


def ours(listed, customers) -> list:
    mine = set(ids(customers))
    return [i for i in ids(listed) if i in mine]


def page(client, revision: int, number: int, **params) -> dict:
    return expect_json(client.list(revision=revision, page=number, size=SIZE, **params), 200)


def pages(client, revision: int) -> list[dict]:
    """page=1..pagesTotal at size 2 (bounded)."""
    first = page(client, revision, 1)
    total = first.get("pagesTotal")
    assert isinstance(total, int) and 1 <= total <= 100, f"pagesTotal {total!r} for a query listing four or more"
    return [first] + [page(client, revision, n) for n in range(2, total + 1)]


@pytest.mark.clause("korona.customers.list.returns-result-list")
def test_list_returns_result_list(client, contract, v32):
    response = client.list(size=5)
    if v32 and response.status_code == 204:
        pytest.skip("not applicable: the account lists no customer (3.2 answers 204)")
    expect_json(response, 200, contract, "ResultListCustomer.json")


@pytest.mark.clause("korona.customers.list.empty-result-list")
def test_empty_list_is_a_result_list(client, contract):
    body = expect_json(client.list(revision=ABOVE_EVERY_REVISION), 200, contract, "ResultListCustomer.json")
    assert body.get("results") in ([], None) and body.get("resultsTotal") == 0, (
        f"a query no customer matches: results {body.get('results')!r}, resultsTotal {body.get('resultsTotal')!r}")


@pytest.mark.clause("korona.customers.list.empty-204")
def test_empty_list_is_204(client):
    response = client.list(revision=ABOVE_EVERY_REVISION)
    expect_status(response, 204)
    assert response.content == b"", f"the 204 carries a body: {response.text[:200]!r}"


@pytest.mark.clause("korona.customers.list.number-filter")
def test_number_filter(client, verify):
    first, second = client.add_ok(client.entry("number filter a"), client.entry("number filter b"))
    with verify.clause("korona.customers.list.number-filter"):
        body = expect_json(client.list(number=first["number"]), 200)
        assert ids(body.get("results") or []) == [first["id"]], (
            f"number={first['number']} should list only {first['id']}, got {ids(body.get('results') or [])}")
    with verify.clause("korona.customers.list.number-filter"):
        response = client.list(number=f"{client.tag}-no-such-number")
        if response.status_code == 200:
            assert not body_of(response).get("results"), "a number no customer has lists customers"
        else:
            expect_status(response, 204)
    assert second["id"]


@pytest.mark.clause("korona.customers.list.page-size")
def test_page_size(client, four):
    customers, revision = four
    for number in (1, 2):
        body = page(client, revision, number)
        results = body.get("results") or []
        assert len(results) <= SIZE, f"size={SIZE}: page {number} holds {len(results)} customers"
        assert body.get("resultsOfPage") == len(results), (
            f"page {number}: resultsOfPage {body.get('resultsOfPage')!r} for {len(results)} results")
        if number == 1:
            assert len(results) == SIZE, f"size={SIZE} with four or more matches: page 1 holds {len(results)}"


@pytest.mark.clause("korona.customers.list.paging-walk")
def test_paging_walk(client, four):
    customers, revision = four
    walked = pages(client, revision)
    seen = [i for body in walked for i in ids(body.get("results") or [])]
    duplicated = sorted({i for i in seen if seen.count(i) > 1})
    assert not duplicated, f"walking {len(walked)} pages of size {SIZE} showed these customers twice: {duplicated}"
    missing = [i for i in ids(customers) if i not in seen]
    assert not missing, f"walking {len(walked)} pages of size {SIZE} skipped: {missing}"
    assert walked[0].get("resultsTotal") == len(seen), (
        f"resultsTotal {walked[0].get('resultsTotal')!r}, but the pages held {len(seen)} customers")


@pytest.mark.clause("korona.customers.list.page-metadata")
def test_page_metadata(client, four, verify):
    customers, revision = four
    for number, body in enumerate(pages(client, revision), start=1):
        with verify.clause("korona.customers.list.page-metadata"):
            assert body.get("currentPage") == number, f"page={number} answered currentPage {body.get('currentPage')!r}"
            total = body.get("resultsTotal")
            assert isinstance(total, int) and body.get("pagesTotal") == math.ceil(total / SIZE), (
                f"page={number}: pagesTotal {body.get('pagesTotal')!r} for resultsTotal {total!r} at size {SIZE}")


def link_page(link) -> int | None:
    query = dict(parse_qsl(urlsplit(str(link)).query))
    return int(query["page"]) if query.get("page", "").isdigit() else None


@pytest.mark.clause("korona.customers.list.links")
def test_navigation_links(client, four, verify):
    customers, revision = four
    walked = pages(client, revision)
    last = len(walked)
    for number, body in enumerate(walked, start=1):
        links = body.get("links") or {}
        with verify.clause("korona.customers.list.links"):
            assert link_page(links.get("self")) == number, f"page {number}: links.self is {links.get('self')!r}"
            expected_next = number + 1 if number < last else None
            assert (link_page(links["next"]) if links.get("next") else None) == expected_next, (
                f"page {number} of {last}: links.next is {links.get('next')!r}")
            expected_previous = number - 1 if number > 1 else None
            assert (link_page(links["previous"]) if links.get("previous") else None) == expected_previous, (
                f"page {number} of {last}: links.previous is {links.get('previous')!r}")
    with verify.clause("korona.customers.list.links"):
        followed, body = [], walked[0]
        for _ in range(last + 1):
            followed += ids(body.get("results") or [])
            following = (body.get("links") or {}).get("next")
            if not following:
                break
            params = dict(parse_qsl(urlsplit(str(following)).query))
            body = expect_json(client.list(**params), 200)
        expected = [i for b in walked for i in ids(b.get("results") or [])]
        assert followed == expected, f"following links.next listed {followed}, the pages list {expected}"


@pytest.mark.clause("korona.customers.list.sort")
def test_sort(client, four, verify):
    customers, revision = four
    for sort, order in (("firstname", BY_FIRSTNAME), ("lastname,firstname", BY_LASTNAME_FIRSTNAME)):
        with verify.clause("korona.customers.list.sort"):
            expected = [customers[i]["id"] for i in order]
            got = ours(since(client, revision, sort=sort), customers)
            assert got == expected, f"sort={sort}: expected {expected}, got {got}"


@pytest.mark.clause("korona.customers.list.sort-up-to-five")
def test_sort_of_five_attributes(client, four):
    customers, revision = four
    sort = "lastname,firstname,company,email,phone"
    expected = [customers[i]["id"] for i in BY_LASTNAME_FIRSTNAME]
    got = ours(since(client, revision, sort=sort), customers)
    assert got == expected, f"sort={sort}: expected {expected}, got {got}"


@pytest.mark.clause("korona.customers.list.sort-over-five-rejected")
def test_sort_of_six_attributes_rejected(client, contract):
    response = client.list(revision=ABOVE_EVERY_REVISION, sort="lastname,firstname,company,email,phone,number")
    expect_status(response, 400)  # its code (INVALID_QUERY_PARAMETER) is the error-body clause's to judge


INVALID_QUERIES = [{"page": "0"}, {"size": "many"}, {"revision": "latest"}, {"includeDeleted": "maybe"},
                   {"sort": "accordNoSuchAttribute"}]


@pytest.mark.clause("korona.customers.list.invalid-query-rejected")
def test_invalid_query_rejected(client, contract, verify):
    for params in INVALID_QUERIES:
        with verify.clause("korona.customers.list.invalid-query-rejected"):
            query = {"revision": ABOVE_EVERY_REVISION, **params}
            expect_status(client.list(**query), 400)


@pytest.mark.clause("korona.customers.list.revision-filter")
def test_revision_filter(client, four, verify):
    customers, _ = four
    revisions = sorted(c["revision"] for c in customers)
    for cut in (revisions[0], revisions[2], revisions[-1]):
        with verify.clause("korona.customers.list.revision-filter"):
            listed = since(client, cut)
            expected = sorted(c["id"] for c in customers if c["revision"] > cut)
            assert sorted(ours(listed, customers)) == expected, (
                f"revision={cut}: expected {expected} of the run's customers, got {sorted(ours(listed, customers))}")
            low = [(c.get("id"), c.get("revision")) for c in listed if (revision_of(c) or 0) <= cut]
            assert not low, f"revision={cut} listed customers whose revision is not greater: {low[:5]}"


@pytest.mark.clause("korona.customers.update.raises-revision")
def test_update_raises_revision(client, verify):
    single, batch, untouched = client.add_ok(client.entry("rev single"), client.entry("rev batch"),
                                             client.entry("rev untouched"))
    before = max(c["revision"] for c in (single, batch, untouched))
    expect_success(client.update(single["id"], {"firstname": "changed"}))
    expect_status(client.update_batch([{"number": batch["number"], "firstname": "changed"}]), 200)
    listed = {c.get("id"): revision_of(c) for c in since(client, before)}
    # The values decide: which customers a revision query lists is the revision-filter clause's business.
    raised = sorted(c["id"] for c in (single, batch, untouched) if (listed.get(c["id"]) or 0) > before)
    assert raised == sorted([single["id"], batch["id"]]), (
        f"after a single and a batch update, revisions above {before}: expected {sorted([single['id'], batch['id']])}, "
        f"got {raised} (listed: {listed.get(single['id'])}, {listed.get(batch['id'])}, {listed.get(untouched['id'])})")


@pytest.mark.clause("korona.customers.revision.unique")
def test_revisions_unique(four):
    customers, _ = four
    revisions = [c["revision"] for c in customers]
    assert len(set(revisions)) == len(revisions), f"four customers of one batch have the revisions {revisions}"


@pytest.mark.clause("korona.customers.list.deleted-hidden-by-default", "korona.customers.list.include-deleted",
                    "korona.customers.delete.number-released", "korona.customers.update.raises-revision")
def test_deleted_customers(client, verify):
    gone = client.create_ok("deleted")
    expect_success(client.delete(gone["id"]))
    scope = gone["revision"] - 1
    for label, params in (("without includeDeleted", {}), ("includeDeleted=false", {"includeDeleted": "false"})):
        with verify.clause("korona.customers.list.deleted-hidden-by-default"):
            assert gone["id"] not in ids(since(client, scope, **params)), f"{label}: the deleted customer is listed"
    listed = [c for c in since(client, scope, includeDeleted="true") if c.get("id") == gone["id"]]
    with verify.clause("korona.customers.list.include-deleted"):
        assert len(listed) == 1, f"includeDeleted=true lists the deleted customer {len(listed)} times"
        assert listed[0].get("active") is False, f"the deleted customer is listed with active {listed[0].get('active')!r}"
    with verify.clause("korona.customers.update.raises-revision"):
        if listed:  # a delete is a change too: delta sync must see it
            assert (revision_of(listed[0]) or 0) > gone["revision"], (
                f"deleting the customer left its revision at {listed[0].get('revision')!r} (created at {gone['revision']})")
    with verify.clause("korona.customers.delete.number-released"):
        if listed:  # not listed at all is the include-deleted clause's failure
            assert not listed[0].get("number"), f"the deleted customer still carries number {listed[0].get('number')!r}"


@pytest.mark.clause("korona.customers.create.listed")
def test_created_customer_listed(client, customer):
    assert customer["id"] in ids(since(client, customer["revision"] - 1)), (
        f"customer {customer['id']} is missing from getCustomers")
