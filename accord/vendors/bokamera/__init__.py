"""BokaMera (the customer operations of its ServiceStack API): declarations only."""

from collections.abc import Mapping

from accord.auth import AuthStrategy, BearerAuth, CombinedAuth, HeaderAuth, NoAuth
from accord.vendor import Credential, Vendor
from accord.vendors.bokamera.client import API, BokaMeraClient
from accord.vendors.bokamera.simulator import BokaMeraSimulator


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """The x-api-key header plus the bearer token; either one alone where only one is given (the
    auth checks send each without the other), nothing for no credentials."""
    key, token = credentials.get("API_KEY"), credentials.get("TOKEN")
    parts: list[AuthStrategy] = []
    if key:
        parts.append(HeaderAuth({"x-api-key": key}, ("x-api-key",), "x-api-key header"))
    if token:
        parts.append(BearerAuth(token))
    if not parts:
        return NoAuth()
    return parts[0] if len(parts) == 1 else CombinedAuth(*parts)


VENDOR = Vendor(
    name="bokamera",
    title="BokaMera API",
    credentials=(
        Credential("API_KEY", "the BokaMera API key (sent as the x-api-key header)"),
        Credential("TOKEN", "a bearer token of an administrator of the company the run may use"),
        Credential("USER_TOKEN", "optional: a bearer token of a user (not an administrator) of the same company, "
                                 "for the role clauses", required=False),
        Credential("OTHER_COMPANY_TOKEN", "optional: a bearer token of an administrator of another company, "
                                          "for the cross-company clauses", required=False),
    ),
    auth=auth,
    simulator=BokaMeraSimulator,
    client=BokaMeraClient,
    api=API,
    # No documented rate limit: none is declared (accord still backs off on 429).
    rate_limit=None,
    base_url_hint="the BokaMera API server root, e.g. https://api.bokamera.se (paths /customers...)",
    # No default_version: BokaMera numbers no API versions (its metadata pages differ between
    # snapshots, and the contract accepts both where they do).
)
