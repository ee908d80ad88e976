"""Valomnia-specific fixtures: customers created for the checks, and the target's reference data."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def customer(client: Any) -> dict[str, Any]:
    """A customer created for this test alone (tagged, in the ledger, cleaned at the end of the run)."""
    return client.create_ok(comment="created by accord")


@pytest.fixture(scope="module")
def base(client: Any) -> dict[str, Any]:
    """One customer created with reference and name only, for the checks that only read it."""
    return client.create_ok()


@pytest.fixture
def readable(client: Any, run_state: Any, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A customer to read: in a read-only run the first one the target lists, otherwise ``base``."""
    if not run_state.read_only:
        return request.getfixturevalue("base")
    response = client.list(max=1)
    data = response.json().get("data") if response.status_code == 200 and isinstance(response.json(), dict) else None
    if not data or not isinstance(data[0], dict):
        pytest.skip("not applicable: a read-only run, and the target lists no customer to read")
    return data[0]


@pytest.fixture(scope="module")
def setting(target: Any):
    """A target fact (reference data) the checks need; not applicable where the user named none."""

    def get(name: str) -> str:
        value = target.settings.get(name)
        if not value:
            pytest.skip(f"not applicable: set ACCORD_VALOMNIA_{name} to check this on the target")
        return value

    return get
