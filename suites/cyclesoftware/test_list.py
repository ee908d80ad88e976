"""GET /api/v1/customers/list.json: the envelope, offset paging and modified_since (_customers.md List customers)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta

import pytest

from accord.checks import expect_json, expect_status
from accord.client import VendorClient
from accord.errors import TargetError
from accord.vendors.cyclesoftware.client import MAX_PAGES

DATETIME = "%Y-%m-%d %H:%M:%S"  # _introduction.md API Types: datetime 'yyyy-mm-dd hh:mm:ss'


def own_ids(client: VendorClient) -> set[int]:
    return {int(e.key[0]) for e in client.ledger.entries("customer") if e.key[0].isdigit()}


def listed(pages: list) -> list:
    return [c.get("customer_id") for page in pages for c in page.get("customers") or [] if isinstance(c, dict)]


def complete(pages: list) -> bool:
    return (pages[-1].get("pagination") or {}).get("next_offset") is None


@pytest.mark.clause("cyclesoftware.customers.list.envelope")
def test_list_envelope(client, contract):
    body = expect_json(client.list(), 200, contract, "CustomerList.json")
    assert body.get("error") is False, f"a served list carries error {body.get('error')!r}"


@pytest.mark.clause("cyclesoftware.customers.list.count")
def test_count_is_page_size(client, verify, request, run_state):
    """With the run's own customers (findable, mutable) the built-in target's list spans two pages,
    where a count of every customer differs from a page's; a read-only run counts what is there."""
    if not run_state.read_only:
        request.getfixturevalue("findable")
        request.getfixturevalue("mutable")
    for index, page in enumerate(client.pages()):
        with verify.clause("cyclesoftware.customers.list.count"):
            count, customers = (page.get("pagination") or {}).get("count"), page.get("customers") or []
            assert count == len(customers), f"page {index + 1}: pagination.count {count!r}, {len(customers)} customers"


@pytest.mark.clause("cyclesoftware.customers.list.pagination-complete")
def test_pages_visit_every_customer_once(client, findable, mutable):
    """The run's own customers (at least three) lie at the list's end; on the built-in target one of
    them is the first of the second page, where a wrong next_offset skips a customer."""
    pages = client.pages()
    if not complete(pages):
        pytest.skip(f"not applicable: the list has more than {MAX_PAGES} pages; walking it all costs too many requests")
    seen = Counter(listed(pages))
    twice = sorted(i for i, n in seen.items() if n > 1)
    assert not twice, f"following next_offset listed customers more than once: {twice[:10]}"
    missing = sorted(own_ids(client) - set(seen))
    assert not missing, f"following next_offset over {len(pages)} pages never listed customers {missing}"


@pytest.mark.clause("cyclesoftware.customers.list.modified-since")
def test_modified_since(client, mutable, findable):
    """A customer created before T and changed after it is listed since T; nothing is listed since
    a time to come."""
    created = mutable.customer.get("datetime_created")
    if not created:
        pytest.skip("not applicable: the target gives no datetime_created, so no time before its change is known")
    since = (datetime.strptime(created, DATETIME) + timedelta(seconds=1)).strftime(DATETIME)
    time.sleep(max(0.0, mutable.created_at + 1.1 - time.monotonic()))
    customer_id = mutable.customer["customer_id"]
    expect_status(client.update(customer_id, {"attn": f"changed after {since}"}), 200)
    pages = client.pages(modified_since=since)
    if not complete(pages):
        raise TargetError(f"list.json?modified_since={since} did not end within {MAX_PAGES} pages")
    assert customer_id in listed(pages), f"customer {customer_id}, changed after {since}, is not listed since then"
    future = (datetime.now() + timedelta(days=3650)).strftime(DATETIME)
    later = listed(client.pages(modified_since=future))
    assert not later, f"modified_since={future} (ten years ahead) listed customers {later[:10]}"
