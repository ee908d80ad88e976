"""Every vendor's suite passes against its faithful simulator and catches every planted fault.

Parametrised over the discovered vendors (accord's own and installed ones, such as the example
vendor), so a new vendor is covered without editing this file.
"""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.vendors import all_vendors

VENDORS = sorted(all_vendors())
FAULTS = [(name, fault.name) for name in VENDORS for fault in all_vendors()[name].simulator.catalogue]


def must_clauses(vendor: str) -> set[str]:
    return {c.id for c in load_contract(vendor).clauses.values() if c.level == "MUST"}


@pytest.mark.parametrize("vendor", VENDORS)
def test_suite_passes_against_the_faithful_simulator(accord, vendor):
    outcome = accord("run", vendor)
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    not_passing = {cid: v for cid, v in outcome.verdicts(vendor).items() if v != "pass"}
    assert not not_passing, not_passing
    cleanup = outcome.results(vendor)["cleanup"]
    assert cleanup["failed"] == [] and cleanup["created"] > 0
    assert cleanup["removed"] + len(cleanup["neutralised"]) == cleanup["created"]


@pytest.mark.parametrize(("vendor", "fault"), FAULTS, ids=[f"{v}:{f}" for v, f in FAULTS])
def test_planted_fault_is_detected(accord, vendor, fault):
    """Only the tests of the fault's clause run (--clause): that is what the fault proves, and
    several hundred faults stay within the test budget."""
    clause = all_vendors()[vendor].simulator.catalogue[fault].clause
    outcome = accord("run", vendor, "--fault", fault, "--clause", clause, "--timeout", "1")
    failed = outcome.failed(vendor)
    assert clause in failed, f"fault {fault} should fail {clause}; failed: {sorted(failed)}\n{outcome.stderr}"
    assert outcome.code == (1 if failed & must_clauses(vendor) else 0), outcome.stderr
