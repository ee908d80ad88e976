"""Do no harm on shared sandboxes: pre-existing records stay byte-for-byte unchanged, and what the
run created is gone at the end of every run: passing, failing, faulty or interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from accord.contracts import load_contract
from accord.simulate.server import SimulatorServer
from accord.vendors import all_vendors

from .conftest import ROOT, run_accord

VENDORS = sorted(all_vendors())
SEEDED = 25


def credentials_of(vendor_name: str, simulator) -> dict[str, str]:
    """The simulator's fixed test credentials and settings, as the environment of a live run."""
    vendor = all_vendors()[vendor_name]
    return {vendor.env_name(k): v for k, v in {**simulator.credentials, **vendor.simulator_settings}.items()}


@pytest.fixture
def sandbox():
    """A vendor's simulator holding records that exist before the run, served on 127.0.0.1."""
    servers = []

    def start(vendor_name: str, *faults: str, prefix: str = "", version: str | None = None):
        extra = {"version": version} if version else {}
        simulator = all_vendors()[vendor_name].simulator(faults=faults, seed_records=SEEDED, **extra)
        server = SimulatorServer(simulator, prefix=prefix).start()
        servers.append(server)
        return simulator, server.base_url, simulator.snapshot()

    yield start
    for server in servers:
        server.stop()


def left_over(simulator, before: dict) -> list:
    """Asserts no pre-existing record changed; returns the records the run created that are still there."""
    after = simulator.snapshot()
    leftovers = []
    for table, rows in before.items():
        assert {i: after[table].get(i) for i in rows} == rows, f"a pre-existing {table} record was changed or deleted"
        leftovers += [(table, i) for i in sorted(set(after[table]) - set(rows))]
    return leftovers


def assert_untouched_and_clean(simulator, before: dict, cleanup: dict) -> None:
    """Pre-existing records untouched; what the run created is gone, but for what the report names
    as neutralised (a vendor without a delete: tagged and listed for manual removal)."""
    leftovers = left_over(simulator, before)
    assert len(leftovers) == len(cleanup["neutralised"]), (leftovers[:5], cleanup)


def writing_faults(vendor_name: str) -> tuple[str, ...]:
    """Every fault of the vendor at once: a badly broken target must still come to no harm."""
    return tuple(fault.name for fault in all_vendors()[vendor_name].simulator.catalogue)


@pytest.mark.parametrize("broken", [False, True], ids=["passing", "every-fault"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_existing_records_untouched_and_created_ones_removed(sandbox, tmp_path, vendor, broken):
    simulator, url, before = sandbox(vendor, *(writing_faults(vendor) if broken else ()))
    outcome = run_accord("run", vendor, "--base-url", url, "--timeout", "2", report_dir=tmp_path,
                         env=credentials_of(vendor, simulator))
    assert outcome.code == (1 if broken else 0), outcome.stdout + outcome.stderr
    leftovers = left_over(simulator, before)
    cleanup = outcome.results(vendor)["cleanup"]
    if not broken:
        assert cleanup["failed"] == [] and cleanup["created"] > 0, cleanup
        assert len(leftovers) == len(cleanup["neutralised"]), (leftovers[:5], cleanup)
        assert cleanup["removed"] + len(cleanup["neutralised"]) == cleanup["created"], cleanup
    else:  # a target whose DELETE lies may keep what the run created: then the report says so
        # (each one it can still find: one whose listing also skips records can hide some)
        assert not leftovers or cleanup["failed"], (leftovers, cleanup)


@pytest.mark.parametrize("vendor", VENDORS)
def test_verdicts_are_the_same_under_a_path_prefix(sandbox, tmp_path, vendor):
    """A base URL with a path (a reverse proxy, a versioned API root) changes no verdict: the guard,
    the observers and the ledger see paths relative to the base URL."""
    simulator, url, _ = sandbox(vendor, prefix="/behind/a/proxy")
    plain, plain_url, _ = sandbox(vendor)
    assert "/behind/a/proxy" in url
    prefixed = run_accord("run", vendor, "--base-url", url, "--seed", "3", report_dir=tmp_path / "prefixed",
                          env=credentials_of(vendor, simulator))
    direct = run_accord("run", vendor, "--base-url", plain_url, "--seed", "3", report_dir=tmp_path / "direct",
                        env=credentials_of(vendor, plain))
    assert prefixed.code == direct.code == 0, prefixed.stdout + prefixed.stderr
    assert prefixed.verdicts(vendor) == direct.verdicts(vendor)
    assert prefixed.results(vendor)["run"]["requests"] == direct.results(vendor)["run"]["requests"]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_interrupted_run_still_cleans_up(sandbox, tmp_path, vendor, sig):
    simulator, url, before = sandbox(vendor)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}, **credentials_of(vendor, simulator)}
    process = subprocess.Popen([sys.executable, "-m", "accord.cli", "run", vendor, "--base-url", url,
                                "--report-dir", str(tmp_path)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ignore_sigint)  # as a background job or a CI runner starts it
    deadline = time.monotonic() + 60
    while simulator.snapshot() == before and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    assert simulator.snapshot() != before, "the run had created nothing yet"
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    results = json.loads((tmp_path / f"{vendor}.json").read_text())
    assert_untouched_and_clean(simulator, before, results["cleanup"])
    assert any("interrupted" in problem for problem in results["problems"])


SWALLOWED_SIGNAL = """
import os, signal, time
from pathlib import Path

def test_signal_lands_where_it_is_swallowed():
    try:  # a finalizer or a library's `except BaseException` can eat the KeyboardInterrupt
        os.kill(os.getpid(), signal.{name})
        time.sleep(2)
    except KeyboardInterrupt:
        pass

def test_after_the_signal():
    Path({marker!r}).write_text("ran")
"""


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_swallowed_interrupt_still_stops_the_run(tmp_path, sig):
    """A signal whose KeyboardInterrupt never reaches pytest still ends the session as interrupted
    before the next test: the run must not go on and exit 0."""
    marker = tmp_path / "second-test-ran"
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_swallowed.py").write_text(SWALLOWED_SIGNAL.format(name=sig, marker=str(marker)))
    outcome = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "accord.plugin", "-p", "no:cacheprovider",
                              str(tmp_path)],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert outcome.returncode == pytest.ExitCode.INTERRUPTED, outcome.stdout + outcome.stderr
    assert not marker.exists(), "the run went on after the signal"


