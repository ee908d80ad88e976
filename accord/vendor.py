"""What a vendor declares to accord: facts only, no control flow about other vendors.

Every vendor package ``accord.vendors.<name>`` exposes ``VENDOR = Vendor(...)``; a vendor kept
outside accord (a team's in-house API) is an installed package that names its ``Vendor`` under
the ``accord.vendors`` entry-point group. The shared machinery reads these declarations; nothing
outside ``accord/vendors/`` names a vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.api import Api
from accord.auth import AuthStrategy
from accord.http import RateLimit

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from accord.simulate import Simulator


@dataclass(frozen=True)
class Credential:
    """One ``ACCORD_<VENDOR>_<FIELD>`` variable."""

    field: str
    help: str
    secret: bool = True
    required: bool = True


@dataclass(frozen=True)
class Vendor:
    name: str
    title: str
    credentials: tuple[Credential, ...]
    auth: Callable[[Mapping[str, str]], AuthStrategy]  # credentials by field -> strategy
    simulator: Callable[..., Simulator]  # (faults=..., seed_records=...) -> Simulator
    client: Callable[..., Any]  # a VendorClient subclass: (session, ledger, settings, api) -> client
    base_url_hint: str  # what the base URL is, in the vendor's own terms
    api: Api  # the API's shape: resources and paths, paging, bodies, error envelope
    rate_limit: RateLimit | None = None
    settings: tuple[Credential, ...] = ()  # non-secret target facts (e.g. a meta-field name, an account id)
    simulator_settings: Mapping[str, str] = field(default_factory=dict)
    # Versions: the version a target is checked as when neither the user nor the target says (None:
    # the vendor's clauses carry no version ranges), and how to ask a live target for its version.
    default_version: str | None = None
    version_probe: Callable[[Any], str | None] | None = None  # (session) -> version or None
    versions: tuple[str, ...] = ()  # versions accord claims to judge without false alarms (the simulator imitates each)
    # Credential fields of which at least one group must be set in full for a live run (e.g. a
    # token, or a user with a password); empty: every required credential on its own.
    credential_groups: tuple[tuple[str, ...], ...] = ()
    contract_dir: Path | None = None  # default: contracts/<name> of this checkout
    suite_dir: Path | None = None  # default: suites/<name> of this checkout

    @property
    def contract_path(self) -> Path:
        return self.contract_dir or ROOT / "contracts" / self.name

    @property
    def suite_path(self) -> Path:
        return self.suite_dir or ROOT / "suites" / self.name

    def env_name(self, field_name: str) -> str:
        return f"ACCORD_{self.name.upper()}_{field_name}"
