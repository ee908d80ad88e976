"""Auth strategies: how a vendor's credentials go on a request, and which values are secret.

Each strategy is a requests ``AuthBase`` plus ``secrets`` (values to redact from all evidence) and,
for vendors whose credentials are exchanged for a session first, a ``login`` step that the HTTP
session runs once before its first request, outside the write guard, and again when the vendor
says the session has ended.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any, Protocol
from urllib.parse import urljoin

import requests
from requests.auth import AuthBase

from accord.errors import LoginFailed, TargetError


class LoginSession(Protocol):
    """What a login needs of the HTTP session (accord.http.Session): its base URL, and a request
    that bypasses the write guard."""

    base_url: str

    def send_unguarded(self, method: str, url: str, **kwargs: Any) -> requests.Response: ...


class AuthStrategy(AuthBase):
    description = "no credentials"
    needs_login = False

    @property
    def secrets(self) -> tuple[str, ...]:
        return ()

    def login(self, session: LoginSession) -> None:
        """Exchange credentials for a session where the vendor requires it; raise LoginFailed if not."""

    def session_expired(self, response: requests.Response) -> bool:
        """Whether ``response`` says the logged-in session ended (then the run logs in again)."""
        return False

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class NoAuth(AuthStrategy):
    pass


class HeaderAuth(AuthStrategy):
    """Fixed headers: a user and token pair, or an API key."""

    def __init__(self, headers: Mapping[str, str], secret_headers: tuple[str, ...], description: str) -> None:
        self.headers = dict(headers)
        self.secret_headers = tuple(h.lower() for h in secret_headers)
        self.description = description

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(v for k, v in self.headers.items() if k.lower() in self.secret_headers and v)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self.headers)
        return request


class BearerAuth(AuthStrategy):
    description = "Authorization: Bearer <token>"

    def __init__(self, token: str) -> None:
        self.token = token

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.token,)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class BasicAuth(AuthStrategy):
    description = "HTTP basic"

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password

    @property
    def secrets(self) -> tuple[str, ...]:
        encoded = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return (self.password, encoded)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return requests.auth.HTTPBasicAuth(self.username, self.password)(request)


class CombinedAuth(AuthStrategy):
    """Several strategies on every request (an API key header plus a bearer token)."""

    def __init__(self, *parts: AuthStrategy) -> None:
        self.parts = parts
        self.description = " + ".join(part.description for part in parts)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(secret for part in self.parts for secret in part.secrets)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        for part in self.parts:
            request = part(request)
        return request


class FormLoginCookie(AuthStrategy):
    """A form login that yields a session cookie (a servlet container's j_security_check style).

    ``path`` is relative to the base URL, as a link is (``../../j_security_check`` for a login that
    lives beside a versioned API root), so it stays right when a proxy serves everything under a
    prefix. A known ``session_value`` skips the login. ``expired_statuses`` are the answers that
    mean the session ended, after which the run logs in again once. ``success_check`` judges the
    login answer where a status and a cookie prove nothing (a framework that redirects a failed
    login elsewhere and still hands out an anonymous session cookie): it returns None when the
    login worked, otherwise why not.
    """

    needs_login = True

    def __init__(self, path: str, fields: Mapping[str, str], secret_fields: tuple[str, ...],
                 cookie: str, session_value: str | None = None, *,
                 expired_statuses: tuple[int, ...] = (401,),
                 success_check: Callable[[requests.Response], str | None] | None = None) -> None:
        self.path, self.fields, self.cookie = path, dict(fields), cookie
        self.success_check = success_check
        self.secret_fields = secret_fields
        self.session_value = session_value
        self.expired_statuses = expired_statuses
        self.can_login = all(self.fields.get(name) for name in secret_fields)
        self.description = f"form login at {path} yielding the {cookie} cookie"

    @property
    def secrets(self) -> tuple[str, ...]:
        values = [self.fields[name] for name in self.secret_fields if self.fields.get(name)]
        return tuple(values + ([self.session_value] if self.session_value else []))

    def login_url(self, base_url: str) -> str:
        return urljoin(base_url.rstrip("/") + "/", self.path)

    def login(self, session: LoginSession) -> None:
        if self.session_value is not None and not self.can_login:
            return  # a session handed over by the user: nothing to log in with
        if not self.can_login:
            raise LoginFailed(f"no credentials to log in at {self.path} with")
        url = self.login_url(session.base_url)
        try:
            response = session.send_unguarded("POST", url, data=self.fields)
        except (requests.RequestException, TargetError) as error:
            raise LoginFailed(f"the login at {url} failed ({type(error).__name__})") from None
        value = response.cookies.get(self.cookie) or _cookie_from_header(response, self.cookie)
        if response.status_code >= 400 or not value:
            raise LoginFailed(f"the login at {url} answered {response.status_code}"
                              + ("" if value else f" without a {self.cookie} cookie") + "; check the credentials")
        refused = self.success_check(response) if self.success_check else None
        if refused:
            raise LoginFailed(f"the login at {url} failed: {refused}; check the credentials")
        self.session_value = value
        session.cookies.clear()  # the cookie goes on every request through __call__, nowhere else

    def session_expired(self, response: requests.Response) -> bool:
        return response.status_code in self.expired_statuses and self.can_login

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.session_value:
            request.headers["Cookie"] = f"{self.cookie}={self.session_value}"
        return request


def _cookie_from_header(response: requests.Response, name: str) -> str | None:
    """The cookie from a Set-Cookie header where the transport kept no cookie jar (in process)."""
    jar = SimpleCookie()
    try:
        jar.load(response.headers.get("Set-Cookie", ""))
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None
