"""KORONA-specific fixtures: the documentation version the target is checked against, the second
account of the isolation clauses, and fresh tagged customers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from accord.clauses import marked_clauses

CLAUSES = Path(__file__).resolve().parents[2] / "contracts" / "korona" / "clauses.yaml"
DEFAULT_VERSION = "3.0"  # contract.yaml versions.default: the seed's documentation


def _clause_versions() -> dict[str, str | None]:
    return {c["id"]: c.get("versions") for c in yaml.safe_load(CLAUSES.read_text())}


VERSIONS = _clause_versions()


@pytest.fixture(scope="module")
def version(target: Any) -> Version:
    """The documentation version the target is checked against: the run's (once the shared machinery
    sets ``target.version``), else the simulator's, else ACCORD_KORONA_VERSION, else the seed's 3.0."""
    found = (getattr(target, "version", None)
             or (getattr(target.simulator, "version", None) if target.simulator is not None else None)
             or os.environ.get("ACCORD_KORONA_VERSION") or DEFAULT_VERSION)
    return Version(str(found))


@pytest.fixture(autouse=True)
def _clause_holds_for_version(request: pytest.FixtureRequest, version: Version) -> None:
    """A test whose clauses all hold for other documentation versions only is not applicable."""
    ids = marked_clauses(request.node)
    specs = [VERSIONS.get(clause) for clause in ids]
    if ids and all(spec and version not in SpecifierSet(spec) for spec in specs):
        pytest.skip(f"not applicable: the target is checked as KORONA documentation {version}; "
                    f"{', '.join(ids)} hold(s) for {', '.join(str(s) for s in specs)}")


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
