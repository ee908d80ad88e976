"""Kimai 2 (the customer API of kimai_python / Kimai 2.x): declarations only."""

from collections.abc import Mapping

from accord.auth import AuthStrategy, BearerAuth, HeaderAuth, NoAuth
from accord.vendor import Credential, Vendor
from accord.vendors.kimai.client import API, KimaiClient
from accord.vendors.kimai.simulator import META_FIELD, KimaiSimulator


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """Bearer by default, as current Kimai expects; the documented header pair when USER is set."""
    token, user = credentials.get("TOKEN"), credentials.get("USER")
    if token is None:
        return NoAuth()
    if user is not None:
        return HeaderAuth({"X-AUTH-USER": user, "X-AUTH-TOKEN": token}, ("X-AUTH-TOKEN",),
                          "X-AUTH-USER + X-AUTH-TOKEN headers (documented, deprecated since Kimai 2.14)")
    return BearerAuth(token)


VENDOR = Vendor(
    name="kimai",
    title="Kimai 2",
    credentials=(
        Credential("TOKEN", "the Kimai API token (sent as Authorization: Bearer)"),
        Credential("USER", "the Kimai user name, to use the documented X-AUTH-USER/X-AUTH-TOKEN headers",
                   secret=False, required=False),
    ),
    settings=(Credential("META_FIELD", "the name of a customer meta-field configured on the target",
                         secret=False, required=False),),
    simulator_settings={"META_FIELD": META_FIELD},
    auth=auth,
    simulator=KimaiSimulator,
    client=KimaiClient,
    api=API,
    base_url_hint="the Kimai server root (paths /api/customers...)",
)
