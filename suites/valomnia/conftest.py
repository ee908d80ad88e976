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


@pytest.fixture(scope="module")
def setting(target: Any):
    """A target fact (reference data) the checks need; not applicable where the user named none."""

    def get(name: str) -> str:
        value = target.settings.get(name)
        if not value:
            pytest.skip(f"not applicable: set ACCORD_VALOMNIA_{name} to check this on the target")
        return value

    return get
