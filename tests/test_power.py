"""Every vendor's suite passes against its faithful simulator, on every version accord claims to
judge, and catches every planted fault.

Parametrised over the discovered vendors (accord's own and installed ones, such as the example
vendor), so a new vendor is covered without editing this file.
"""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.vendors import all_vendors

VENDORS = sorted(all_vendors())
FAULTS = [(name, fault.name) for name in VENDORS for fault in all_vendors()[name].simulator.catalogue]
OLDER_VERSIONS = [(name, version) for name in VENDORS for version in all_vendors()[name].versions
                  if version != all_vendors()[name].default_version]
BUDGET = 300  # requests of the quick profile, per vendor


def must_clauses(vendor: str) -> set[str]:
    return {c.id for c in load_contract(vendor).clauses.values() if c.level == "MUST"}


def assert_passes(outcome, vendor: str) -> None:
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    verdicts = outcome.verdicts(vendor)
    not_passing = {cid: v for cid, v in verdicts.items() if v not in ("pass", "skip")}
    assert not not_passing, not_passing
    unexplained = [c["id"] for c in outcome.results(vendor)["clauses"]
                   if c["verdict"] == "skip" and not all("not applicable" in (t["message"] or "") for t in c["tests"])]
    assert not unexplained, f"skipped without a reason: {unexplained}"
    cleanup = outcome.results(vendor)["cleanup"]
    assert cleanup["failed"] == [] and cleanup["created"] > 0
    assert cleanup["removed"] + len(cleanup["neutralised"]) == cleanup["created"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_suite_passes_against_the_faithful_simulator(accord, vendor):
    outcome = accord("run", vendor)
    assert_passes(outcome, vendor)
    assert outcome.results(vendor)["run"]["requests"] <= BUDGET, "the quick profile's budget"


@pytest.mark.parametrize(("vendor", "version"), OLDER_VERSIONS, ids=[f"{v}:{n}" for v, n in OLDER_VERSIONS])
def test_no_false_alarm_on_an_older_supported_version(accord, vendor, version):
    """Every clause passes, or does not apply to that version, on the simulator of each version
    the vendor declares supported."""
    outcome = accord("run", vendor, "--target-version", version)
    assert_passes(outcome, vendor)
    assert outcome.results(vendor)["run"]["target"]["version"] == version


@pytest.mark.faults
@pytest.mark.parametrize(("vendor", "fault"), FAULTS, ids=[f"{v}:{f}" for v, f in FAULTS])
def test_planted_fault_is_detected(accord, vendor, fault):
    """Only the tests of the fault's clause run (--clause): that is what the fault proves, and
    several hundred faults stay within the test budget. A fault of an older version's behaviour is
    planted in that version's simulator."""
    planted = all_vendors()[vendor].simulator.catalogue[fault]
    version = ["--target-version", planted.version] if planted.version else []
    outcome = accord("run", vendor, "--fault", fault, "--clause", planted.clause, "--timeout", "1", *version)
    failed = outcome.failed(vendor)
    assert planted.clause in failed, f"fault {fault} should fail {planted.clause}; failed: {sorted(failed)}\n{outcome.stderr}"
    left_behind = bool(outcome.results(vendor)["cleanup"]["failed"])  # a fault may keep what the run made
    assert outcome.code == (1 if failed & must_clauses(vendor) else 4 if left_behind else 0), outcome.stderr
