"""One customer: look-up by id or number, read, create in batches, update, delete (korona-customers-api-v3.md)."""

from __future__ import annotations

import pytest

from accord.checks import expect_json, expect_status
from accord.vendors.korona.listing import differences, expect_success, find_by_number, ids, since

ADDRESS = {"addressLine1": "Hauptstr. 1", "addressLine2": "2. OG", "city": "Berlin", "country": "DE",
           "department": "Einkauf", "state": "Berlin", "zipCode": "10115"}


def full_entry(client, label: str) -> dict:
    """Every writable seed-era field but the references (customerGroup, economicZone), which must name
    objects the target's back office holds (examples/CustomerBatch.seed-fields.json)."""
    return client.entry(label, firstname="Anna", company="Muster GmbH", email="anna@example.com",
                        phone="+49 30 1234567", taxId="DE123456789", gender="FEMALE",
                        birthday="2018-11-22T08:40:21.000Z", address=ADDRESS,
                        cards=[{"number": f"{client.number()}-card", "type": "FRIENDSBONUS"}],
                        informations=[{"creatorName": "admin", "date": "2018-11-22T08:40:21.000Z", "text": "prefers e-mail"}],
                        privacyPolicyAccepted=True, marketingContactPermitted=False)


@pytest.fixture(scope="module")
def scratch(client):
    """A customer the update checks share: each changes only its firstname, or sends changes that must be refused."""
    return client.create_ok("scratch", firstname="Scratch", gender="MALE", privacyPolicyAccepted=True)


def results_of(response, count: int) -> list:
    body = expect_json(response, 200)
    assert isinstance(body, list) and len(body) == count, f"expected {count} AddOrUpdateResults, got {body!r}"
    return body


# --- look-up: customerIdOrNumber -------------------------------------------------------------------
@pytest.mark.clause("korona.customers.lookup.by-id")
def test_lookup_by_id(client, verify):
    results = results_of(client.add([client.entry("by id")]), 1)
    customer = {"id": results[0].get("id")}
    with verify.clause("korona.customers.lookup.by-id"):
        read = expect_json(client.get(customer["id"]), 200)
        assert read.get("id") == customer["id"], f"GET {customer['id']} answered customer {read.get('id')!r}"
    with verify.clause("korona.customers.lookup.by-id"):
        expect_success(client.update(customer["id"], {"firstname": "by id"}))
        assert expect_json(client.get(customer["id"]), 200).get("firstname") == "by id", "PATCH by id changed nothing"
    with verify.clause("korona.customers.lookup.by-id"):
        expect_success(client.delete(customer["id"]))
        expect_status(client.get(customer["id"]), 404)


@pytest.mark.clause("korona.customers.lookup.by-number")
def test_lookup_by_number(client, kept):
    read = expect_json(client.get(kept["number"]), 200)
    assert read.get("id") == kept["id"], f"GET {kept['number']} answered customer {read.get('id')!r}"


@pytest.mark.clause("korona.customers.lookup.uuid-shaped-number-is-id")
def test_uuid_shaped_number_is_an_id(client):
    number = client.uuid_number()
    customer = client.create_ok("uuid-shaped number", number=number)
    assert customer.get("number") == number, f"the customer was stored with number {customer.get('number')!r}"
    by_number = client.get(number)
    assert by_number.status_code == 404, (
        f"GET {number} (a number in UUID form, no customer's id) answered {by_number.status_code}: "
        "a value in UUID format must be looked up as an id")
    expect_status(client.get(customer["id"]), 200)


@pytest.mark.clause("korona.customers.lookup.id-only")
def test_path_takes_ids_only(client, kept):
    response = client.get(kept["number"])
    assert response.status_code in (400, 404), (
        f"GET {kept['number']} (not in UUID form) answered {response.status_code}: 3.2 looks up ids only")


# --- getCustomer -----------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.get.returns-customer")
def test_get_returns_customer(client, kept, contract):
    body = expect_json(client.get(kept["id"]), 200, contract, "Customer.json")
    assert body.get("id") == kept["id"], f"asked for {kept['id']}, got {body.get('id')!r}"
    missing = [field for field in ("id", "number", "revision") if body.get(field) in (None, "")]
    assert not missing, f"the customer lacks {missing}: {body!r}"


