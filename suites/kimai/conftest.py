"""Kimai-specific fixtures: fresh tagged customers, the target's release, a low-privilege session."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet

from accord.contracts import load_contract
from accord.vendors.kimai.era import parse


def target_version(target: Any) -> str | None:
    """The target's Kimai release as a string, None when unknown (the newest is then assumed).

    ``target.version`` is the run's answer; before the run machinery offers it, the simulator's own
    release or ACCORD_KIMAI_VERSION stands in."""
    if hasattr(target, "version"):
        return target.version
    simulator = getattr(target, "simulator", None)
    return os.environ.get("ACCORD_KIMAI_VERSION") or getattr(simulator, "version", None)


@cache
def clause_versions() -> dict[str, str]:
    """The ``versions`` specifier of each clause that has one (clauses.yaml)."""
    raw = yaml.safe_load((load_contract("kimai").directory / "clauses.yaml").read_text()) or []
    return {entry["id"]: entry["versions"] for entry in raw if entry.get("versions")}


@pytest.fixture
def version(target: Any) -> str | None:
    return target_version(target)


@pytest.fixture(autouse=True)
def _outside_versions(request: pytest.FixtureRequest, target: Any) -> None:
    """A check whose clauses all hold only for other releases does not apply to this target."""
    ids = [c for mark in request.node.iter_markers("clause") for c in mark.args]
    specs = [clause_versions().get(c) for c in ids]
    if not ids or any(spec is None for spec in specs):
        return
    release = parse(target_version(target))
    if not any(SpecifierSet(spec).contains(release, prereleases=True) for spec in specs):
        pytest.skip(f"not applicable: Kimai {release} is outside {' / '.join(dict.fromkeys(specs))}")


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
