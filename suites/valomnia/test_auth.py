"""The session login (authentication.html; VENDOR-NOTES §4.2) and the session check on every operation.

The login lives on the host root, beside the versioned API. A login answer can name its session in
a redirect, so it is sent with evidence held back until that session is known to the redactor, then
recorded redacted: no session id reaches a report.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from accord import http
from accord.checks import body_of, describe, expect_json
from accord.vendors.valomnia import LOGIN_PATH
from accord.vendors.valomnia.expect import refused_without_data

SMALL = {"reference": "accord-auth-probe-no-such-reference", "max": 1}  # matches nothing: cheap on big targets
UNKNOWN_SESSION = "ACC0D0000000000000000000000ACC0D"  # a JSESSIONID no server issued


def login(target, password: str | None = None):
    """POSTs the documented login form; returns (a session without auth, the answer, its JSESSIONID)."""
    username = target.credentials.get("USERNAME")
    if not username or not target.credentials.get("PASSWORD"):
        pytest.skip("not applicable: set ACCORD_VALOMNIA_USERNAME and ACCORD_VALOMNIA_PASSWORD to check the login")
    session = target.session({})
    form = {"j_username": username, "j_password": password or target.credentials["PASSWORD"], "ajax": "true"}
    held, http.evidence.current = http.evidence.current, None
    try:
        response = session.send_unguarded("POST", urljoin(session.base_url + "/", LOGIN_PATH), data=form)
    finally:
        http.evidence.current = held
    cookie = response.cookies.get("JSESSIONID") or _set_cookie(response)
    session.cookies.clear()  # the cookie goes only where a check puts it
    location = response.headers.get("Location", "")
    session.redactor.add(*(v for v in [cookie, *parse_qs(urlsplit(location).query).get("token", [])] if v))
    if http.evidence.current is not None:
        http.evidence.current.append(session.exchange(response))
    return session, response, cookie


def _set_cookie(response) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(response.headers.get("Set-Cookie", ""))
    except CookieError:
        return None
    return jar["JSESSIONID"].value if "JSESSIONID" in jar else None


def with_cookie(cookie: str | None) -> dict[str, str]:
    return {"Cookie": f"JSESSIONID={cookie}"} if cookie else {}


@pytest.mark.clause("valomnia.auth.login.session-cookie", "valomnia.auth.login.ajax-success",
                    "valomnia.auth.session.logout-ends-session")
def test_login_yields_a_session_and_logout_ends_it(target, client, contract, verify):
    session, response, cookie = login(target)
    where = urlsplit(response.headers.get("Location", "")).path
    with verify.clause("valomnia.auth.login.session-cookie"):
        assert response.status_code < 400, f"the login answered {response.status_code}"
        assert cookie, f"the login answered {response.status_code} (to {where or 'no redirect'}) without a JSESSIONID cookie"
        listed = session.get("/customers", params=SMALL, headers=with_cookie(cookie))
        assert listed.status_code == 200, f"{describe(listed)} with the login's cookie answered {listed.status_code}"
    if not cookie:
        return  # nothing to follow the login with
    if where.endswith("/login/ajaxSuccess"):
        with verify.clause("valomnia.auth.login.ajax-success"):
            page = session.get(client.resolve(response.headers["Location"].split("?")[0]), headers=with_cookie(cookie))
            body = expect_json(page, 200, contract, "LoginSuccess.json")
            assert body.get("success") is True, f"success is {body.get('success')!r}, not true"
            assert isinstance(body.get("user"), dict), "the answer has no user"
            assert body.get("token") == cookie, "the token is not the JSESSIONID cookie's value"
    with verify.clause("valomnia.auth.session.logout-ends-session"):
        session.get(urljoin(session.base_url + "/", "../../j_spring_security_logout"), headers=with_cookie(cookie))
        refused_without_data(session.get("/customers", params=SMALL, headers=with_cookie(cookie)))


@pytest.mark.clause("valomnia.auth.login.wrong-password-rejected")
def test_wrong_password_rejected(target):
    session, response, cookie = login(target, password="accord-wrong-password-0000")
    where = urlsplit(response.headers.get("Location", "")).path
    assert not where.endswith("/login/ajaxSuccess"), "a login with a wrong password was sent to the success page"
    if response.content and response.status_code == 200:
        body = body_of(response)
        assert not (isinstance(body, dict) and (body.get("success") is True or body.get("token"))), (
            "a login with a wrong password answered success or a token")
    if cookie:  # Spring Security leaves an anonymous session behind: it must not open the API
        refused_without_data(session.get("/customers", params=SMALL, headers=with_cookie(cookie)))


@pytest.mark.clause("valomnia.auth.session.required")
def test_session_required_on_every_operation(target, client, verify, run_state):
    """Ids are proved absent, references carry the run tag and forms are empty, so even a target that
    ignored the session changes nothing. A read-only run tries the reading operations only."""
    absent = client.absent_customer_id()
    reference = f"{client.tag}-absent-auth"
    operations = [("GET", "/customers"), ("GET", f"/customers/{absent}"), ("GET", f"/customers/reference/{reference}")]
    if not run_state.read_only:
        operations += [("POST", "/customers"), ("POST", f"/customers/{absent}"), ("DELETE", f"/customers/{absent}"),
                       ("POST", f"/customers/reference/{reference}"), ("DELETE", f"/customers/reference/{reference}")]
    session = target.session({})
    for method, path in operations:
        with verify.clause("valomnia.auth.session.required"):
            refused_without_data(session.request(method, path, data={} if method == "POST" else None))


@pytest.mark.clause("valomnia.auth.session.unknown-rejected")
def test_unknown_session_rejected(target):
    refused_without_data(target.session({"SESSION": UNKNOWN_SESSION}).get("/customers", params=SMALL))


@pytest.mark.clause("valomnia.auth.session.expired-rejected")
def test_expired_session_rejected(target):
    expired = target.settings.get("EXPIRED_SESSION")
    if not expired:
        pytest.skip("not applicable: set ACCORD_VALOMNIA_EXPIRED_SESSION to a JSESSIONID idle past the session lifetime")
    refused_without_data(target.session({"SESSION": expired}).get("/customers", params=SMALL))
