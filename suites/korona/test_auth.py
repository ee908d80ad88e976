"""Authorization: HTTP basic on every operation (korona-customers-api-v3.md: 'Authorization basicAuth')."""

from __future__ import annotations

import pytest

from accord.checks import expect_status
from accord.vendors.korona.client import CUSTOMER, CUSTOMERS
from accord.vendors.korona.listing import ABOVE_EVERY_REVISION

SMALL = {"revision": ABOVE_EVERY_REVISION}  # a query that matches nothing keeps probes cheap on big targets


def no_customer_data(response) -> None:
    assert response.status_code >= 400 or not response.content, "the refusal carries customer data"
    assert '"results"' not in response.text and '"lastname"' not in response.text, "the refusal carries customer data"


@pytest.mark.clause("korona.auth.basic-accepted")
def test_basic_credentials_accepted(target, client):
    session = target.session({"USERNAME": target.credentials["USERNAME"], "PASSWORD": target.credentials["PASSWORD"]})
    expect_status(session.get(client.path(CUSTOMERS), params=SMALL), 200, 204)


@pytest.mark.clause("korona.auth.missing-credentials-rejected")
def test_missing_credentials_rejected_everywhere(target, client, verify, run_state):
    """Every documented operation without credentials; the writes name an id proved absent or carry
    bodies that name no customer, so even a target that ignored auth changes nothing of anyone's.
    A read-only run tries the reading operations only."""
    absent = client.absent_customer_id()
    operations = [("GET", CUSTOMERS, None), ("GET", CUSTOMER, None), ("POST", CUSTOMERS, "not a batch"),
                  ("PATCH", CUSTOMERS, []), ("PATCH", CUSTOMER, {}), ("DELETE", CUSTOMER, None)]
    if run_state.read_only:
        operations = [op for op in operations if op[0] == "GET"]
    session = target.session({})
    for method, template, body in operations:
        path = client.path(template, customerIdOrNumber=absent)
        response = session.request(method, path, json=body, params=SMALL if template == CUSTOMERS else None)
        with verify.clause("korona.auth.missing-credentials-rejected"):
            expect_status(response, 401)
            no_customer_data(response)


@pytest.mark.clause("korona.auth.wrong-credentials-rejected")
def test_wrong_password_rejected(target, client):
    session = target.session({"USERNAME": target.credentials["USERNAME"], "PASSWORD": "accord-wrong-password-0000"})
    response = session.get(client.path(CUSTOMERS), params=SMALL)
    expect_status(response, 401)
    no_customer_data(response)
