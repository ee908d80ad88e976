"""Kimai-specific fixtures: fresh tagged customers for checks that must not share state."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def customer(client: Any) -> dict[str, Any]:
    """A customer created for this test alone (tagged, in the ledger, cleaned at the end of the run)."""
    return client.create_ok(name="scenario", comment="created by accord")


@pytest.fixture
def meta_field(target: Any) -> str:
    name = target.settings.get("META_FIELD")
    if not name:
        pytest.skip("not applicable: set ACCORD_KIMAI_META_FIELD to a customer meta-field configured on the target")
    return name
