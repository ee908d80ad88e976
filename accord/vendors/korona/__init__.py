"""KORONA.cloud API v3 (customers): declarations only."""

from collections.abc import Mapping

from accord.auth import AuthStrategy, BasicAuth, NoAuth
from accord.vendor import Credential, Vendor
from accord.vendors.korona.client import API, KoronaClient
from accord.vendors.korona.simulator import ACCOUNT_ID, OTHER_ACCOUNT_ID, KoronaSimulator


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """HTTP basic with the account's API user (every operation: 'Authorization basicAuth')."""
    if not credentials.get("USERNAME") and not credentials.get("PASSWORD"):
        return NoAuth()
    return BasicAuth(credentials.get("USERNAME", ""), credentials.get("PASSWORD", ""))


VENDOR = Vendor(
    name="korona",
    title="KORONA.cloud API v3",
    credentials=(
        Credential("USERNAME", "the API user name of the KORONA.cloud account", secret=False),
        Credential("PASSWORD", "the API user's password"),
    ),
    settings=(
        Credential("ACCOUNT_ID", "the KORONA.cloud account id (a UUID) whose customers the run may use", secret=False),
        Credential("OTHER_ACCOUNT_ID", "a second account the same API user can reach, for the tenant-isolation "
                   "clauses (without it they are reported as not applicable)", secret=False, required=False),
    ),
    simulator_settings={"ACCOUNT_ID": ACCOUNT_ID, "OTHER_ACCOUNT_ID": OTHER_ACCOUNT_ID},
    auth=auth,
    simulator=KoronaSimulator,
    client=KoronaClient,
    api=API,
    base_url_hint="the API root, e.g. https://www.koronacloud.com/web/api/v3 (paths /accounts/{accountId}/customers...)",
    rate_limit=None,  # none documented: only 429 DAILY_LIMIT_EXCEEDED / TOO_MANY_PARALLEL_UPDATE_REQUESTS
    default_version="3.0",  # the seed's documentation (contract.yaml versions.default)
    versions=("3.0", "3.2"),  # the seed's and the official spec's; the simulator imitates both
)
