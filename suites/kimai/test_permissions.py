"""Permissions: a user without customer permissions (Kimai's ROLE_USER) is refused with 403.

src/API/CustomerController.php: create needs create_customer; GET one needs view; PATCH, meta and
all three rate operations need edit, reading rates included. These run only with the optional
low-privilege credential (ACCORD_KIMAI_LIMITED_TOKEN); the customers are the run's own.
"""

from __future__ import annotations

import pytest

from accord.checks import expect_json

FORBIDDEN = {"code": 403, "message": "Forbidden"}


def forbidden(response, what: str) -> None:
    assert response.status_code == 403, f"{what}: expected 403, got {response.status_code}"
    body = response.json() if response.content else None
    assert body == FORBIDDEN, f"{what}: expected {FORBIDDEN}, got {body!r}"


@pytest.mark.clause("kimai.permissions.create-forbidden")
def test_create_needs_permission(client, limited):
    name = client.tagged("limited create")
    forbidden(limited.post("/api/customers", json={"name": name}), "POST /api/customers without create_customer")
    assert not expect_json(client.list(term=name, visible="3"), 200), "the refused create made a customer"


@pytest.mark.clause("kimai.permissions.view-forbidden")
def test_view_needs_permission(shared, limited):
    forbidden(limited.get(f"/api/customers/{shared['id']}"), "GET /api/customers/{id} without view")


@pytest.mark.clause("kimai.permissions.edit-forbidden")
def test_edit_needs_permission(client, shared, limited):
    forbidden(limited.patch(f"/api/customers/{shared['id']}", json={"comment": "changed by a limited user"}),
              "PATCH /api/customers/{id} without edit")
    after = expect_json(client.get(shared["id"]), 200)
    assert after.get("comment") == shared.get("comment"), f"the refused PATCH set comment {after.get('comment')!r}"


@pytest.mark.clause("kimai.permissions.rates-need-edit")
def test_rates_need_edit(client, shared, limited, verify):
    path = f"/api/customers/{shared['id']}/rates"
    for what, response in (("GET rates", limited.get(path)), ("POST rate", limited.post(path, json={"rate": 1.0}))):
        with verify.clause("kimai.permissions.rates-need-edit"):
            forbidden(response, f"{what} without edit")
    assert expect_json(client.rates(shared["id"]), 200) == [], "the refused POST added a rate"
