"""GET /customers (11.1): paging, order and sort, and every documented filter at its boundaries.

The checks list the run's own customers (a reference prefix only they carry) and take every boundary
from the records themselves: a target's clock need not agree with accord's.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from accord.checks import expect_json
from accord.vendors.valomnia.expect import customer_in, expect_error, ids_of, wildcard_matches


@pytest.fixture(scope="module")
def listed(client, setting_or_none):
    """A decoy outside the listed prefix, then A, B, C in that order: creation order equals reference
    order (a, b, c) but not name order (apple B, mango C, zebra A); A is inactive and, where the target
    names a category, in it."""
    tag = client.tag
    decoy = client.create_ok(reference=f"{tag}-decoy", name=f"{tag} decoy")
    category = setting_or_none("CATEGORY_ID")
    a = client.create_ok(reference=f"{tag}-list-a", name=f"{tag} zebra alpha", isActive=False,
                         **({"categoryId": category} if category else {}))
    b = client.create_ok(reference=f"{tag}-list-b", name=f"{tag} apple beta")
    c = client.create_ok(reference=f"{tag}-list-c", name=f"{tag} mango gamma delta")
    return {"prefix": f"{tag}-list-", "decoy": decoy, "all": [a, b, c], "a": a, "b": b, "c": c, "category": category}


@pytest.fixture(scope="module")
def setting_or_none(target):
    return lambda name: target.settings.get(name) or None


def page(client, listed, **params):
    return expect_json(client.list(reference=listed["prefix"] + "*", **params), 200)


def ids(records) -> list:
    return [r["id"] for r in records]


@pytest.mark.clause("valomnia.customers.list.returns-page", "valomnia.customers.list.default-max")
def test_list_answers_a_page(client, verify):
    body = expect_json(client.list(), 200)
    with verify.clause("valomnia.customers.list.returns-page"):
        assert isinstance(body, dict) and isinstance(body.get("data"), list), f"expected {{paging, data}}, got {str(body)[:200]}"
        paging = body.get("paging")
        assert isinstance(paging, dict) and {"total", "max", "offset", "previous", "next"} <= set(paging), (
            f"paging is {paging!r}")
    if not isinstance(body, dict):
        return
    with verify.clause("valomnia.customers.list.default-max"):
        paging, data = body.get("paging") or {}, body.get("data") or []
        assert paging.get("max") == 100, f"without max, paging.max is {paging.get('max')!r}, not 100"
        total = paging.get("total")
        expected = min(100, total) if isinstance(total, int) else len(data)
        assert len(data) == expected, f"without max: {len(data)} customers on the first page of {total}"


@pytest.mark.clause("valomnia.customers.list.max", "valomnia.customers.list.offset", "valomnia.customers.list.paging-total",
                    "valomnia.customers.list.paging-links", "valomnia.customers.list.next-visits-all")
def test_paging(client, listed, verify):
    by_reference = ids(listed["all"])
    first = page(client, listed, max=2, offset=0, sort="reference", order="asc")
    last = page(client, listed, max=2, offset=2, sort="reference", order="asc")
    shifted = page(client, listed, max=2, offset=1, sort="reference", order="asc")
    with verify.clause("valomnia.customers.list.max"):
        assert ids_of(first) == by_reference[:2], f"max=2: expected ids {by_reference[:2]}, got {ids_of(first)}"
        assert first["paging"].get("max") == 2, f"max=2: paging.max is {first['paging'].get('max')!r}"
    with verify.clause("valomnia.customers.list.offset"):
        assert ids_of(shifted) == by_reference[1:3], f"offset=1: expected ids {by_reference[1:3]}, got {ids_of(shifted)}"
        assert shifted["paging"].get("offset") == 1, f"offset=1: paging.offset is {shifted['paging'].get('offset')!r}"
    with verify.clause("valomnia.customers.list.paging-total"):
        for body in (first, last, shifted):
            assert body["paging"].get("total") == 3, f"3 customers match, paging.total is {body['paging'].get('total')!r}"
    with verify.clause("valomnia.customers.list.paging-links"):
        assert first["paging"].get("previous") is None, f"first page: previous is {first['paging'].get('previous')!r}"
        assert last["paging"].get("next") is None, f"last page: next is {last['paging'].get('next')!r}"
        for link, offset in ((first["paging"].get("next"), "2"), (last["paging"].get("previous"), "0")):
            query = parse_qs(urlsplit(link or "").query)
            assert query.get("offset") == [offset] and query.get("max") == ["2"], (
                f"expected a link to offset={offset}&max=2, got {link!r}")
    with verify.clause("valomnia.customers.list.next-visits-all"):
        seen, body = list(ids_of(first)), first
        for _ in range(5):
            link = body["paging"].get("next")
            if not link:
                break
            body = expect_json(client.session.get(client.resolve(link)), 200)
            seen += ids_of(body)
        assert sorted(seen) == sorted(by_reference), f"following next visited {seen}, expected each of {by_reference} once"


@pytest.mark.clause("valomnia.customers.list.max", "valomnia.customers.list.offset", "valomnia.customers.list.paging-links")
def test_paging_over_existing_customers(client, run_state, verify):
    """The read-only run's paging check, over whatever the target holds (ordered by id)."""
    if not run_state.read_only:
        pytest.skip("not applicable: checked over the run's own customers (test_paging)")
    whole = expect_json(client.list(max=3, sort="id", order="asc"), 200)
    total = (whole.get("paging") or {}).get("total")
    if not isinstance(total, int) or total < 3:
        pytest.skip("not applicable: a read-only run, and the target holds fewer than 3 customers")
    first = expect_json(client.list(max=2, offset=0, sort="id", order="asc"), 200)
    shifted = expect_json(client.list(max=2, offset=1, sort="id", order="asc"), 200)
    with verify.clause("valomnia.customers.list.max"):
        assert ids_of(first) == ids_of(whole)[:2], f"max=2: expected ids {ids_of(whole)[:2]}, got {ids_of(first)}"
        assert first["paging"].get("max") == 2, f"max=2: paging.max is {first['paging'].get('max')!r}"
    with verify.clause("valomnia.customers.list.offset"):
        assert ids_of(shifted) == ids_of(whole)[1:3], f"offset=1: expected ids {ids_of(whole)[1:3]}, got {ids_of(shifted)}"
        assert shifted["paging"].get("offset") == 1, f"offset=1: paging.offset is {shifted['paging'].get('offset')!r}"
    with verify.clause("valomnia.customers.list.paging-links"):
        assert first["paging"].get("previous") is None, f"first page: previous is {first['paging'].get('previous')!r}"
        query = parse_qs(urlsplit(first["paging"].get("next") or "").query)
        assert query.get("offset") == ["2"] and query.get("max") == ["2"], f"first page: next is {first['paging'].get('next')!r}"
        last = expect_json(client.list(max=2, offset=total - 1, sort="id", order="asc"), 200)
        assert last["paging"].get("next") is None, f"last page: next is {last['paging'].get('next')!r}"


