"""The customer life cycle: create, read back, partial update, and the undocumented delete."""

from __future__ import annotations

import secrets

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.kimai.era import has
from accord.vendors.kimai.forms import submitted

FULL_FORM = {
    "comment": "a customer of the accord run", "company": "Accord Test GmbH",
    "vatId": "DE123456789", "contact": "Ada Lovelace",
    "country": "AT", "currency": "CHF", "phone": "+49 30 1234567", "fax": "+49 30 1234568",
    "mobile": "+49 170 1234567", "email": "billing@example.com", "homepage": "https://example.com",
    "timezone": "Europe/Vienna", "color": "#800000", "visible": True, "billable": False,
}


def full_form(client, label: str) -> dict:
    """Every documented field but the deprecated address; numbers are unique in Kimai, so one per form."""
    return {"name": client.tagged(label), "number": f"acc-{secrets.token_hex(6)}", **FULL_FORM}


def differences(sent: dict, received: dict) -> list[str]:
    return [f"{key}: sent {value!r}, got {received.get(key)!r}" for key, value in sent.items()
            if submitted(value) != submitted(received.get(key))]


@pytest.fixture
def full_customer(client):
    form = full_form(client, "full form")
    return form, client.create(form)


@pytest.mark.clause("kimai.customers.create.returns-entity")
def test_create_returns_entity(full_customer, contract):
    _, response = full_customer
    body = expect_json(response, 200, contract, "CustomerEntity.json")
    assert isinstance(body.get("id"), int) and body["id"] > 0, f"expected a positive integer id, got {body.get('id')!r}"


@pytest.mark.clause("kimai.customers.create.read-back")
def test_created_customer_reads_back(full_customer, client):
    form, response = full_customer
    created = body_of(response)
    assert not differences(form, created), "the create answer differs from the form: " + "; ".join(differences(form, created))
    read = expect_json(client.get(created["id"]), 200)
    assert not differences(form, read), "the customer reads back differently: " + "; ".join(differences(form, read))


@pytest.mark.clause("kimai.customers.get.returns-entity")
def test_get_returns_entity(client, shared, contract):
    body = expect_json(client.get(shared["id"]), 200, contract, "CustomerEntity.json")
    assert body["id"] == shared["id"], f"asked for customer {shared['id']}, got {body.get('id')!r}"


@pytest.mark.clause("kimai.customers.get.unknown-id-not-found")
def test_get_unknown_id(client, contract):
    response = client.get(client.absent_customer_id() + 1_000)
    expect_json(response, 404, contract, "Error.json")


@pytest.mark.clause("kimai.customers.create.name-only")
def test_create_with_name_only(client, contract):
    body = expect_json(client.create({"name": client.tagged("name only")}), 200, contract, "CustomerEntity.json")
    for field in ("country", "currency", "timezone"):
        assert isinstance(body.get(field), str) and body[field], f"the server did not fill {field}: {body.get(field)!r}"


@pytest.mark.clause("kimai.customers.create.extra-fields-rejected")
def test_extra_fields_rejected(client, contract):
    word = "x" + secrets.token_hex(5)
    body = expect_json(client.create({"name": client.tagged(f"extra {word}"), "unexpected": "field"}), 400, contract,
                       "ValidationError.json")
    messages = body.get("errors", {}).get("errors", [])
    assert any("extra fields" in str(m) for m in messages), f"expected the extra-fields message, got {messages!r}"
    assert not expect_json(client.list(term=f"{client.tag} {word}", visible="3"), 200), "the refused form created a customer"


@pytest.mark.clause("kimai.customers.update.returns-entity")
def test_update_returns_entity(client, shared, contract):
    body = expect_json(client.update(shared["id"], {"comment": "updated by accord"}), 200, contract, "CustomerEntity.json")
    assert body.get("id") == shared["id"] and body.get("comment") == "updated by accord", (
        f"the answer is not the updated customer: id {body.get('id')!r}, comment {body.get('comment')!r}")


@pytest.mark.clause("kimai.customers.update.partial-merge", "kimai.customers.update.persists")
def test_partial_update_merges_and_persists(client, verify):
    form = full_form(client, "partial")
    before = body_of(client.create(form))
    answer = body_of(client.update(before["id"], {"comment": "only the comment changes"}))
    after = expect_json(client.get(before["id"]), 200)
    untouched = {k: v for k, v in form.items() if k != "comment"}
    with verify.clause("kimai.customers.update.partial-merge"):
        changed = differences(untouched, answer)
        assert not changed, "attributes not sent were changed: " + "; ".join(changed)
    with verify.clause("kimai.customers.update.persists"):
        assert after.get("comment") == "only the comment changes", f"GET after PATCH shows comment {after.get('comment')!r}"
        assert not differences(untouched, after), "GET after PATCH: " + "; ".join(differences(untouched, after))


