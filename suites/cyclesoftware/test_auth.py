"""HTTP basic authentication (_authentication.md) and the account's scopes (_introduction.md Errors)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status

SMALL = {"query": "accord-auth-probe-nothing-matches"}  # a find that matches nothing keeps probes cheap
INVALID = {"customer_type_name": "accord-invalid"}  # refused by a target that checks types, even without auth


def no_customer_data(response) -> None:
    assert "customer_id" not in response.text, f"the {response.status_code} refusal carries customer data"


@pytest.mark.clause("cyclesoftware.auth.basic-accepted")
def test_basic_accepted(target, client):
    session = target.session({"USERNAME": target.credentials["USERNAME"], "PASSWORD": target.credentials["PASSWORD"]})
    expect_status(session.get("/api/v1/customers/find.json", params=SMALL), 200)
    expect_status(session.get("/api/v1/customers/list.json"), 200)


@pytest.mark.clause("cyclesoftware.auth.missing-credentials-rejected")
def test_missing_credentials_rejected_everywhere(target, client, contract, verify, run_state):
    """Ids are proved absent and bodies invalid, so even a target that ignored auth changes nothing."""
    absent = client.absent_customer_id()
    operations = [("GET", "/api/v1/customers/list.json", None), ("GET", "/api/v1/customers/find.json", None),
                  ("GET", f"/api/v1/customers/{absent}.json", None)]
    if not run_state.read_only:
        operations += [("PUT", f"/api/v1/customers/{absent}.json", INVALID), ("POST", "/api/v1/customers.json", INVALID)]
    session = target.session({})
    for method, path, body in operations:
        response = session.request(method, path, json=body, params=SMALL if "find" in path else None)
        with verify.clause("cyclesoftware.auth.missing-credentials-rejected"):
            expect_json(response, 401, contract, "Error.json")
            no_customer_data(response)


@pytest.mark.clause("cyclesoftware.auth.wrong-credentials-rejected")
def test_wrong_credentials_rejected(target, verify):
    wrong = target.session({"USERNAME": target.credentials["USERNAME"], "PASSWORD": "accord-wrong-password-0000"})
    attempts = [("a wrong password", wrong, {})]
    bare = target.session({})
    for label, header in (("a malformed basic header", "Basic !!not-base64!!"), ("a basic header without a colon",
                                                                                   "Basic YWNjb3Jk")):
        attempts.append((label, bare, {"Authorization": header}))
    for label, session, headers in attempts:
        response = session.get("/api/v1/customers/list.json", headers=headers)
        with verify.clause("cyclesoftware.auth.wrong-credentials-rejected"):
            assert response.status_code == 401, f"{label}: expected 401, got {response.status_code}"
            no_customer_data(response)


@pytest.mark.clause("cyclesoftware.auth.scope-required")
def test_account_without_scope_refused(target):
    user, password = target.credentials.get("UNSCOPED_USERNAME"), target.credentials.get("UNSCOPED_PASSWORD")
    if not user or not password:
        pytest.skip("not applicable: set ACCORD_CYCLESOFTWARE_UNSCOPED_USERNAME and _UNSCOPED_PASSWORD to an account "
                    "without the scope 'resources'")
    session = target.session({"USERNAME": user, "PASSWORD": password})
    for path in ("/api/v1/customers/list.json", "/api/v1/customers/find.json"):
        response = session.get(path, params=SMALL if "find" in path else None)
        assert response.status_code in (401, 403), (
            f"GET {path} with an account without the scope 'resources': expected 403 (or 401), got {response.status_code}")
        no_customer_data(response)
        body = body_of(response)
        assert isinstance(body, dict) and body.get("error") is True, f"the refusal lacks the error body: {body!r}"
