"""The Kimai suite passes against the faithful simulator and catches every planted fault, on the
current release (2.66) and on the documented API's era (2.13), which the simulator imitates."""

from __future__ import annotations

import pytest

from accord.contracts import load_contract
from accord.simulate.server import SimulatorServer
from accord.vendors.kimai.faults import CATALOGUE, FAULT_RELEASE
from accord.vendors.kimai.simulator import META_FIELD, KimaiSimulator

MUST = {c.id for c in load_contract("kimai").clauses.values() if c.level == "MUST"}
ERA = "2.13"
# Faults that must show on the era's simulator too (one per group of behaviour).
ERA_SAMPLE = ("missing-auth-401-in-legacy-era", "wrong-user-accepted", "term-ignored", "patch-replaces",
              "duplicate-rate-accepted", "limited-user-edits")


def run_against_release(accord, version: str, faults: tuple[str, ...] = ()):
    """accord run against the simulator of an older release, served as a live target."""
    simulator = KimaiSimulator(faults=faults, version=version)
    env = {f"ACCORD_KIMAI_{name}": value for name, value in simulator.credentials.items()}
    env.update({"ACCORD_KIMAI_VERSION": version, "ACCORD_KIMAI_META_FIELD": META_FIELD})
    with SimulatorServer(simulator) as server:
        return accord("run", "kimai", "--base-url", server.base_url, "--timeout", "1", env=env)


def test_suite_passes_against_the_faithful_simulator(accord):
    outcome = accord("run", "kimai")
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    not_passing = {cid: v for cid, v in outcome.verdicts("kimai").items() if v != "pass"}
    skipped = {cid for cid, v in not_passing.items() if v == "skip"}
    assert skipped <= {c for c in load_contract("kimai").clauses if c.endswith("-legacy")}, not_passing
    assert not {cid: v for cid, v in not_passing.items() if cid not in skipped}, not_passing
    results = outcome.results("kimai")
    assert results["cleanup"]["failed"] == [] and results["cleanup"]["created"] > 0
    assert results["cleanup"]["removed"] == results["cleanup"]["created"]
    assert results["run"]["requests"] <= 300, "the quick profile's budget is 300 requests"


def test_suite_passes_against_the_documented_era(accord):
    """No false alarm on a Kimai 2.13: every clause passes or is not applicable to that release."""
    outcome = run_against_release(accord, ERA)
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    verdicts = outcome.verdicts("kimai")
    assert {v for v in verdicts.values()} <= {"pass", "skip"}, {c: v for c, v in verdicts.items() if v != "pass"}
    assert verdicts["kimai.auth.missing-credentials-forbidden-legacy"] == "pass"
    assert outcome.results("kimai")["cleanup"]["failed"] == []


@pytest.mark.parametrize("fault", [fault.name for fault in CATALOGUE if fault.name not in FAULT_RELEASE])
def test_planted_fault_is_detected(accord, fault):
    outcome = accord("run", "kimai", "--fault", fault, "--timeout", "1")
    clause = CATALOGUE[fault].clause
    failed = outcome.failed("kimai")
    assert clause in failed, f"fault {fault} should fail {clause}; failed: {sorted(failed)}"
    assert outcome.code == (1 if failed & MUST else 0), outcome.stderr


@pytest.mark.parametrize("fault", ERA_SAMPLE)
def test_planted_fault_is_detected_in_the_documented_era(accord, fault):
    outcome = run_against_release(accord, FAULT_RELEASE.get(fault, ERA), (fault,))
    clause = CATALOGUE[fault].clause
    failed = outcome.failed("kimai")
    assert clause in failed, f"fault {fault} on Kimai {ERA} should fail {clause}; failed: {sorted(failed)}"
