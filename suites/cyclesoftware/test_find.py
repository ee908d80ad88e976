"""GET /api/v1/customers/find.json: each filter narrows as documented, alone and combined (_customers.md
Find customers). Every check holds for the whole answer, not only for the run's own customers: a
result that does not match the filter fails it, wherever it comes from."""

from __future__ import annotations

import secrets

import pytest

from accord.checks import expect_json

NAME_FIELDS = ("first_name", "insertion", "name", "company_name")  # "name of customer": the object's names


def digits(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isdigit())


def ids(body) -> set:
    return {c.get("customer_id") for c in body if isinstance(c, dict)}


def found(client, **params) -> list:
    body = expect_json(client.find(**params), 200)
    assert isinstance(body, list), f"find.json?{params} answered {type(body).__name__}, not an array"
    return body


def expect_narrowed(body, params, matches, wanted: set, unwanted: set) -> None:
    """Every result matches; the run's customers that match are there, those that do not are not."""
    wrong = [c.get("customer_id") for c in body if isinstance(c, dict) and not matches(c)]
    assert not wrong, f"find.json?{params} returned customers that do not match: {wrong[:10]}"
    missing, extra = wanted - ids(body), unwanted & ids(body)
    assert not missing, f"find.json?{params} left out matching customers {sorted(missing)}"
    assert not extra, f"find.json?{params} returned non-matching customers {sorted(extra)}"


@pytest.mark.clause("cyclesoftware.customers.find.returns-array")
def test_find_returns_array(client, contract, run_state, request):
    """The run's two customers by a word of their names (a read-only run: the first listed customer by its name)."""
    if run_state.read_only:
        page = expect_json(client.list(), 200).get("customers") or []
        if page:
            expect_json(client.find(query=page[0].get("name") or ""), 200, contract, "CustomerFindResult.json")
    else:
        findable = request.getfixturevalue("findable")
        body = expect_json(client.find(query=findable.word), 200, contract, "CustomerFindResult.json")
        assert findable.ids <= ids(body), f"query={findable.word} should find {sorted(findable.ids)}, got {sorted(ids(body))}"
    nothing = expect_json(client.find(query=f"accord-nothing-{secrets.token_hex(6)}"), 200, contract,
                          "CustomerFindResult.json")
    assert nothing == [], f"a query nothing matches answered {nothing!r}, not an empty array"


def has_number(wanted: str):
    def matches(customer) -> bool:
        return any(digits(p.get("phone_number", "")) == wanted for p in customer.get("phone_numbers") or [])
    return matches


@pytest.mark.clause("cyclesoftware.customers.find.phone-number")
def test_find_by_phone_number(client, findable, verify):
    a, b = findable.sent_a, findable.sent_b
    numbers = {"A's mobile": (digits(a["phone_numbers"][0]["phone_number"]), findable.a),
               "B's landline, written without spaces": (digits(b["phone_numbers"][1]["phone_number"]), findable.b),
               "B's extra number": (b["phone_numbers"][2]["phone_number"], findable.b)}
    for label, (number, owner) in numbers.items():
        wanted = digits(number)
        other = findable.ids - {owner["customer_id"]}
        with verify.clause("cyclesoftware.customers.find.phone-number"):
            body = found(client, phone_number=number)
            expect_narrowed(body, {"phone_number": number, "case": label}, has_number(wanted), {owner["customer_id"]}, other)


def exact(field: str, value: str, fold: bool = False):
    def matches(customer) -> bool:
        held = str(customer.get(field) or "").strip()
        return held.casefold() == value.strip().casefold() if fold else "".join(held.split()) == "".join(value.split())
    return matches


@pytest.mark.clause("cyclesoftware.customers.find.postal-code")
def test_find_by_postal_code(client, findable):
    value = findable.sent_a["postcode"]
    expect_narrowed(found(client, postal_code=value), {"postal_code": value}, exact("postcode", value, fold=True),
                    {findable.a["customer_id"]}, {findable.b["customer_id"]})


@pytest.mark.clause("cyclesoftware.customers.find.housenumber")
def test_find_by_housenumber(client, findable):
    """B's house number starts with A's: a prefix match is no match."""
    value = findable.sent_a["house_number"]
    expect_narrowed(found(client, housenumber=value), {"housenumber": value}, exact("house_number", value),
                    {findable.a["customer_id"]}, {findable.b["customer_id"]})


@pytest.mark.clause("cyclesoftware.customers.find.housenumber-postfix")
def test_find_by_housenumber_postfix(client, findable):
    value = findable.sent_b["house_number_postfix"]
    expect_narrowed(found(client, housenumber_postfix=value), {"housenumber_postfix": value},
                    exact("house_number_postfix", value, fold=True), {findable.b["customer_id"]}, {findable.a["customer_id"]})