@pytest.mark.clause("valomnia.customers.list.order", "valomnia.customers.list.sort")
def test_order_and_sort(client, listed, verify):
    by_name = [listed["b"]["id"], listed["c"]["id"], listed["a"]["id"]]
    ascending = ids_of(page(client, listed, sort="name", order="asc"))
    descending = ids_of(page(client, listed, sort="name", order="desc"))
    with verify.clause("valomnia.customers.list.order"):
        assert descending == ascending[::-1] and len(ascending) == 3, (
            f"sort=name: order=asc gave {ascending}, order=desc gave {descending}")
    with verify.clause("valomnia.customers.list.sort"):
        assert ascending == by_name, f"sort=name&order=asc: expected ids {by_name} (apple, mango, zebra), got {ascending}"


OPERATORS = {"gt": lambda v, t: v > t, "gte": lambda v, t: v >= t, "lt": lambda v, t: v < t, "lte": lambda v, t: v <= t}


@pytest.mark.parametrize("op", [pytest.param(op, marks=pytest.mark.clause(f"valomnia.customers.list.filter-{op}"), id=op)
                                for op in OPERATORS])
def test_date_created_filter(client, listed, op):
    bound = listed["b"]["dateCreated"]  # the middle customer's own timestamp: the boundary itself
    expected = sorted(r["id"] for r in listed["all"] if OPERATORS[op](r["dateCreated"], bound))
    got = sorted(ids_of(page(client, listed, **{f"dateCreated_{op}": bound})))
    assert got == expected, f"dateCreated_{op}={bound}: expected ids {expected}, got {got}"


@pytest.mark.clause("valomnia.customers.list.last-updated-filters")
def test_last_updated_filters_follow_updates(client, listed):
    """A, the oldest, updated: its lastUpdated is now the newest, its dateCreated is not. Found by
    lastUpdated_gte at its new time or by lastUpdated_gt at the newest other customer's: by a filter
    its dateCreated cannot pass. (Either suffices: gt against gte at the boundary is the operators' clauses.)"""
    keep = {"isActive": False, **({"categoryId": listed["category"]} if listed["category"] else {})}  # as created
    updated = customer_in(client.update(listed["a"]["id"], {"comment": "touched by accord", **keep}), 200, 201)
    moved, a_id = updated["lastUpdated"], listed["a"]["id"]
    newest_other = max(r["lastUpdated"] for r in listed["all"] if r["id"] != a_id)
    if newest_other >= moved:
        pytest.skip("not applicable: the update did not move lastUpdated past the other customers' (a clock too coarse)")
    at_moved = ids_of(page(client, listed, lastUpdated_gte=moved))
    after_others = ids_of(page(client, listed, lastUpdated_gt=newest_other))
    assert a_id in at_moved or a_id in after_others, (
        f"customer {a_id} (created first, updated last at {moved}): lastUpdated_gte={moved} gave {at_moved}, "
        f"lastUpdated_gt={newest_other} gave {after_others}")


