"""Do no harm on shared sandboxes: pre-existing records stay byte-for-byte unchanged, and what the
run created is gone at the end of every run: passing, failing, faulty or interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from accord.simulate.server import SimulatorServer
from accord.vendors.kimai.simulator import KimaiSimulator

from .conftest import ROOT, run_accord

CREDENTIALS = {"ACCORD_KIMAI_TOKEN": "accord-kimai-test-token", "ACCORD_KIMAI_USER": "accord",
               "ACCORD_KIMAI_META_FIELD": "location"}
SEEDED = 25


@pytest.fixture
def sandbox():
    """A Kimai simulator with records that exist before the run, served on 127.0.0.1."""
    servers = []

    def start(*faults: str):
        simulator = KimaiSimulator(faults=faults, seed_records=SEEDED)
        server = SimulatorServer(simulator).start()
        servers.append(server)
        return simulator, server.base_url, simulator.customers.snapshot()

    yield start
    for server in servers:
        server.stop()


def assert_untouched_and_clean(simulator: KimaiSimulator, before: dict) -> None:
    after = simulator.customers.snapshot()
    assert {i: after.get(i) for i in before} == before, "a pre-existing record was changed or deleted"
    leftovers = sorted(set(after) - set(before))
    assert not leftovers, f"records the run created are still there: {[after[i]['name'] for i in leftovers][:5]}"
    assert len(simulator.rates) == 0, "rates the run created are still there"


@pytest.mark.parametrize("faults", [(), ("patch-replaces", "rate-delete-any-customer", "visible-filter-ignored"),
                                    ("update-invalid-accepted", "invalid-form-accepted", "unknown-id-500")],
                         ids=["passing", "failing", "faulty-writes"])
def test_existing_records_untouched_and_created_ones_removed(sandbox, tmp_path, faults):
    simulator, url, before = sandbox(*faults)
    outcome = run_accord("run", "kimai", "--base-url", url, report_dir=tmp_path, env=CREDENTIALS)
    assert outcome.code == (1 if faults else 0), outcome.stdout + outcome.stderr
    assert_untouched_and_clean(simulator, before)
    cleanup = outcome.results("kimai")["cleanup"]
    assert cleanup["failed"] == [] and cleanup["created"] == cleanup["removed"] > 0


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_still_cleans_up(sandbox, tmp_path, sig):
    simulator, url, before = sandbox()
    env = {**{k: v for k, v in __import__("os").environ.items() if not k.startswith("ACCORD_")}, **CREDENTIALS}
    process = subprocess.Popen([sys.executable, "-m", "accord.cli", "run", "kimai", "--base-url", url,
                                "--report-dir", str(tmp_path)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ignore_sigint)  # as a background job or a CI runner starts it
    deadline = time.monotonic() + 60
    while simulator.requests_served < 120 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    assert len(simulator.customers) > SEEDED, "the run had created nothing yet"
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert_untouched_and_clean(simulator, before)
    results = __import__("json").loads((tmp_path / "kimai.json").read_text())
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


def test_read_only_run_changes_nothing(sandbox, tmp_path):
    simulator, url, before = sandbox()
    outcome = run_accord("run", "kimai", "--base-url", url, "--read-only", report_dir=tmp_path, env=CREDENTIALS)
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    assert simulator.customers.snapshot() == before
    clauses = outcome.results("kimai")["clauses"]
    writes = [c for c in clauses if c["id"] in {"kimai.customers.create.returns-entity", "kimai.customers.update.partial-merge"}]
    assert writes and all(c["verdict"] == "skip" for c in writes)
    assert any(c["verdict"] == "pass" for c in clauses), "a read-only run should still check what it can"
    summary = outcome.results("kimai")["summary"]["must"]
    assert summary["applicable"] < summary["total"]


def test_the_secret_appears_nowhere(sandbox, tmp_path):
    simulator, url, _ = sandbox("patch-replaces", "markup-in-name")
    outcome = run_accord("run", "kimai", "--base-url", url, "-v", report_dir=tmp_path, env=CREDENTIALS)
    secret = CREDENTIALS["ACCORD_KIMAI_TOKEN"]
    assert outcome.code == 1
    assert secret not in outcome.stdout and secret not in outcome.stderr
    for path in tmp_path.iterdir():
        assert secret not in path.read_text(errors="replace"), f"{path.name} holds the secret"
    assert "[REDACTED]" in (tmp_path / "kimai.json").read_text()
