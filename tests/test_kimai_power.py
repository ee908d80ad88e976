"""The Kimai suite passes against the faithful simulator and catches every planted fault."""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.vendors.kimai.faults import CATALOGUE

MUST = {c.id for c in load_contract("kimai").clauses.values() if c.level == "MUST"}


def test_suite_passes_against_the_faithful_simulator(accord):
    outcome = accord("run", "kimai")
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    not_passing = {cid: v for cid, v in outcome.verdicts("kimai").items() if v != "pass"}
    assert not not_passing, not_passing
    results = outcome.results("kimai")
    assert results["cleanup"]["failed"] == [] and results["cleanup"]["created"] > 0
    assert results["cleanup"]["removed"] == results["cleanup"]["created"]


@pytest.mark.parametrize("fault", [fault.name for fault in CATALOGUE])
def test_planted_fault_is_detected(accord, fault):
    outcome = accord("run", "kimai", "--fault", fault, "--timeout", "1")
    clause = CATALOGUE[fault].clause
    failed = outcome.failed("kimai")
    assert clause in failed, f"fault {fault} should fail {clause}; failed: {sorted(failed)}"
    assert outcome.code == (1 if failed & MUST else 0), outcome.stderr
