"""acme's suite: scenarios and property tests over form-encoded bodies, each traced to its clause."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json, expect_status
from accord.mutations import violations

FORM = "application/x-www-form-urlencoded"


@pytest.mark.clause("acme.auth.session-required")
def test_session_required(target, client):
    session = target.session({})
    response = session.get(client.path("/accounts/{accountId}/contacts"))
    expect_status(response, 401)


@pytest.mark.clause("acme.contacts.get.unknown-404")
def test_unknown_id(client, contract):
    expect_json(client.get(client.absent_id("contact")), 404, contract, "Error.json")


@pytest.mark.clause("acme.contacts.create.returns-201")
def test_create_returns_201(client, contract):
    created = expect_json(client.create({"name": client.tagged("created")}), 201, contract, "Contact.json")
    assert created["name"] == client.tagged("created")


@pytest.mark.clause("acme.contacts.create.multipart-accepted")
def test_multipart_create(client, contract):
    form = {"name": client.tagged("multipart"), "phone": "+1 555 0100"}
    created = expect_json(client.create(form, encoding="multipart"), 201, contract, "Contact.json")
    read = expect_json(client.get(created["id"]), 200, contract, "Contact.json")
    assert (read["name"], read["phone"]) == (form["name"], form["phone"]), f"read back {read}"


@pytest.mark.clause("acme.contacts.create.valid-forms-accepted")
def test_valid_forms_accepted(client, contract, profile):
    documented = contract.examples("ContactForm.json")

    @settings(max_examples=max(1, profile.property_examples - len(documented)))
    @given(form=contract.strategy("ContactForm.json", "positive", FORM))
    def round_trip(form):
        form = {**form, "name": client.tagged(str(form.get("name", "")))}
        created = expect_json(client.create(form), 201)
        read = expect_json(client.get(created["id"]), 200)
        changed = {k: (v, read.get(k)) for k, v in form.items() if read.get(k) != v}
        assert not changed, f"a valid form did not round-trip (sent, read back): {changed}"

    for form in reversed(documented):
        round_trip = example(form=form)(round_trip)
    round_trip()


@pytest.mark.clause("acme.contacts.create.invalid-forms-rejected")
def test_invalid_forms_rejected(client, contract, profile):
    broken = [v for v in violations(contract, "ContactForm.json", media_type=FORM)
              if v.field != "name" or v.rule == "required"]
    assert any(v.drops for v in broken), "no required field to leave out"

    @settings(max_examples=profile.property_examples)
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        response = client.create(violation.apply({"name": client.tagged("invalid")}))
        assert response.status_code == 400, f"{violation!r}, yet POST answered {response.status_code}"

    for violation in [v for v in broken if v.drops]:  # every required field, on every seed
        refused = example(violation=violation)(refused)
    refused()


@pytest.mark.clause("acme.contacts.update.partial")
def test_update_partial(client):
    created = client.create_ok(email="keep@example.org", phone="+1 555 0101")
    changed = expect_json(client.update(created["id"], {"phone": "+1 555 0199"}), 200)
    assert (changed["email"], changed["phone"]) == ("keep@example.org", "+1 555 0199"), f"answered {changed}"


@pytest.mark.clause("acme.contacts.list.paging-complete")
def test_paging_complete(client):
    serial = itertools.count(1)
    made = {client.create_ok(name=f"page {next(serial)}")["id"] for _ in range(5)}
    seen = [c["id"] for c in client.walk(q=client.tag, limit=2) if c["id"] in made]
    assert sorted(seen) == sorted(made), f"walking the pages showed {sorted(seen)} of {sorted(made)}"


@pytest.mark.clause("acme.contacts.delete.removes")
def test_delete_removes(client):
    created = client.create_ok()
    expect_status(client.delete(created["id"]), 200)
    expect_status(client.get(created["id"]), 404)


@pytest.mark.clause("acme.contacts.get.account-isolation")
def test_account_isolation(client):
    created = client.create_ok()
    other = client.send("GET", "/accounts/{other}/contacts/{id}", other=f"{client.context['accountId']}-other",
                        id=created["id"])
    expect_status(other, 404)


@pytest.mark.clause("acme.contacts.list.q-filter")
def test_q_filter(client):
    wanted = client.create_ok(name="alpha")
    client.create_ok(name="beta")
    found = [c["id"] for c in client.walk(q=f"{client.tag} alpha")]
    assert found == [wanted["id"]], f"q='{client.tag} alpha' listed {found[:5]}, not only contact {wanted['id']}"
