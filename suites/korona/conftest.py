"""KORONA-specific fixtures: the documentation version the target is checked against, the second
account of the isolation clauses, and fresh tagged customers."""

from __future__ import annotations

from typing import Any

import pytest
from packaging.version import Version


@pytest.fixture(scope="module")
def version(target: Any) -> Version:
    """The documentation version the target is checked against (accord's run decides: the user or
    the seed's 3.0); clauses of other versions are not applicable already."""
    return Version(str(target.version or "3.0"))


@pytest.fixture(scope="module")
def v32(version: Version) -> bool:
    """From 3.2 on, the official spec's behaviour: id-only paths, 204 answers, number filter."""
    return version >= Version("3.2")


@pytest.fixture
def other_account(target: Any) -> str:
    other = target.settings.get("OTHER_ACCOUNT_ID")
    if not other:
        pytest.skip("not applicable: set ACCORD_KORONA_OTHER_ACCOUNT_ID to a second account the API user can reach")
    return other


@pytest.fixture
def customer(client: Any) -> dict[str, Any]:
    """A customer created for this test alone (tagged, in the ledger, removed at the end of the run)."""
    return client.create_ok("scenario", firstname="Ada", company="Accord Test GmbH", email="ada@example.com")



_KEPT: dict[int, dict[str, Any]] = {}


@pytest.fixture
def kept(client: Any) -> dict[str, Any]:
    """A customer no check changes (on a faithful target): one per run, shared by the checks that
    only read it or whose changes must be refused."""
    if id(client) not in _KEPT:
        _KEPT[id(client)] = client.create_ok("kept", firstname="Ada", company="Accord Test GmbH")
    return _KEPT[id(client)]
