"""Kimai-specific fixtures: fresh tagged customers, the target's release, a low-privilege session."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def version(target: Any) -> str | None:
    """The Kimai release the target is checked as (accord's run decides: the user, the target's
    GET /api/version, or the newest release); clauses outside it are not applicable already."""
    return target.version


@pytest.fixture
def customer(client: Any) -> dict[str, Any]:
    """A customer created for this test alone (tagged, in the ledger, cleaned at the end of the run)."""
    return client.create_ok(name="scenario", comment="created by accord")


@pytest.fixture(scope="module")
def shared(client: Any) -> dict[str, Any]:
    """One customer for the checks of a module that leave it as they found it (reads, refused
    writes, a comment): each created customer costs a create and a clean-up on the target."""
    return client.create_ok(name="shared", comment="created by accord")


@pytest.fixture
def meta_field(target: Any) -> str:
    name = target.settings.get("META_FIELD")
    if not name:
        pytest.skip("not applicable: set ACCORD_KIMAI_META_FIELD to a customer meta-field configured on the target")
    return name


@pytest.fixture
def limited(target: Any) -> Any:
    """A session of the optional second user, one without customer permissions (ROLE_USER)."""
    creds = target.credentials
    if "LIMITED_TOKEN" in creds:
        return target.session({"TOKEN": creds["LIMITED_TOKEN"]})
    if "LIMITED_USER" in creds and "LIMITED_API_PASSWORD" in creds:
        return target.session({"USER": creds["LIMITED_USER"], "API_PASSWORD": creds["LIMITED_API_PASSWORD"]})
    pytest.skip("not applicable: set ACCORD_KIMAI_LIMITED_TOKEN (or ACCORD_KIMAI_LIMITED_USER and "
                "ACCORD_KIMAI_LIMITED_API_PASSWORD) to a user without customer permissions")
