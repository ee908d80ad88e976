"""Authorization (CustomerApi.md: apiToken + apiUser on every operation; Bearer since Kimai 2.14).

Each check uses exactly the credential its clause is about: the access token for Bearer, the user
name and API password for the header pair. Kimai 2.54+ sleeps 0.2-0.5 s on every header-pair
request and answers 400 after 5 failed pair logins a minute, so the run spends at most three
failed pair logins, and a 400 on a wrong pair counts as a refusal.
"""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_status, is_json_content_type
from accord.vendors.kimai.era import has

OPERATIONS = [
    ("GET", "/api/customers"), ("POST", "/api/customers"), ("GET", "/api/customers/{id}"),
    ("PATCH", "/api/customers/{id}"), ("PATCH", "/api/customers/{id}/meta"), ("GET", "/api/customers/{id}/rates"),
    ("POST", "/api/customers/{id}/rates"), ("DELETE", "/api/customers/{id}/rates/{id}"),
]
SMALL = {"term": "accord-auth-probe"}  # a filter that matches nothing keeps probes cheap on big targets
PAIR_REFUSED = (403, 400)  # 403 Invalid credentials; 400 once Kimai 2.54+ throttles failed pair logins
MISSING_USER = "Authentication required, missing user header: X-AUTH-USER"


def no_customer_data(response) -> None:
    assert "name" not in response.text or response.status_code >= 400, "the refusal carries customer data"


def pair_of(target) -> dict[str, str]:
    creds = target.credentials
    if "USER" not in creds or "API_PASSWORD" not in creds:
        pytest.skip("not applicable: set ACCORD_KIMAI_USER and ACCORD_KIMAI_API_PASSWORD to try the header pair")
    return {"USER": creds["USER"], "API_PASSWORD": creds["API_PASSWORD"]}


@pytest.mark.clause("kimai.auth.api-user-token-accepted")
def test_user_token_headers_accepted(target):
    expect_status(target.session(pair_of(target)).get("/api/customers", params=SMALL), 200)


@pytest.mark.clause("kimai.auth.bearer-token-accepted")
def test_bearer_token_accepted(target):
    if "TOKEN" not in target.credentials:
        pytest.skip("not applicable: set ACCORD_KIMAI_TOKEN to an API access token")
    expect_status(target.session({"TOKEN": target.credentials["TOKEN"]}).get("/api/customers", params=SMALL), 200)


def refused_without_credentials(target, client, verify, run_state, clause: str, status: int, message: str | None) -> None:
    """Ids are proved absent and bodies are invalid, so even a target that ignored auth changes nothing.
    A read-only run tries the reading operations only."""
    absent = client.absent_customer_id()
    session = target.session({})
    operations = [op for op in OPERATIONS if op[0] == "GET"] if run_state.read_only else OPERATIONS
    for method, template in operations:
        path = template.format(id=absent)
        response = session.request(method, path, json={} if method in ("POST", "PATCH") else None)
        with verify.clause(clause):
            expect_status(response, status)
            assert is_json_content_type(response), f"{method} {path}: the {status} is not JSON"
            body = body_of(response)
            assert isinstance(body, dict) and "message" in body, f"{method} {path}: the {status} body lacks a message"
            assert message is None or body["message"] == message, f"{method} {path}: message {body['message']!r}"


@pytest.mark.clause("kimai.auth.missing-credentials-rejected")
def test_missing_credentials_rejected_everywhere(target, client, verify, run_state):
    refused_without_credentials(target, client, verify, run_state, "kimai.auth.missing-credentials-rejected", 401, None)


@pytest.mark.clause("kimai.auth.missing-credentials-forbidden-legacy")
def test_missing_credentials_forbidden_before_bearer(target, client, verify, run_state):
    refused_without_credentials(target, client, verify, run_state, "kimai.auth.missing-credentials-forbidden-legacy",
                                403, MISSING_USER)


@pytest.mark.clause("kimai.auth.wrong-token-rejected")
def test_wrong_token_rejected(target, verify, version):
    """A wrong secret, and each secret in the other's place: Kimai keeps access tokens and API
    passwords apart (AccessTokenHandler.php, TokenAuthenticator.php)."""
    creds, wrong = target.credentials, "accord-wrong-token-0000"
    attempts = []
    if has(version, "bearer"):
        attempts.append(("bearer with a wrong token", {"TOKEN": wrong}, (401,)))
        if "API_PASSWORD" in creds:
            attempts.append(("bearer with the API password", {"TOKEN": creds["API_PASSWORD"]}, (401,)))
    if "USER" in creds:
        attempts.append(("header pair with a wrong API password", {"USER": creds["USER"], "API_PASSWORD": wrong},
                         PAIR_REFUSED))
        if "TOKEN" in creds:
            attempts.append(("header pair with the access token", {"USER": creds["USER"], "API_PASSWORD": creds["TOKEN"]},
                             PAIR_REFUSED))
    if not attempts:
        pytest.skip("not applicable: this Kimai has no Bearer tokens and ACCORD_KIMAI_USER is not set")
    for label, credentials, statuses in attempts:
        response = target.session(credentials).get("/api/customers", params=SMALL)
        with verify.clause("kimai.auth.wrong-token-rejected"):
            assert response.status_code in statuses, f"{label}: expected {statuses}, got {response.status_code}"
            no_customer_data(response)


@pytest.mark.clause("kimai.auth.wrong-user-rejected")
def test_wrong_user_rejected(target):
    pair = pair_of(target)
    session = target.session({"USER": "accord-no-such-user", "API_PASSWORD": pair["API_PASSWORD"]})
    response = session.get("/api/customers", params=SMALL)
    assert response.status_code in PAIR_REFUSED, (
        f"a valid API password under another user name: expected {PAIR_REFUSED}, got {response.status_code}")
    no_customer_data(response)
