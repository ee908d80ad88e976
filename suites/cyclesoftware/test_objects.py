"""The Customer (object) as its property table and the API Types describe it (_customers.md, _introduction.md)."""

from __future__ import annotations

import re

import pytest

from accord.checks import expect_json, expect_status

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
PHONE_ID = re.compile(r"^(tel|mob|[0-9]+)$")
CUSTOMER_TYPES = ("Klant", "Leverancier", "E-commerce", "Zakelijk", "Lease-rijder", "Lease-maatschappij", "Werkgever")
COMPANY_FIELDS = ("company_name", "vat_number", "coc_number")


def first_page(client) -> list:
    return [c for c in expect_json(client.list(), 200).get("customers") or [] if isinstance(c, dict)]


def label(customer) -> str:
    return f"customer {customer.get('customer_id')!r}"


def read_sample(client, run_state, request) -> list:
    """The run's customer A read by GET (a read-only run creates none: the first listed one), and list.json's first page."""
    page = first_page(client)
    if run_state.read_only:
        return ([expect_json(client.get(page[0]["customer_id"]), 200)] if page else []) + page
    return [expect_json(client.get(request.getfixturevalue("findable").a["customer_id"]), 200), *page]


@pytest.mark.clause("cyclesoftware.customers.object.datetime-format")
def test_datetime_format(client, run_state, request):
    customers = read_sample(client, run_state, request)
    wrong = [f"{label(c)}: {c['datetime_created']!r}" for c in customers
             if c.get("datetime_created") is not None and not DATETIME.match(str(c["datetime_created"]))]
    assert not wrong, "datetime_created is not 'yyyy-mm-dd hh:mm:ss': " + "; ".join(wrong[:5])


def is_decimal(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(round(value, 2) - value) < 1e-9


@pytest.mark.clause("cyclesoftware.customers.object.discount-decimal")
def test_discount_is_a_two_decimal_number(client, mutable, verify):
    customer_id = mutable.customer["customer_id"]
    answer = expect_json(client.update(customer_id, {"discount_percentage": 7.125}), 200)
    for where, customers in (("the PUT answer", [answer]), ("the read-back", [expect_json(client.get(customer_id), 200)]),
                             ("list.json", first_page(client))):
        with verify.clause("cyclesoftware.customers.object.discount-decimal"):
            wrong = [f"{label(c)}: {c.get('discount_percentage')!r}" for c in customers
                     if not is_decimal(c.get("discount_percentage"))]
            assert not wrong, f"{where}: discount_percentage is not a number with at most 2 decimals: " + "; ".join(wrong[:5])


@pytest.mark.clause("cyclesoftware.customers.object.phone-number-ids")
def test_phone_number_ids(client, created, created_id, findable):
    """The create sent each phone number with another customer_id (readonly: ignored)."""
    customers = [created.body, expect_json(client.get(created_id), 200), expect_json(client.get(findable.b["customer_id"]), 200)]
    for customer in customers:
        for phone in customer.get("phone_numbers") or []:
            phone_id = phone.get("phone_number_id")
            assert isinstance(phone_id, str) and PHONE_ID.match(phone_id), (
                f"{label(customer)}: phone_number_id {phone_id!r} is not 'tel', 'mob' or a string of digits")
            assert phone.get("customer_id") == customer.get("customer_id"), (
                f"{label(customer)}: its phone number {phone_id!r} names customer {phone.get('customer_id')!r}")


@pytest.mark.clause("cyclesoftware.customers.object.customer-type-enum")
def test_customer_type_names(client, run_state, request):
    customers = read_sample(client, run_state, request)
    wrong = [f"{label(c)}: {c.get('customer_type_name')!r}" for c in customers
             if c.get("customer_type_name") not in CUSTOMER_TYPES]
    assert not wrong, "customer_type_name outside the customer_types enum: " + "; ".join(wrong[:5])


@pytest.mark.clause("cyclesoftware.customers.object.company-fields")
def test_company_fields(client, findable, mutable, verify):
    customer_id = mutable.customer["customer_id"]
    sources = [("the create answer", [findable.a]), ("GET", [expect_json(client.get(customer_id), 200)]),
               ("the PUT answer", [expect_json(client.update(customer_id, {"vat_number": "NL000099998B57"}), 200)]),
               ("list.json", first_page(client))]
    for where, customers in sources:
        with verify.clause("cyclesoftware.customers.object.company-fields"):
            wrong = [f"{label(c)}: {f} = {c.get(f, '(absent)')!r}" for c in customers for f in COMPANY_FIELDS
                     if not isinstance(c.get(f), str)]
            assert not wrong, f"{where}: company fields missing or not strings: " + "; ".join(wrong[:5])


@pytest.mark.clause("cyclesoftware.common.customer-types")
def test_customer_types_enum(client, contract):
    response = client.customer_types()
    if response.status_code in (401, 403):
        pytest.skip("not applicable: the account lacks the scope 'common' that the enum needs")
    body = expect_json(response, 200, contract, "Enum.json")
    data = [item for item in body.get("data") or [] if isinstance(item, dict)]
    names = sorted(str(item.get("description")) for item in data)
    assert names == sorted(CUSTOMER_TYPES), f"the customer_types enum names {names}, not the seven documented types"
    type_ids = [item.get("id") for item in data]
    assert len(set(type_ids)) == len(type_ids), f"the enum's ids repeat: {type_ids}"
    expect_status(response, 200)
