"""Auth strategies: how a vendor's credentials go on a request, and which values are secret.

Each strategy is a requests ``AuthBase`` plus ``secrets`` (values to redact from all evidence) and
an optional ``login`` step for vendors whose credentials are exchanged for a session first.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import requests
from requests.auth import AuthBase


class AuthStrategy(AuthBase):
    description = "no credentials"

    @property
    def secrets(self) -> tuple[str, ...]:
        return ()

    def login(self, session: requests.Session, base_url: str) -> None:
        """Exchange credentials for a session where the vendor requires it; most need nothing."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class NoAuth(AuthStrategy):
    pass


class HeaderAuth(AuthStrategy):
    """Fixed headers such as Kimai's X-AUTH-USER/X-AUTH-TOKEN or BokaMera's x-api-key."""

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
    """Several strategies on every request (BokaMera: an API key header plus a bearer token)."""

    def __init__(self, *parts: AuthStrategy) -> None:
        self.parts = parts
        self.description = " + ".join(part.description for part in parts)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(secret for part in self.parts for secret in part.secrets)

    def login(self, session: requests.Session, base_url: str) -> None:
        for part in self.parts:
            part.login(session, base_url)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        for part in self.parts:
            request = part(request)
        return request


class FormLoginCookie(AuthStrategy):
    """A form login that yields a session cookie (Valomnia's j_spring_security_check)."""

    def __init__(self, path: str, fields: Mapping[str, str], secret_fields: tuple[str, ...],
                 cookie: str, session_value: str | None = None) -> None:
        self.path, self.fields, self.cookie = path, dict(fields), cookie
        self.secret_fields = secret_fields
        self.session_value = session_value
        self.description = f"form login at {path} yielding the {cookie} cookie"

    @property
    def secrets(self) -> tuple[str, ...]:
        values = [self.fields[name] for name in self.secret_fields if self.fields.get(name)]
        return tuple(values + ([self.session_value] if self.session_value else []))

    def login(self, session: requests.Session, base_url: str) -> None:
        if self.session_value is None:
            session.post(base_url.rstrip("/") + self.path, data=self.fields, allow_redirects=False)
            self.session_value = session.cookies.get(self.cookie)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.session_value:
            request.headers["Cookie"] = f"{self.cookie}={self.session_value}"
        return request
