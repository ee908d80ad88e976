"""acme, an in-house contacts API: declarations only (loaded through the accord.vendors entry point)."""

from collections.abc import Mapping
from pathlib import Path

from accord.auth import AuthStrategy, FormLoginCookie, NoAuth
from accord.http import RateLimit
from accord.vendor import Credential, Vendor
from accord_example_vendor.client import API, AcmeClient
from accord_example_vendor.simulator import ACCOUNT, AcmeSimulator

HERE = Path(__file__).resolve().parent


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """The documented login form at the server root (three levels above the API root) yields ACME_SESSION."""
    if not credentials.get("USERNAME") and not credentials.get("SESSION"):
        return NoAuth()
    return FormLoginCookie("../../../login", {"username": credentials.get("USERNAME", ""),
                                      "password": credentials.get("PASSWORD", "")},
                           ("password",), "ACME_SESSION", credentials.get("SESSION"))


VENDOR = Vendor(
    name="acme",
    title="Acme Contacts (example vendor)",
    credentials=(
        Credential("USERNAME", "the login name", secret=False),
        Credential("PASSWORD", "the login password"),
    ),
    settings=(Credential("ACCOUNT_ID", "the account whose contacts the run may use", secret=False),),
    simulator_settings={"ACCOUNT_ID": ACCOUNT},
    auth=auth,
    simulator=AcmeSimulator,
    client=AcmeClient,
    api=API,
    base_url_hint="the API root, e.g. https://host/acme/api/v1 (paths /accounts/{accountId}/contacts...)",
    rate_limit=RateLimit(per_minute=600),
    default_version="1.1",
    contract_dir=HERE / "contract",
    suite_dir=HERE / "suite",
)
