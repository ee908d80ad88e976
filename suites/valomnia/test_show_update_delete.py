"""Show (11.2), Update (11.4), Upsert (11.5) and Delete (11.6) of one customer, by id and by reference."""

from __future__ import annotations

import time

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.valomnia.expect import customer_in, expect_error, ids_of, read_back_differences

DELETED = {"success": "true", "success_description": "Instance deleted successfully"}


def tick(target) -> None:
    """Timestamps have whole seconds: on a live target, let one pass before an update that must move one."""
    if target.kind != "simulator":
        time.sleep(1.1)


# --- show -----------------------------------------------------------------------------------------
@pytest.mark.clause("valomnia.customers.show.by-id")
def test_show_by_id(client, readable):
    body = expect_json(client.show(readable["id"]), 200)
    assert isinstance(body, dict), f"GET /customers/{readable['id']} answered {str(body)[:200]}, not a customer"
    assert body.get("id") == readable["id"] and body.get("reference") == readable["reference"], (
        f"asked for customer {readable['id']}, got {body.get('id')!r} ({body.get('reference')!r})")


@pytest.mark.clause("valomnia.customers.show.by-reference")
def test_show_by_reference(client, base):
    body = expect_json(client.show_by_reference(base["reference"]), 200)
    got = body.get("id") if isinstance(body, dict) else body
    assert got == base["id"], f"reference {base['reference']}: expected customer {base['id']}, got {got!r}"


@pytest.mark.clause("valomnia.customers.show.unknown-not-found")
def test_show_unknown(client, verify):
    with verify.clause("valomnia.customers.show.unknown-not-found"):
        expect_error(client.show(client.absent_customer_id()), 404, "not_found")
    with verify.clause("valomnia.customers.show.unknown-not-found"):
        expect_error(client.show_by_reference(f"{client.tag}-absent"), 404, "not_found")


@pytest.mark.clause("valomnia.customers.show.invalid-id-type")
def test_show_non_numeric_id(client):
    expect_error(client.show("abc"), 400, "invalid_param_type")


# --- update ---------------------------------------------------------------------------------------
@pytest.mark.clause("valomnia.customers.update.by-id", "valomnia.customers.update.partial", "valomnia.customers.update.persists",
                    "valomnia.customers.update.last-updated-changes", "valomnia.customers.update.date-created-kept",
                    "valomnia.customers.update.multipart")
def test_update(client, target, verify):
    before = client.create_ok(name=f"{client.tag} to update", comment="before", city="Sousse", creditLimit=100, onHold=True)
    tick(target)
    response = client.update(before["id"], {"comment": "after"})
    with verify.clause("valomnia.customers.update.by-id"):
        expect_status(response, 200)
    after = customer_in(response, 200, 201) if 200 <= response.status_code < 300 else {}
    with verify.clause("valomnia.customers.update.partial"):
        kept = {k: before[k] for k in ("reference", "name", "city", "creditLimit", "onHold", "isActive", "currency")}
        changed = read_back_differences(kept, after) + ([] if after.get("comment") == "after" else ["comment not updated"])
        assert not changed, "an update of comment alone changed more: " + "; ".join(changed)
    with verify.clause("valomnia.customers.update.last-updated-changes"):
        assert str(after.get("lastUpdated")) > str(before.get("lastUpdated")), (
            f"lastUpdated {before.get('lastUpdated')!r} -> {after.get('lastUpdated')!r}")
    with verify.clause("valomnia.customers.update.date-created-kept"):
        assert after.get("dateCreated") == before.get("dateCreated"), (
            f"dateCreated {before.get('dateCreated')!r} -> {after.get('dateCreated')!r}")
    read = customer_in(client.show(before["id"]))
    with verify.clause("valomnia.customers.update.persists"):
        assert read.get("comment") == "after", f"GET after the update shows comment {read.get('comment')!r}"
    with verify.clause("valomnia.customers.update.multipart"):
        body = customer_in(client.update(before["id"], {"comment": "multipart"}, encoding="multipart"), 200, 201)
        assert body.get("comment") == "multipart", f"a multipart update left comment {body.get('comment')!r}"


@pytest.mark.clause("valomnia.customers.update.unknown-not-found")
def test_update_unknown(client):
    expect_error(client.update(client.absent_customer_id(), {"comment": "nobody"}), 404, "not_found")


@pytest.mark.clause("valomnia.customers.update.reference-unique")
def test_update_reference_unique(client, customer, base):
    expect_error(client.update(customer["id"], {"reference": base["reference"]}), 400, "not_unique")
    read = customer_in(client.show(customer["id"]))
    assert read.get("reference") == customer["reference"], (
        f"the refused update changed the reference to {read.get('reference')!r}")


@pytest.mark.clause("valomnia.customers.update.blank-required-rejected")
@pytest.mark.parametrize("field", ["name", "reference"])
def test_update_blank_required(client, customer, field):
    expect_error(client.update(customer["id"], {field: ""}), 400, "missing_param")