@pytest.mark.clause("korona.customers.get.unknown-not-found")
def test_get_unknown(client, contract, verify, v32):
    refs = [client.absent_customer_id()] + ([] if v32 else [client.absent_number()])
    for ref in refs:
        with verify.clause("korona.customers.get.unknown-not-found"):
            expect_status(client.get(ref), 404)


# --- addCustomers ----------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.create.returns-results")
def test_create_returns_results(client, contract):
    response = client.add([client.entry("returns results")])
    results = results_of(response, 1)
    expect_json(response, 200, contract, "AddOrUpdateResultList.json")
    result = results[0]
    assert (result.get("status"), result.get("action")) == ("OK", "ADDED"), f"the entry's result is {result!r}"
    assert result.get("id"), f"the result names no id of the new customer: {result!r}"


@pytest.mark.clause("korona.customers.create.read-back")
def test_created_customer_reads_back(client):
    entry = full_entry(client, "read back")
    results = results_of(client.add([entry]), 1)
    read = expect_json(client.get(results[0].get("id")), 200)
    changed = differences(entry, read)
    assert not changed, "the customer reads back differently: " + "; ".join(changed)


@pytest.mark.clause("korona.customers.create.duplicate-number-rejected")
def test_duplicate_number_rejected(client, kept, verify, v32):
    with verify.clause("korona.customers.create.duplicate-number-rejected"):
        results = results_of(client.add([client.entry("duplicate", number=kept["number"])]), 1)
        assert results[0].get("status") == "ERROR", f"a number in use was accepted: {results[0]!r}"
    number = client.number()
    with verify.clause("korona.customers.create.duplicate-number-rejected"):
        results = results_of(client.add([client.entry("twin a", number=number), client.entry("twin b", number=number)]), 2)
        assert [r.get("status") for r in results] == ["OK", "ERROR"], f"a number twice in one batch: {results!r}"
    with verify.clause("korona.customers.create.duplicate-number-rejected"):
        for taken in (kept["number"], number):
            found = find_by_number(client, taken, v32)
            assert len(found) <= 1, f"{len(found)} customers have number {taken}"


@pytest.mark.clause("korona.customers.create.invalid-body-rejected")
@pytest.mark.parametrize("body", ["object", "string", "number", "null"])
def test_non_array_body_rejected(client, contract, body, v32):
    number = client.number()
    payload = {"object": {"number": number, "lastname": client.tagged("not a batch")},
               "string": "customers", "number": 5, "null": None}[body]
    response = client.session.post(client.path("/accounts/{accountId}/customers"),
                                   data=b"null" if payload is None else None,
                                   json=payload, headers={"Content-Type": "application/json"})
    expect_status(response, 400)
    if body == "object":
        assert not find_by_number(client, number, v32), "the refused body created a customer"


# --- updateCustomer --------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.update.empty-body")
def test_update_answers_empty(client, scratch):
    response = client.update(scratch["id"], {"firstname": "empty answer"})
    assert 200 <= response.status_code < 300, f"PATCH answered {response.status_code}"
    assert response.content == b"", f"PATCH answered a body: {response.text[:200]!r}"


@pytest.mark.clause("korona.customers.update.no-content-204")
def test_update_answers_204(client, scratch):
    response = client.update(scratch["id"], {"firstname": "no content"})
    expect_status(response, 204)
    assert response.content == b"", f"the 204 carries a body: {response.text[:200]!r}"


