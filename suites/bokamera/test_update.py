"""UpdateCustomer (PUT /customers/{Id}): the answer, what is stored, timestamps, the sample exchange."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from accord.checks import body_of, expect_json, expect_schema

INVOICE = {"CorporateIdentityNumber": "556677-8899", "InvoiceAddress1": "Storgatan 1", "InvoiceAddress2": "c/o Accord",
           "InvoiceCity": "Stockholm", "InvoicePostalCode": "111 22", "InvoiceCountryCode": "SE"}


@pytest.fixture(scope="module")
def shared(client):
    """One customer for the checks that each change different properties of it."""
    return client.create_ok("update")


def when(text: str) -> datetime:
    """A .NET ISO 8601 timestamp (7 fractional digits, Z) as a datetime."""
    main, _, fraction = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(main + "." + (fraction + "000000")[:6] if fraction else main)


@pytest.mark.clause("bokamera.customers.update.returns-customer")
def test_update_returns_the_customer(client, customer, contract):
    sent = {"Firstname": "Updated", "Lastname": customer["Lastname"], "Phone": "+46 8 123 456", "Email": "updated@example.com"}
    body = expect_json(client.update(customer["Id"], sent), 200, contract, "CustomerQueryResponse.json")
    assert body.get("Id") == customer["Id"], f"asked to update {customer['Id']}, the answer has Id {body.get('Id')!r}"
    changed = {k: body.get(k) for k, v in sent.items() if body.get(k) != v}
    assert not changed, f"the answer differs from what was sent: {changed}"


@pytest.mark.clause("bokamera.customers.update.persists")
def test_update_persists(client, shared):
    customer = shared
    sent = {"Firstname": "Stored", "Lastname": client.tagged("stored"), "Phone": "+46 8 765 432", "Email": "stored@example.com"}
    expect_json(client.update(customer["Id"], sent), 200)
    read = client.read(customer["Id"])
    assert read is not None, "CustomerQuery does not list the updated customer"
    changed = {k: read.get(k) for k, v in sent.items() if read.get(k) != v}
    assert not changed, f"CustomerQuery reads back other values: {changed}"


@pytest.mark.clause("bokamera.customers.update.invoice-address-stored")
def test_invoice_address_stored(client, shared):
    customer = shared
    answer = expect_json(client.update(customer["Id"], {"InvoiceAddress": INVOICE}), 200)
    assert answer.get("InvoiceAddress") == INVOICE, f"the answer has InvoiceAddress {answer.get('InvoiceAddress')!r}"
    read = client.read(customer["Id"], IncludeInvoiceAddress=True)
    assert (read or {}).get("InvoiceAddress") == INVOICE, f"CustomerQuery reads back {(read or {}).get('InvoiceAddress')!r}"


@pytest.mark.clause("bokamera.customers.update.newsletter-stored")
def test_newsletter_stored(client, shared, verify):
    customer = shared
    for value in (True, False):
        with verify.clause("bokamera.customers.update.newsletter-stored"):
            answer = expect_json(client.update(customer["Id"], {"SubscribedToNewsletter": value}), 200)
            assert answer.get("SubscribedToNewsletter") is value, (
                f"sent SubscribedToNewsletter {value}, the answer has {answer.get('SubscribedToNewsletter')!r}")


@pytest.mark.clause("bokamera.customers.update.timestamps")
def test_timestamps(client, customer):
    assert customer.get("Updated") and customer.get("Created"), "the create answer has no Updated or Created"
    answer = expect_json(client.update(customer["Id"], {"Firstname": "Later"}), 200)
    assert answer.get("Created") and when(answer["Created"]) == when(customer["Created"]), (
        f"Created changed from {customer['Created']} to {answer.get('Created')!r}")
    assert answer.get("Updated") and when(answer["Updated"]) > when(customer["Updated"]), (
        f"Updated did not move forward: {customer['Updated']} then {answer.get('Updated')!r}")


@pytest.mark.clause("bokamera.customers.update.unknown-id-not-found")
def test_update_unknown_id(client, contract):
    expect_json(client.update(client.absent_id("customer"), {"Firstname": "x"}), 404, contract, "ErrorResponse.json")


@pytest.mark.clause("bokamera.customers.update.required-fields-either")
def test_update_without_the_newer_required_fields(client, customer, verify):
    for left_out in ("Firstname", "Lastname", "Phone", "Email"):
        with verify.clause("bokamera.customers.update.required-fields-either"):
            body = {k: v for k, v in client.new_body("required", Lastname=customer["Lastname"]).items() if k != left_out}
            response = client.update(customer["Id"], body)
            assert response.status_code in (200, 400), (
                f"an update without {left_out} answered {response.status_code}; 200 (older metadata) or 400 (newer)")


@pytest.mark.clause("bokamera.customers.update.documented-sample")
def test_documented_sample_exchange(client, customer, contract):
    """The sample request line verbatim but the run's own values for the person (Lastname carries the tag)."""
    sample = contract.examples("UpdateCustomer.json")[0]
    body = {**sample, "Lastname": customer["Lastname"]}
    response = client.update_jsonl(customer["Id"], body)
    assert response.status_code == 200, f"the documented sample exchange answered {response.status_code}: {response.text[:200]!r}"
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert kind == "text/jsonl", f"the sample answer is Content-Type text/jsonl; got {kind!r}"
    lines = [line for line in response.text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
    expect_schema(contract, "CustomerQueryResponse.json", json.loads(lines[0]), "the sample answer")
    assert body_of(response).get("Firstname") == sample["Firstname"]