@pytest.mark.parametrize("vendor", VENDORS)
def test_read_only_run_changes_nothing(sandbox, tmp_path, vendor):
    simulator, url, before = sandbox(vendor)
    outcome = run_accord("run", vendor, "--base-url", url, "--read-only", report_dir=tmp_path,
                         env=credentials_of(vendor, simulator))
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    assert simulator.snapshot() == before
    clauses = outcome.results(vendor)["clauses"]
    writes = {c.id for c in load_contract(vendor).clauses.values() if c.writes}
    assert writes and all(c["verdict"] == "skip" for c in clauses if c["id"] in writes)
    assert any(c["verdict"] == "pass" for c in clauses), "a read-only run should still check what it can"
    summary = outcome.results(vendor)["summary"]["must"]
    assert summary["applicable"] < summary["total"]


READ_ONLY_FAULTS = [(name, fault.name) for name in VENDORS for fault in all_vendors()[name].simulator.catalogue
                    if not load_contract(name).clauses[fault.clause].writes]


@pytest.mark.parametrize(("vendor", "fault"), READ_ONLY_FAULTS, ids=[f"{v}:{f}" for v, f in READ_ONLY_FAULTS])
def test_read_only_run_catches_the_faults_of_reading_clauses(sandbox, tmp_path, vendor, fault):
    planted = all_vendors()[vendor].simulator.catalogue[fault]
    simulator, url, before = sandbox(vendor, fault, version=planted.version)
    version = {all_vendors()[vendor].env_name("VERSION"): planted.version} if planted.version else {}
    outcome = run_accord("run", vendor, "--base-url", url, "--read-only", "--timeout", "1", report_dir=tmp_path,
                         env={**credentials_of(vendor, simulator), **version})
    clause = planted.clause
    assert clause in outcome.failed(vendor), outcome.stdout + outcome.stderr
    assert simulator.snapshot() == before


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_secrets_appear_nowhere(sandbox, tmp_path, vendor):
    """Configured secrets and the secrets the target issued during the run (a session cookie) are
    in no report, no log, and nowhere on the terminal, also when clauses fail."""
    catalogue = all_vendors()[vendor].simulator.catalogue
    simulator, url, _ = sandbox(vendor, *[f.name for f in catalogue][:3])
    env = credentials_of(vendor, simulator)
    outcome = run_accord("run", vendor, "--base-url", url, "-v", report_dir=tmp_path, env=env)
    secret_fields = {c.field for c in all_vendors()[vendor].credentials if c.secret}
    secrets = [env[all_vendors()[vendor].env_name(f)] for f in secret_fields] + simulator.secrets_issued()
    assert outcome.code == 1 and secrets
    for secret in secrets:
        assert secret not in outcome.stdout and secret not in outcome.stderr
        for path in tmp_path.iterdir():
            assert secret not in path.read_text(errors="replace"), f"{path.name} holds a secret"


def test_a_traceback_entry_without_a_line_number_is_dropped_before_pytest_reports_an_interrupt():
    """CI saw pytest's interrupt report fail (tb_lineno None) and a run exit 1 instead of 130."""
    from types import SimpleNamespace

    from accord.plugin import has_line_number

    assert not has_line_number(SimpleNamespace(_rawentry=SimpleNamespace(tb_lineno=None)))
    assert has_line_number(SimpleNamespace(_rawentry=SimpleNamespace(tb_lineno=12)))