@pytest.mark.clause("cyclesoftware.customers.find.email")
def test_find_by_email(client, findable):
    """B's address contains A's: containing it is no match."""
    value = findable.sent_a["email"]
    expect_narrowed(found(client, email=value), {"email": value}, exact("email", value, fold=True),
                    {findable.a["customer_id"]}, {findable.b["customer_id"]})


def both(*predicates):
    def matches(customer) -> bool:
        return all(p(customer) for p in predicates)
    return matches


# A country or a customer type can match most of a live account's customers, and find.json does not
# page: these two filters are combined with the run's own word (filters combine, _customers.md), so
# the answer holds the run's customers, not the account's.
@pytest.mark.clause("cyclesoftware.customers.find.country-code")
def test_find_by_country_code(client, findable):
    value = findable.sent_a["country_code_iso_3166"]
    params = {"country_code": value, "query": findable.word}
    expect_narrowed(found(client, **params), params, both(exact("country_code_iso_3166", value, fold=True),
                                                          has_words(findable.word)),
                    {findable.a["customer_id"]}, {findable.b["customer_id"]})


@pytest.mark.clause("cyclesoftware.customers.find.customer-type")
def test_find_by_customer_type(client, findable):
    response = client.customer_types()
    if response.status_code in (401, 403):
        pytest.skip("not applicable: the account may not read the customer_types enum (scope common), so no type id is known")
    enum = expect_json(response, 200)
    type_ids = {item.get("description"): item.get("id") for item in enum.get("data") or [] if isinstance(item, dict)}
    name = findable.sent_a["customer_type_name"]
    if name not in type_ids:
        pytest.skip(f"not applicable: the customer_types enum names no {name!r}")
    params = {"customer_type_id": type_ids[name], "query": findable.word}
    expect_narrowed(found(client, **params), params, both(exact("customer_type_name", name), has_words(findable.word)),
                    {findable.a["customer_id"]}, {findable.b["customer_id"]})


def has_words(query: str):
    words = [w.casefold() for w in query.split()]

    def matches(customer) -> bool:
        return all(any(w in str(customer.get(f) or "").casefold() for f in NAME_FIELDS) for w in words)
    return matches


@pytest.mark.clause("cyclesoftware.customers.find.query")
def test_find_by_query(client, findable, verify):
    """Several words (in one name field or spread over several, in any order and case), a word cut
    at either end, and words nothing matches."""
    word, a, b = findable.word, findable.a["customer_id"], findable.b["customer_id"]
    cases = [
        (word, {a, b}, set()),
        (f"{word} alpha", {a}, {b}),
        (f"BETA {word.upper()}", {b}, {a}),
        (f"Anna {word}", {a}, {b}),
        (word[:-2], {a, b}, set()),
        (word[2:], {a, b}, set()),
        (f"{word} accordnomatch{secrets.token_hex(4)}", set(), {a, b}),
    ]
    for query, wanted, unwanted in cases:
        with verify.clause("cyclesoftware.customers.find.query"):
            expect_narrowed(found(client, query=query), {"query": query}, has_words(query), wanted, unwanted)


@pytest.mark.clause("cyclesoftware.customers.find.combined-filters")
def test_find_combined_filters(client, findable, verify):
    a, b = findable.sent_a, findable.sent_b
    a_id, b_id = findable.a["customer_id"], findable.b["customer_id"]
    cases = [
        ({"query": findable.word, "country_code": a["country_code_iso_3166"]}, {a_id}, {b_id},
         lambda c: has_words(findable.word)(c) and exact("country_code_iso_3166", a["country_code_iso_3166"], True)(c)),
        ({"postal_code": a["postcode"], "housenumber": a["house_number"]}, {a_id}, {b_id},
         lambda c: exact("postcode", a["postcode"], True)(c) and exact("house_number", a["house_number"])(c)),
        ({"postal_code": a["postcode"], "housenumber": b["house_number"]}, set(), {a_id, b_id},
         lambda c: exact("postcode", a["postcode"], True)(c) and exact("house_number", b["house_number"])(c)),
        ({"email": a["email"], "query": f"{findable.word} beta"}, set(), {a_id, b_id},
         lambda c: exact("email", a["email"], True)(c) and has_words(f"{findable.word} beta")(c)),
    ]
    for params, wanted, unwanted, matches in cases:
        with verify.clause("cyclesoftware.customers.find.combined-filters"):
            expect_narrowed(found(client, **params), params, matches, wanted, unwanted)