@pytest.mark.clause("korona.customers.update.partial-merge", "korona.customers.update.persists")
def test_partial_update(client, verify):
    entry = full_entry(client, "partial")
    created = client.add_ok(entry)[0]
    expect_success(client.update(created["id"], {"firstname": "Berta"}))
    after = expect_json(client.get(created["id"]), 200)
    with verify.clause("korona.customers.update.partial-merge"):
        changed = differences({k: v for k, v in entry.items() if k != "firstname"}, after)
        assert not changed, "properties not sent were changed: " + "; ".join(changed)
    with verify.clause("korona.customers.update.persists"):
        assert after.get("firstname") == "Berta", f"GET after PATCH shows firstname {after.get('firstname')!r}"
        listed = [c for c in since(client, created["revision"] - 1) if c.get("id") == created["id"]]
        assert listed and listed[0].get("firstname") == "Berta", f"getCustomers after PATCH shows {listed!r}"


@pytest.mark.clause("korona.customers.update.unknown-not-found")
def test_update_unknown(client, contract, verify, v32):
    refs = [client.absent_customer_id()] + ([] if v32 else [client.absent_number()])
    for ref in refs:
        with verify.clause("korona.customers.update.unknown-not-found"):
            expect_status(client.update(ref, {"firstname": "nobody"}), 404)
            assert client.get(ref).status_code == 404, f"the PATCH of unknown {ref} created a customer"


INVALID_UPDATES = [{"gender": "ZZ-not-allowed"}, {"privacyPolicyAccepted": {"nested": "object"}},
                   {"firstname": ["list"]}, ["not", "an", "object"]]


@pytest.mark.clause("korona.customers.update.invalid-rejected")
def test_invalid_update_rejected(client, scratch, contract, verify):
    before = expect_json(client.get(scratch["id"]), 200)
    for body in INVALID_UPDATES:
        with verify.clause("korona.customers.update.invalid-rejected"):
            expect_status(client.update(scratch["id"], body), 400)
    with verify.clause("korona.customers.update.invalid-rejected"):
        after = expect_json(client.get(scratch["id"]), 200)
        changed = differences({k: before.get(k) for k in ("gender", "privacyPolicyAccepted", "firstname")}, after)
        assert not changed, "the refused PATCHes changed: " + "; ".join(changed)


# --- updateCustomers -------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.update-batch.returns-results")
def test_batch_update(client, scratch, contract):
    response = client.update_batch([{"number": scratch["number"], "firstname": "batch"}])
    results = results_of(response, 1)
    expect_json(response, 200, contract, "AddOrUpdateResultList.json")
    assert (results[0].get("status"), results[0].get("action")) == ("OK", "UPDATED"), f"the result is {results[0]!r}"
    assert expect_json(client.get(scratch["id"]), 200).get("firstname") == "batch", "the batch update changed nothing"


@pytest.mark.clause("korona.customers.update-batch.number-required")
def test_batch_entry_without_number(client, scratch):
    before = expect_json(client.get(scratch["id"]), 200)
    results = results_of(client.update_batch([{"id": scratch["id"], "firstname": "by id only"}]), 1)
    assert results[0].get("status") == "ERROR", f"an entry without number was accepted: {results[0]!r}"
    after = expect_json(client.get(scratch["id"]), 200)
    assert after.get("firstname") == before.get("firstname"), f"an entry without number was applied: {after!r}"


@pytest.mark.clause("korona.customers.update-batch.id-or-number")
def test_batch_entry_by_id(client, scratch):
    results = results_of(client.update_batch([{"id": scratch["id"], "firstname": "by id only"}]), 1)
    assert results[0].get("status") == "OK", f"an entry with an id was refused: {results[0]!r}"
    assert expect_json(client.get(scratch["id"]), 200).get("firstname") == "by id only", "the entry was not applied"


@pytest.mark.clause("korona.customers.update-batch.per-entry-results")
def test_batch_update_per_entry(client, verify):
    first, invalid, last = client.add_ok(client.entry("entry 1"), client.entry("entry 2"), client.entry("entry 4"))
    entries = [{"number": first["number"], "firstname": "applied"},
               {"number": invalid["number"], "firstname": "not applied", "gender": "ZZ-not-allowed"},
               {"number": f"{client.tag}-no-such-number", "firstname": "nobody"},
               {"number": last["number"], "firstname": "applied"}]
    results = results_of(client.update_batch(entries), 4)
    with verify.clause("korona.customers.update-batch.per-entry-results"):
        statuses = [r.get("status") for r in results]
        assert statuses == ["OK", "ERROR", "ERROR", "OK"], f"expected OK, ERROR, ERROR, OK, got {statuses}"
    with verify.clause("korona.customers.update-batch.per-entry-results"):
        listed = {c.get("id"): c.get("firstname") for c in since(client, min(first["revision"], invalid["revision"],
                                                                              last["revision"]) - 1)}
        names = [listed.get(c["id"]) for c in (first, invalid, last)]
        assert names == ["applied", invalid.get("firstname"), "applied"], f"firstnames after the batch: {names}"


