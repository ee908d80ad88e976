"""Bookkeeping that keeps the suites honest: every clause is tested, every test names clauses,
every clause can be made to fail by a simulator fault."""

from __future__ import annotations

import pytest

from accord.clauses import marked_clauses
from accord.contracts import load_contract
from accord.targets import resolve_target
from accord.vendors import all_vendors

from .conftest import ROOT

VENDORS = sorted(all_vendors())


class Collector:
    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = {item.nodeid: marked_clauses(item) for item in session.items}


@pytest.fixture(scope="module")
def collected() -> dict[str, list[str]]:
    collector = Collector()
    suites = [str(all_vendors()[vendor].suite_path) for vendor in VENDORS]
    code = pytest.main([*suites, "--collect-only", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
                        "-p", "accord.plugin", "--no-accord-report"], plugins=[collector])
    assert code == 0, "the suites do not collect"
    return collector.items


def test_every_vendor_has_its_three_places():
    for vendor in VENDORS:
        declared = all_vendors()[vendor]
        assert (declared.contract_path / "clauses.yaml").is_file()
        assert declared.suite_path.is_dir()


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_clause_has_a_test(vendor, collected):
    tested = {clause for clauses in collected.values() for clause in clauses}
    untested = sorted(set(load_contract(vendor).clauses) - tested)
    assert not untested, f"clauses with no test: {untested}"


def test_every_suite_test_names_a_clause(collected):
    assert collected, "no suite test was collected"
    unmarked = [nodeid for nodeid, clauses in collected.items() if not clauses]
    assert not unmarked, f"tests without a clause marker: {unmarked}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_clause_has_a_fault_and_every_fault_a_clause(vendor):
    clauses = set(load_contract(vendor).clauses)
    catalogue = all_vendors()[vendor].simulator.catalogue
    assert len(catalogue) >= 10
    faulted = {fault.clause for fault in catalogue}
    assert faulted <= clauses, f"faults name unknown clauses: {sorted(faulted - clauses)}"
    assert not clauses - faulted, f"clauses no fault can break: {sorted(clauses - faulted)}"


def test_a_test_without_clause_is_refused(tmp_path):
    suite = ROOT / "suites" / "kimai" / "test_zz_unmarked_probe.py"
    suite.write_text("def test_unmarked():\n    pass\n")
    try:
        code = pytest.main([str(suite), "--collect-only", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT)])
    finally:
        suite.unlink()
    assert code == pytest.ExitCode.USAGE_ERROR


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_simulator_answers_its_sample_requests(vendor):
    """The benchmarks measure capacity and scale with these; a stale sample would measure 404s."""


    declared = all_vendors()[vendor]
    samples = declared.simulator.sample_requests
    assert samples, "the simulator declares no sample_requests"
    target = resolve_target(declared, None, transport="inprocess", seed_records=3)
    session = target.session()
    session.write_guard = None  # the samples write to the simulator's own seeded records
    kind = {"json": "application/json", "form": "application/x-www-form-urlencoded"}.get(declared.api.body_encoding)
    for label, (method, path, query, body) in samples.items():
        headers = {"Content-Type": kind} if body and kind else {}
        response = session.request(method, path + (f"?{query}" if query else ""), data=body or None, headers=headers)
        assert 200 <= response.status_code < 300, (label, response.status_code, response.content[:200])
