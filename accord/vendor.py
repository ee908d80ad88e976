"""What a vendor declares to accord: facts only, no control flow about other vendors.

Every vendor package ``accord.vendors.<name>`` exposes ``VENDOR = Vendor(...)``. The shared
machinery reads these declarations; nothing outside ``accord/vendors/`` names a vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.auth import AuthStrategy
from accord.http import RateLimit

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
    client: Callable[..., Any]  # (session, ledger, settings) -> the vendor's client
    base_url_hint: str  # what the base URL is, in the vendor's own terms
    rate_limit: RateLimit | None = None
    settings: tuple[Credential, ...] = ()  # non-secret, optional target facts (e.g. a meta-field name)
    simulator_settings: Mapping[str, str] = field(default_factory=dict)

    def env_name(self, field_name: str) -> str:
        return f"ACCORD_{self.name.upper()}_{field_name}"