# --- deleteCustomer --------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.delete.empty-body")
def test_delete_answers_empty(client, customer):
    response = client.delete(customer["id"])
    assert 200 <= response.status_code < 300, f"DELETE answered {response.status_code}"
    assert response.content == b"", f"DELETE answered a body: {response.text[:200]!r}"


@pytest.mark.clause("korona.customers.delete.no-content-204")
def test_delete_answers_204(client, customer):
    response = client.delete(customer["id"])
    expect_status(response, 204)
    assert response.content == b"", f"the 204 carries a body: {response.text[:200]!r}"


@pytest.mark.clause("korona.customers.delete.removes")
def test_delete_removes(client, customer):
    expect_success(client.delete(customer["id"]))
    expect_status(client.get(customer["id"]), 404)
    assert customer["id"] not in ids(since(client, customer["revision"] - 1)), "the deleted customer is still listed"


@pytest.mark.clause("korona.customers.delete.unknown-not-found")
def test_delete_unknown(client, contract, verify):
    gone = client.create_ok("deleted twice")
    expect_success(client.delete(gone["id"]))
    for ref in (client.absent_customer_id(), gone["id"]):
        with verify.clause("korona.customers.delete.unknown-not-found"):
            expect_status(client.delete(ref), 404)


@pytest.mark.clause("korona.customers.delete-batch.deletes")
def test_batch_delete(client):
    by_id, by_number = client.add_ok(client.entry("batch delete id"), client.entry("batch delete number"))
    results = results_of(client.delete_batch([{"id": by_id["id"]}, {"number": by_number["number"]}]), 2)
    actions = [(r.get("status"), r.get("action")) for r in results]
    assert actions == [("OK", "DELETED")] * 2, f"deleteCustomers answered {actions}"
    for customer in (by_id, by_number):
        expect_status(client.get(customer["id"]), 404)


# --- writeMode (3.2) -------------------------------------------------------------------------------
@pytest.mark.clause("korona.customers.create.write-mode")
def test_write_mode(client, verify):
    customer = client.create_ok("write mode", firstname="Kept", company="Kept GmbH")
    with verify.clause("korona.customers.create.write-mode"):
        results = results_of(client.add([{"number": customer["number"], "company": "Updated GmbH",
                                          "lastname": customer["lastname"]}], writeMode="ADD_OR_UPDATE"), 1)
        assert (results[0].get("status"), results[0].get("action")) == ("OK", "UPDATED"), f"ADD_OR_UPDATE: {results[0]!r}"
        after = expect_json(client.get(customer["id"]), 200)
        assert (after.get("firstname"), after.get("company")) == ("Kept", "Updated GmbH"), f"ADD_OR_UPDATE left {after!r}"
    with verify.clause("korona.customers.create.write-mode"):
        results = results_of(client.add([{"number": customer["number"], "lastname": customer["lastname"]}],
                                        writeMode="ADD_OR_REPLACE"), 1)
        assert results[0].get("status") == "OK", f"ADD_OR_REPLACE: {results[0]!r}"
        after = expect_json(client.get(customer["id"]), 200)
        assert not after.get("firstname") and not after.get("company"), f"ADD_OR_REPLACE kept fields: {after!r}"
    with verify.clause("korona.customers.create.write-mode"):
        results = results_of(client.add([{"number": customer["number"], "lastname": customer["lastname"]}],
                                        writeMode="DEFAULT"), 1)
        assert results[0].get("status") == "ERROR", f"DEFAULT with a number in use: {results[0]!r}"
