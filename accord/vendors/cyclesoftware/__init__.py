"""CycleSoftware API v1 (customers): declarations only."""

from collections.abc import Mapping
from typing import Any

from accord.auth import AuthStrategy, BasicAuth, NoAuth
from accord.http import RateLimit
from accord.vendor import Credential, Vendor
from accord.vendors.cyclesoftware.client import API, CycleSoftwareClient
from accord.vendors.cyclesoftware.limits import DOCUMENTED_PER_DAY, DOCUMENTED_PER_MINUTE
from accord.vendors.cyclesoftware.simulator import PASSWORD, UNSCOPED_USERNAME, USERNAME, CycleSoftwareSimulator

# Customers that exist before a run on the built-in target: list.json pages hold 20, so with the
# run's first two customers the list spans two pages and one of the run's own customers sits on
# the second page's first position, where a wrong next_offset skips it.
PAGING_SEED = 19


SHARED_USE = 120  # requests of other integrations in the run's first minute


class SuiteSimulator(CycleSoftwareSimulator):
    """The simulator as a run's built-in target: seeded so paging crosses a page, with the second,
    unscoped account's credentials for the scope clause."""

    credentials = {"USERNAME": USERNAME, "PASSWORD": PASSWORD,
                   "UNSCOPED_USERNAME": UNSCOPED_USERNAME, "UNSCOPED_PASSWORD": PASSWORD}

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, **options: Any) -> None:
        super().__init__(tuple(faults), seed_records or PAGING_SEED, **options)
        # A shared account: other integrations used part of this minute's 360 already, so the run
        # reaches the documented 429 within the quick profile's 300 requests.
        self.limits.spend(SHARED_USE)


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """HTTP basic with the account's username and password (_authentication.md)."""
    if not credentials.get("USERNAME") and not credentials.get("PASSWORD"):
        return NoAuth()
    return BasicAuth(credentials.get("USERNAME", ""), credentials.get("PASSWORD", ""))


VENDOR = Vendor(
    name="cyclesoftware",
    title="CycleSoftware API v1",
    credentials=(
        Credential("USERNAME", "the API account's username (HTTP basic)", secret=False),
        Credential("PASSWORD", "the API account's password (HTTP basic)"),
        Credential("UNSCOPED_USERNAME", "optional: an account without the scope 'resources', for the scope clause",
                   secret=False, required=False),
        Credential("UNSCOPED_PASSWORD", "optional: that account's password", required=False),
    ),
    settings=(Credential("EXHAUST_LIMIT", "optional: 'yes' lets the run spend the account's whole minute of requests "
                         "to prove the 429 (the limit-enforced clause; other integrations then wait a minute)",
                         secret=False, required=False),),
    simulator_settings={"EXHAUST_LIMIT": "yes"},
    auth=auth,
    simulator=SuiteSimulator,
    client=CycleSoftwareClient,
    api=API,
    rate_limit=RateLimit(per_minute=DOCUMENTED_PER_MINUTE, per_day=DOCUMENTED_PER_DAY),
    base_url_hint="the API host root, e.g. https://api.cyclesoftware.nl (paths /api/v1/customers...)",
    default_version="2025.10.6",  # the documentation of 2025-10-06 (contract.yaml versions.current)
)