@pytest.mark.clause("valomnia.customers.update.not-own-parent")
def test_update_not_own_parent(client, customer):
    response = client.update(customer["id"], {"isSubCustomer": True, "parentCustomer": customer["id"]})
    if 200 <= response.status_code < 300:  # accepted: undo it, or the customer could never be deleted
        client.update(customer["id"], {"isSubCustomer": False})
    expect_error(response, 404, "not_found")


@pytest.mark.clause("valomnia.customers.update.invalid-rejected")
def test_update_validated_like_create(client, customer):
    expect_error(client.update(customer["id"], {"paymentTypes": '[{"id": 2000000000}]', "comment": "refused"}), 404, "not_found")
    read = customer_in(client.show(customer["id"]))
    assert read.get("comment") == customer.get("comment") and not read.get("paymentTypes"), (
        f"the refused update changed the customer: comment {read.get('comment')!r}, paymentTypes {read.get('paymentTypes')!r}")


@pytest.mark.clause("valomnia.customers.update.readonly-ignored")
def test_update_readonly_ignored(client, customer):
    body = customer_in(client.update(customer["id"], {"id": 2000000000, "dateCreated": "2001-01-01T00:00:00Z",
                                                      "createdBy": 1, "comment": "readonly"}), 200, 201)
    assert body.get("id") == customer["id"], f"the update answered id {body.get('id')!r}"
    assert body.get("dateCreated") == customer.get("dateCreated"), (
        f"dateCreated {customer.get('dateCreated')!r} -> {body.get('dateCreated')!r}")
    assert body.get("createdBy") == customer.get("createdBy"), f"createdBy -> {body.get('createdBy')!r}"


# --- upsert ---------------------------------------------------------------------------------------
@pytest.mark.clause("valomnia.customers.upsert.creates-absent", "valomnia.customers.upsert.updates-present")
def test_upsert(client, verify):
    reference = client.reference("upsert")
    first = client.upsert(reference, {"name": f"{client.tag} upserted"})
    with verify.clause("valomnia.customers.upsert.creates-absent"):
        body = expect_json(first, 201)
        assert body.get("reference") == reference, f"the upsert created reference {body.get('reference')!r}"
    if not 200 <= first.status_code < 300:
        return
    created = body_of(first)
    with verify.clause("valomnia.customers.upsert.updates-present"):
        second = client.upsert(reference, {"comment": "upserted again"}, encoding="multipart")
        expect_status(second, 200, 201)
        body = body_of(second)
        assert body.get("id") == created["id"] and body.get("comment") == "upserted again", (
            f"the second upsert answered id {body.get('id')!r}, comment {body.get('comment')!r}")
        assert body.get("name") == created.get("name"), f"the upsert changed the name to {body.get('name')!r}"
        listed = expect_json(client.list(reference=reference), 200)
        assert ids_of(listed) == [created["id"]], f"reference {reference} is held by {ids_of(listed)}"


@pytest.mark.clause("valomnia.customers.upsert.name-required")
def test_upsert_name_required(client):
    reference = client.reference("upsert-no-name")
    expect_error(client.upsert(reference, {"comment": "no name"}), 400, "missing_param")
    expect_error(client.show_by_reference(reference), 404, "not_found")


# --- delete ---------------------------------------------------------------------------------------
@pytest.mark.clause("valomnia.customers.delete.by-id", "valomnia.customers.delete.removed")
def test_delete_by_id(client, contract, verify):
    doomed = client.create_ok(name=f"{client.tag} to delete")
    with verify.clause("valomnia.customers.delete.by-id"):
        body = expect_json(client.delete(doomed["id"]), 200, contract, "DeleteSuccess.json")
        assert body == DELETED, f"expected {DELETED}, got {body!r}"
    with verify.clause("valomnia.customers.delete.removed"):
        expect_status(client.show(doomed["id"]), 404)
        listed = expect_json(client.list(reference=doomed["reference"]), 200)
        assert ids_of(listed) == [], f"the deleted customer is still listed: {ids_of(listed)}"


@pytest.mark.clause("valomnia.customers.delete.by-reference")
def test_delete_by_reference(client):
    doomed = client.create_ok(name=f"{client.tag} to delete by reference")
    body = expect_json(client.delete_by_reference(doomed["reference"]), 200)
    assert body == DELETED, f"expected {DELETED}, got {body!r}"
    expect_status(client.show(doomed["id"]), 404)


@pytest.mark.clause("valomnia.customers.delete.unknown-not-found")
def test_delete_unknown(client, verify):
    with verify.clause("valomnia.customers.delete.unknown-not-found"):
        expect_error(client.delete(client.absent_customer_id()), 404, "not_found")
    with verify.clause("valomnia.customers.delete.unknown-not-found"):
        expect_error(client.delete_by_reference(f"{client.tag}-absent"), 404, "not_found")


@pytest.mark.clause("valomnia.customers.delete.invalid-id-type")
def test_delete_non_numeric_id(client):
    """A non-numeric id names no customer: proved by the target itself (a GET of it is refused or
    not found) before the DELETE is sent."""
    expect_error(client.delete(client.non_numeric_id()), 400, "invalid_param_type")