@pytest.mark.clause("kimai.customers.update.invalid-rejected")
def test_invalid_update_rejected(client, shared, contract, verify, version):
    """The values Kimai's own testPostActionWithInvalidData uses, one update each (the e-mail
    only where Kimai checks it, 2.53+); one read afterwards shows none of them was stored."""
    invalid = {"country": "XYZ", "currency": "---", "timezone": "foo/bar"}
    if has(version, "email-url-checked"):
        invalid["email"] = "no-at-sign"
    for field, value in invalid.items():
        with verify.clause("kimai.customers.update.invalid-rejected"):
            expect_json(client.update(shared["id"], {field: value}), 400, contract, "ValidationError.json")
    after = expect_json(client.get(shared["id"]), 200)
    with verify.clause("kimai.customers.update.invalid-rejected"):
        stored = {f: after.get(f) for f in invalid if after.get(f) != shared.get(f)}
        assert not stored, f"refused updates were stored: {stored}"


@pytest.mark.clause("kimai.customers.update.unknown-id-not-found")
def test_update_unknown_id(client, contract):
    expect_json(client.update(client.absent_customer_id(), {"comment": "x"}), 404, contract, "Error.json")


@pytest.mark.clause("kimai.customers.delete.extension")
def test_delete_extension(client):
    created = client.create_ok(name="to delete")
    expect_status(client.delete(created["id"]), 204)
    expect_status(client.get(created["id"]), 404)


def field_errors(body, field: str) -> list:
    children = body.get("errors", {}).get("children", {}) if isinstance(body, dict) else {}
    return children.get(field, {}).get("errors", []) if isinstance(children.get(field), dict) else []


def refused_on(client, contract, form: dict, field: str, listed: bool = False) -> None:
    """The form (named with a word of its own) is refused with 400 and an error on ``field``;
    with ``listed``, a term search for that word shows it created nothing."""
    word = "r" + secrets.token_hex(5)
    form = {**form, "name": client.tagged(f"{form.pop('name', 'refused')} {word}")}
    body = expect_json(client.create(form), 400, contract, "ValidationError.json")
    assert field_errors(body, field), f"expected a validation error on {field}, got {body.get('errors')!r}"
    if listed:
        found = expect_json(client.list(term=f"{client.tag} {word}", visible="3"), 200)
        assert not found, "the refused form created a customer"


@pytest.mark.clause("kimai.customers.create.duplicate-number-rejected")
def test_duplicate_number_rejected(client, contract):
    number = f"acc-{secrets.token_hex(6)}"
    client.create_ok(name="first number", number=number)
    refused_on(client, contract, {"name": "same number", "number": number}, "number", listed=True)


@pytest.mark.clause("kimai.customers.create.boolean-false-values", "kimai.customers.create.homepage-default-protocol")
def test_boolean_false_values_and_homepage(client, verify):
    """YesNoType's false_values (src/Form/Type/YesNoType.php), two per customer; the first customer
    also has a homepage without a scheme (UrlType default_protocol https)."""
    pairs = ((None, 0), ("0", "false"), ("", None))
    for index, (visible, billable) in enumerate(pairs):
        extra = {"homepage": "www.example.com/accord"} if index == 0 else {}
        created = client.create_ok(name="false values", visible=visible, billable=billable, **extra)
        with verify.clause("kimai.customers.create.boolean-false-values"):
            assert created.get("visible") is False and created.get("billable") is False, (
                f"visible={visible!r}, billable={billable!r} should both be false, got "
                f"visible={created.get('visible')!r}, billable={created.get('billable')!r}")
        if extra:
            with verify.clause("kimai.customers.create.homepage-default-protocol"):
                read = expect_json(client.get(created["id"]), 200)
                assert read.get("homepage") == "https://www.example.com/accord", (
                    "homepage 'www.example.com/accord' should be stored as 'https://www.example.com/accord', "
                    f"got {read.get('homepage')!r}")


@pytest.mark.clause("kimai.customers.create.address-refused")
def test_address_refused_on_create(client, contract):
    name = client.tagged("address")
    body = expect_json(client.create({"name": name, "address": "Main Street 1"}), 400, contract, "ValidationError.json")
    messages = body.get("errors", {}).get("errors", [])
    assert any("extra fields" in str(m) for m in messages), f"expected the extra-fields message, got {messages!r}"


@pytest.mark.clause("kimai.customers.create.email-url-validated")
def test_email_and_url_validated(client, contract):
    refused_on(client, contract, {"name": "email", "email": "no-at-sign"}, "email")
    refused_on(client, contract, {"name": "homepage", "homepage": "https://exa mple.com"}, "homepage")


@pytest.mark.clause("kimai.customers.create.number-special-characters-rejected")
def test_number_special_characters_rejected(client, contract):
    refused_on(client, contract, {"name": "special number", "number": f"a<b{secrets.token_hex(3)}"}, "number")


@pytest.mark.clause("kimai.customers.get.non-numeric-id-not-found")
@pytest.mark.parametrize("path", ["/api/customers/accord", "/api/customers/accord/rates"])
def test_non_numeric_id_not_found(client, contract, path):
    expect_json(client.session.get(path), 404, contract, "Error.json")


@pytest.mark.clause("kimai.customers.delete.unknown-id-not-found")
def test_delete_unknown_id(client, contract):
    expect_json(client.delete(client.absent_customer_id()), 404, contract, "Error.json")
