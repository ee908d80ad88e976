"""`accord run` of several vendors splits them over processes, with a serial run's verdicts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from accord.split import plan
from accord.vendors import all_vendors

from .conftest import ROOT

VENDORS = sorted(all_vendors())


def test_split_and_serial_runs_give_the_same_verdicts_and_requests(accord, tmp_path):
    serial = accord("run", "--jobs", "1")
    split = accord("run", "--jobs", "2", env={})
    assert serial.code == split.code == 0, split.stderr
    for name in VENDORS:
        assert split.verdicts(name) == serial.verdicts(name), name
        assert split.results(name)["run"]["requests"] == serial.results(name)["run"]["requests"], name
    report_dir = split.report_dir
    assert sorted(p.name for p in report_dir.glob("test-log-*.html")) == ["test-log-1.html", "test-log-2.html"]
    assert 'href="test-log-1.html"' in (report_dir / "test-log.html").read_text()
    index = (report_dir / "index.html").read_text()
    assert all(f"{name}.html" in index for name in VENDORS), "the index misses a vendor another process wrote"
    def summary(outcome) -> list[str]:
        return [line.split(":")[0] for line in outcome.stdout.splitlines() if ": PASS" in line]

    assert summary(split) == summary(serial) and sorted(summary(split)) == VENDORS  # one line per vendor, same order


def test_the_plan_puts_the_longest_vendors_first_on_the_least_loaded_process(tmp_path):
    def results(seconds: float) -> dict:
        return {"clauses": [{"tests": [{"nodeid": "a", "duration_s": seconds / 2}, {"nodeid": "b", "duration_s": seconds / 2}]},
                            {"tests": [{"nodeid": "a", "duration_s": seconds / 2}]}]}  # a test under two clauses counts once

    for name, seconds in {"v1": 5.0, "v2": 4.0, "v3": 3.0, "v4": 2.0, "v5": 1.0}.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(results(seconds)))
    assert plan(["v1", "v2", "v3", "v4", "v5"], 2, tmp_path) == [["v1", "v4", "v5"], ["v2", "v3"]]
    assert plan(["a", "b", "c"], 2, tmp_path / "none") == [["a", "c"], ["b"]]  # no results yet: alike
    assert plan(["a", "b"], 8, tmp_path) == [["a"], ["b"]]


def _children_of_run(report_dir: Path) -> list[int]:
    """Processes still running whose command line names this run's report folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(report_dir).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_an_interrupted_split_run_stops_every_process_and_each_cleans_up(tmp_path):
    report_dir, cache = tmp_path / "reports", tmp_path / "cache"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}, "ACCORD_CACHE_DIR": str(cache)}
    process = subprocess.Popen([sys.executable, "-m", "accord.cli", "run", "--jobs", "2", "--report-dir", str(report_dir)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # a child has configured its pytest session once accord's hypothesis table is in the fresh cache
    configured = list(cache.glob("hypothesis/unicode_data/*/codec-utf-8.json.gz"))
    deadline = time.monotonic() + 120
    while not configured and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        configured = list(cache.glob("hypothesis/unicode_data/*/codec-utf-8.json.gz"))
    assert configured, "no process of the run reached its pytest session"
    time.sleep(2.0)  # into the suites (on a loaded machine perhaps still collecting: then nothing ran)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert _children_of_run(report_dir) == [], "a process of the split run outlived it"
    written = [json.loads(path.read_text()) for path in report_dir.glob("*.json")]
    assert all(results["cleanup"]["failed"] == [] for results in written)
    if written:  # a process still in its suites when the signal came says so in its vendors' results
        assert any("interrupted" in " ".join(results["problems"]) for results in written), "the interruption is hidden"


def test_jobs_must_be_positive(accord):
    outcome = accord("run", "--jobs", "0")
    assert outcome.code == 2 and "--jobs" in outcome.stderr and len(outcome.stderr.strip().splitlines()) == 1
