"""Authorization (CustomerApi.md: apiToken + apiUser on every operation; bearer in current Kimai)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_status, is_json_content_type

OPERATIONS = [
    ("GET", "/api/customers"), ("POST", "/api/customers"), ("GET", "/api/customers/{id}"),
    ("PATCH", "/api/customers/{id}"), ("PATCH", "/api/customers/{id}/meta"), ("GET", "/api/customers/{id}/rates"),
    ("POST", "/api/customers/{id}/rates"), ("DELETE", "/api/customers/{id}/rates/{id}"),
]


SMALL = {"term": "accord-auth-probe"}  # a filter that matches nothing keeps probes cheap on big targets


def no_customer_data(response) -> None:
    assert "name" not in response.text or response.status_code >= 400, "the refusal carries customer data"


@pytest.mark.clause("kimai.auth.api-user-token-accepted")
def test_user_token_headers_accepted(target):
    if "USER" not in target.credentials:
        pytest.skip("not applicable: ACCORD_KIMAI_USER is not set, so the documented header pair cannot be tried")
    session = target.session({"USER": target.credentials["USER"], "TOKEN": target.credentials["TOKEN"]})
    expect_status(session.get("/api/customers", params=SMALL), 200)


@pytest.mark.clause("kimai.auth.bearer-token-accepted")
def test_bearer_token_accepted(target):
    session = target.session({"TOKEN": target.credentials["TOKEN"]})
    expect_status(session.get("/api/customers", params=SMALL), 200)


@pytest.mark.clause("kimai.auth.missing-credentials-rejected")
def test_missing_credentials_rejected_everywhere(target, client, verify, run_state):
    """Ids are proved absent and bodies are invalid, so even a target that ignored auth changes nothing.
    A read-only run tries the reading operations only."""
    absent = client.absent_customer_id()
    session = target.session({})
    operations = [op for op in OPERATIONS if op[0] == "GET"] if run_state.read_only else OPERATIONS
    for method, template in operations:
        path = template.format(id=absent)
        response = session.request(method, path, json={} if method in ("POST", "PATCH") else None)
        with verify.clause("kimai.auth.missing-credentials-rejected"):
            expect_status(response, 401)
            assert is_json_content_type(response), f"{method} {path}: the 401 is not JSON"
            body = body_of(response)
            assert isinstance(body, dict) and "message" in body, f"{method} {path}: 401 body lacks a message"


@pytest.mark.clause("kimai.auth.wrong-token-rejected")
def test_wrong_token_rejected(target, verify):
    wrong = "accord-wrong-token-0000"
    attempts = [("bearer", {"TOKEN": wrong}, (401,))]
    if "USER" in target.credentials:
        attempts.append(("header pair", {"USER": target.credentials["USER"], "TOKEN": wrong}, (401, 403)))
    for label, credentials, statuses in attempts:
        response = target.session(credentials).get("/api/customers", params=SMALL)
        with verify.clause("kimai.auth.wrong-token-rejected"):
            assert response.status_code in statuses, (
                f"{label} with a wrong token: expected {statuses}, got {response.status_code}")
            no_customer_data(response)


@pytest.mark.clause("kimai.auth.wrong-user-rejected")
def test_wrong_user_rejected(target):
    if "USER" not in target.credentials:
        pytest.skip("not applicable: ACCORD_KIMAI_USER is not set")
    session = target.session({"USER": "accord-no-such-user", "TOKEN": target.credentials["TOKEN"]})
    response = session.get("/api/customers", params=SMALL)
    assert response.status_code in (401, 403), (
        f"a valid token under another user name: expected 401 or 403, got {response.status_code}")
    no_customer_data(response)