@pytest.mark.clause("valomnia.customers.list.datetime-format-rejected")
@pytest.mark.parametrize("value", ["2015-12-17", "2015-12-17T23:00:00", "17/12/2015 23:00:00"])
def test_datetime_format_rejected(client, value):
    expect_error(client.list(dateCreated_gt=value), 400, "invalid_datetime_format")


@pytest.mark.clause("valomnia.customers.list.unknown-parameter-rejected")
def test_unknown_parameter_rejected(client):
    body = expect_error(client.list(dateCreated_gta="2015-12-17T23:00:00Z"), 400, "invalid_param")
    if "error_description" in body:
        assert "dateCreated_gta" in str(body["error_description"]), f"the refusal does not name the parameter: {body!r}"


def wildcard_cases(value: str) -> list[str]:
    """The exact value, then * at the end, at the start and at both ends, each still specific to it."""
    return [value, value[:-1] + "*", "*" + value[1:], "*" + value[1:-1] + "*"]


def matching(listed, field: str, pattern: str) -> list:
    """The run's customers the pattern matches (no one else's value holds the run tag)."""
    return sorted(r["id"] for r in [listed["decoy"], *listed["all"]] if wildcard_matches(pattern, r.get(field)))


@pytest.mark.clause("valomnia.customers.list.reference-wildcard")
def test_reference_wildcards(client, listed, verify):
    for pattern in wildcard_cases(listed["b"]["reference"]):
        expected = matching(listed, "reference", pattern)
        with verify.clause("valomnia.customers.list.reference-wildcard"):
            got = sorted(ids_of(expect_json(client.list(reference=pattern), 200)))
            assert got == expected, f"reference={pattern}: expected {expected}, got {got}"
    with verify.clause("valomnia.customers.list.reference-wildcard"):
        got = expect_json(client.list(reference=listed["prefix"] + "zz-none"), 200)
        assert ids_of(got) == [] and got["paging"].get("total") == 0, f"no match should give an empty page: {got!r}"


@pytest.mark.clause("valomnia.customers.list.name-wildcard")
def test_name_wildcards(client, listed, verify):
    for pattern in wildcard_cases(listed["c"]["name"]) + [f"{client.tag} nothing*"]:  # a name of several words
        expected = matching(listed, "name", pattern)
        with verify.clause("valomnia.customers.list.name-wildcard"):
            got = sorted(ids_of(expect_json(client.list(name=pattern), 200)))
            assert got == expected, f"name={pattern}: expected {expected}, got {got}"


@pytest.mark.clause("valomnia.customers.list.category-reference-wildcard")
def test_category_reference_wildcards(client, listed, setting, verify):
    setting("CATEGORY_ID")
    category = listed["a"].get("categoryReference") or ""
    for pattern in wildcard_cases(category) if len(category) > 3 else [category]:
        expected = sorted(r["id"] for r in listed["all"] if wildcard_matches(pattern, r.get("categoryReference")))
        with verify.clause("valomnia.customers.list.category-reference-wildcard"):
            got = sorted(ids_of(page(client, listed, categoryReference=pattern)))
            assert listed["a"]["id"] in expected and got == expected, (
                f"categoryReference={pattern}: expected {expected}, got {got}")
    with verify.clause("valomnia.customers.list.category-reference-wildcard"):
        got = ids_of(page(client, listed, categoryReference="accord-no-such-category"))
        assert got == [], f"an unknown category should give an empty page, got {got}"


@pytest.mark.clause("valomnia.customers.list.is-active-filter")
@pytest.mark.parametrize("active", [True, False], ids=["true", "false"])
def test_is_active_filter(client, listed, active):
    expected = sorted(r["id"] for r in listed["all"] if r["isActive"] is active)
    got = sorted(ids_of(page(client, listed, isActive=active)))
    assert got == expected, f"isActive={str(active).lower()}: expected ids {expected}, got {got}"


@pytest.mark.clause("valomnia.customers.list.invalid-value-rejected")
@pytest.mark.parametrize("params", [{"max": "-1"}, {"offset": "abc"}, {"order": "up"}, {"sort": "accordNoSuchField"},
                                    {"isActive": "maybe"}], ids=str)
def test_invalid_value_rejected(client, params):
    expect_error(client.list(**params), 400, "invalid_param_type")
