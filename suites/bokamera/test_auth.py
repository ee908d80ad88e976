"""Authentication (x-api-key plus a bearer token) and who may change whom (the UpdateCustomer row)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status

REFUSED = (401, 403)


def operations(client, read_only: bool):
    """Every operation on both route styles. Writes go to an id proved absent or carry a body that
    is refused anyway (no Firstname), so a target that ignored auth still changes nothing. A
    read-only run tries the reading operations only."""
    absent = client.absent_id("customer")
    invalid_create = {"Lastname": client.tagged("auth probe"), "Phone": "+46 70 000 00 00"}
    every = [
        ("GET", "/customers", {"CustomerId": absent}, None), ("GET", "/api/CustomerQuery", {"CustomerId": absent}, None),
        ("POST", "/customers", None, invalid_create), ("POST", "/api/CreateCustomer", None, invalid_create),
        ("PUT", f"/customers/{absent}", None, {"Firstname": "x"}), ("PUT", "/api/UpdateCustomer", None, {"Id": absent}),
        ("DELETE", f"/customers/{absent}", None, None), ("DELETE", "/api/DeleteCustomer", {"Id": absent}, None),
    ]
    return [op for op in every if op[0] == "GET"] if read_only else every


def refused_everywhere(client, session, verify, clause, read_only):
    for method, path, params, body in operations(client, read_only):
        with verify.clause(clause):
            expect_status(client.call(method, path, body, session, params), 401)


@pytest.mark.clause("bokamera.auth.any.api-key-required")
def test_api_key_required(target, client, verify, run_state):
    refused_everywhere(client, target.session({"TOKEN": target.credentials["TOKEN"]}), verify,
                       "bokamera.auth.any.api-key-required", run_state.read_only)


@pytest.mark.clause("bokamera.auth.any.bearer-required")
def test_bearer_required(target, client, verify, run_state):
    refused_everywhere(client, target.session({"API_KEY": target.credentials["API_KEY"]}), verify,
                       "bokamera.auth.any.bearer-required", run_state.read_only)


@pytest.mark.clause("bokamera.auth.any.wrong-credentials-rejected")
def test_wrong_token_rejected(target):
    session = target.session({"API_KEY": target.credentials["API_KEY"], "TOKEN": "accord-not-a-token"})
    response = session.get("/customers", params={"Take": 1})
    expect_status(response, 401)
    assert "Results" not in response.text, "the refusal carries customer data"


def unchanged(client, customer_id, before):
    after = client.read(customer_id)
    assert after is not None and after.get("Firstname") == before["Firstname"], (
        f"the refused update changed the customer: Firstname {after and after.get('Firstname')!r}")


@pytest.mark.clause("bokamera.auth.update.user-own-record-only")
def test_user_updates_own_record_only(client, customer, user, target, verify):
    """Refused for a customer of the run; allowed for the user's own record only on the built-in
    simulator: the run creates no customer with an account, and never writes to a live person's record."""
    with verify.clause("bokamera.auth.update.user-own-record-only"):
        response = client.update(customer["Id"], {"Firstname": "Changed by a user"}, session=user)
        assert response.status_code in REFUSED, f"a user updated another customer: PUT answered {response.status_code}"
        unchanged(client, customer["Id"], customer)
    if target.kind == "simulator":  # the user's own record exists only where the run may change it
        with verify.clause("bokamera.auth.update.user-own-record-only"):
            own = body_of(client.query(user))["Results"][0]
            client.fixtures.add(own["Id"])
            response = client.update(own["Id"], {"Phone": own.get("Phone", "")}, session=user)
            expect_status(response, 200)


@pytest.mark.clause("bokamera.auth.update.admin-own-company")
def test_admin_updates_own_company_customer(client, customer):
    company = customer.get("CompanyId")
    if not company:
        pytest.fail("the create answer names no CompanyId (UpdateCustomerResponse.CompanyId)")
    body = expect_json(client.update(customer["Id"], {"CompanyId": company, "Firstname": "Admin changed"}), 200)
    assert body.get("Firstname") == "Admin changed", f"the answer has Firstname {body.get('Firstname')!r}"
    assert client.read(customer["Id"]).get("Firstname") == "Admin changed", "the administrator's change was not stored"


@pytest.mark.clause("bokamera.auth.update.admin-other-company-refused")
def test_admin_of_another_company_refused(client, customer, other_admin, verify):
    """The other company's administrator, on a customer of the run's company: CompanyId naming the
    customer's company, and left blank (then it is their own company, where the customer is not)."""
    for company in (customer.get("CompanyId"), None):
        with verify.clause("bokamera.auth.update.admin-other-company-refused"):
            body = {"Firstname": "Changed by another company"} | ({"CompanyId": company} if company else {})
            response = client.update(customer["Id"], body, session=other_admin)
            assert response.status_code in (*REFUSED, 404), (
                f"an administrator of another company updated the customer: PUT answered {response.status_code}")
            unchanged(client, customer["Id"], customer)


@pytest.mark.clause("bokamera.auth.update.account-holder-only")
def test_account_holder_updated_only_by_themself(client, account_holder):
    before = client.read(account_holder)
    response = client.update(account_holder, {"Firstname": "Changed by the administrator"})
    assert response.status_code in REFUSED, (
        f"an administrator updated a customer who has an account: PUT answered {response.status_code}")
    unchanged(client, account_holder, before)


@pytest.mark.clause("bokamera.auth.update.blank-company-defaults")
def test_blank_company_means_the_administrators(client, customer, verify):
    zero = "00000000-0000-0000-0000-000000000000"
    for label, body in (("left out", {}), ("empty", {"CompanyId": ""}), ("zero Guid", {"CompanyId": zero})):
        with verify.clause("bokamera.auth.update.blank-company-defaults"):
            response = client.update(customer["Id"], {**body, "Firstname": f"Blank company {label}"})
            assert response.status_code == 200, f"CompanyId {label}: PUT answered {response.status_code}"


@pytest.mark.clause("bokamera.auth.create.admin-role")
def test_user_cannot_create(client, user):
    label = "created by a user"
    response = client.create(client.new_body(label), session=user)
    assert response.status_code in REFUSED, f"a user created a customer: POST answered {response.status_code}"
    listed = body_of(client.query(Search=client.tagged(label)))
    assert not listed.get("Results"), "the refused create created a customer"


@pytest.mark.clause("bokamera.auth.delete.admin-role")
def test_user_cannot_delete(client, customer, user):
    response = client.delete(customer["Id"], session=user)
    assert response.status_code in REFUSED, f"a user deleted a customer: DELETE answered {response.status_code}"
    assert client.read(customer["Id"]) is not None, "the refused delete removed the customer"
