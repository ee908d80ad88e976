"""Kimai 2 (the customer API of kimai_python / Kimai 2.x): declarations only."""

from collections.abc import Mapping
from typing import Any

from accord.auth import AuthStrategy, BearerAuth, HeaderAuth, NoAuth
from accord.vendor import Credential, Vendor
from accord.vendors.kimai.client import API, KimaiClient
from accord.vendors.kimai.era import NEWEST
from accord.vendors.kimai.simulator import META_FIELD, KimaiSimulator


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """Bearer with the API access token (Kimai 2.14+); without one, the documented header pair
    with the user's API password. Kimai keeps the two secrets apart: one never passes as the other."""
    token, user, password = credentials.get("TOKEN"), credentials.get("USER"), credentials.get("API_PASSWORD")
    if token is not None:
        return BearerAuth(token)
    if user is not None and password is not None:
        return HeaderAuth({"X-AUTH-USER": user, "X-AUTH-TOKEN": password}, ("X-AUTH-TOKEN",),
                          "X-AUTH-USER + X-AUTH-TOKEN headers (documented; deprecated since Kimai 2.14)")
    return NoAuth()


def version_of(session: Any) -> str | None:
    """GET /api/version (StatusController::versionAction): {"version": "2.66.0", ...}."""
    response = session.get("/api/version")
    body = response.json() if response.status_code == 200 else None
    return str(body["version"]) if isinstance(body, dict) and body.get("version") else None


VENDOR = Vendor(
    name="kimai",
    title="Kimai 2",
    credentials=(
        Credential("TOKEN", "a Kimai API access token, sent as Authorization: Bearer (Kimai 2.14+); "
                   "without it USER and API_PASSWORD are used", required=False),
        Credential("USER", "the Kimai user name, for the documented X-AUTH-USER/X-AUTH-TOKEN headers",
                   secret=False, required=False),
        Credential("API_PASSWORD", "that user's API password (not the access token), sent as X-AUTH-TOKEN",
                   required=False),
        Credential("LIMITED_TOKEN", "an access token of a second user without customer permissions (ROLE_USER), "
                   "for the permission clauses", required=False),
        Credential("LIMITED_USER", "the name of that low-privilege user, for the header pair (Kimai before 2.14)",
                   secret=False, required=False),
        Credential("LIMITED_API_PASSWORD", "that low-privilege user's API password", required=False),
    ),
    settings=(Credential("META_FIELD", "the name of a customer meta-field configured on the target",
                         secret=False, required=False),),
    simulator_settings={"META_FIELD": META_FIELD},
    auth=auth,
    simulator=KimaiSimulator,
    client=KimaiClient,
    api=API,
    base_url_hint="the Kimai server root (paths /api/customers...)",
    credential_groups=(("TOKEN",), ("USER", "API_PASSWORD")),
    default_version=NEWEST,
    version_probe=version_of,
    versions=("2.0", "2.13", NEWEST),  # the documented API's era and the current release
)
