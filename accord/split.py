"""``accord run`` of several vendors split over parallel processes, one pytest session each.

A vendor's suite is serial work (hypothesis drawing cases, one client waiting on its answers), so
one session uses one core. On this project's 2-core CI machine the five-vendor gate takes 8.4 s
instead of 11.3 s from a fresh checkout, 6.6 s instead of 8.9 s warm, at 273 MB for all its
processes together (benchmarks/gate.py, RESULTS.md); dealt out by measured times rather than alike,
6.9 s and 4.6 s. Each process is a complete ``accord run`` of its vendors,
with the same options and report folder, so a vendor's verdicts and requests are those of a serial
run (tests/test_split.py); this parent then writes index.html from every vendor's results.

Children run in their own session: a Ctrl-C reaches this parent only, which hands each child one
signal, so no child sees a second interrupt while it cleans up.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

CHILD_LOG = "test-log-{n}.html"  # each process's pytest-html log, beside the reports; test-log.html links them
CHILD = "import sys; from accord.cli import main; sys.exit(main())"  # as the console script starts it


def default_jobs(vendors: list[str]) -> int:
    """One process per vendor, at most one per usable core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(len(vendors), cores))


def plan(vendors: list[str], jobs: int, report_dir: Path) -> list[list[str]]:
    """Vendors dealt out over ``jobs`` processes, longest first to the least loaded. A vendor's
    length is its tests' time in the last results in ``report_dir``; without them, all weigh alike."""
    weights = {name: _last_duration(report_dir / f"{name}.json") for name in vendors}
    groups: list[list[str]] = [[] for _ in range(min(jobs, len(vendors)))]
    loads = [0.0] * len(groups)
    for name in sorted(vendors, key=lambda n: (-weights[n], n)):
        least = loads.index(min(loads))
        groups[least].append(name)
        loads[least] += weights[name] or 1.0
    return [sorted(group) for group in groups if group]


def _last_duration(path: Path) -> float:
    """Seconds the vendor's tests took in its last results (0 when there are none)."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
        tests = {t["nodeid"]: t.get("duration_s") or 0.0 for c in results["clauses"] for t in c.get("tests", [])}
        return float(sum(tests.values()))
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def run_groups(groups: list[list[str]], forwarded: list[str], timeout: float) -> int:
    """Runs one ``accord run`` per group at once and waits for all; returns the most serious exit
    code among 2 (configuration), 3 (unreachable), 130 (interrupted), else 0 (verdicts are read
    from the reports). Each child's error output is passed on, prefixed with its vendors."""
    outputs: list[IO[str]] = []
    children: list[subprocess.Popen] = []
    interrupted: list[int] = []

    def forward(signum: int, frame: object) -> None:
        interrupted.append(signum)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for n, group in enumerate(groups, 1):
            output = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
            outputs.append(output)
            log = CHILD_LOG.format(n=n)
            children.append(subprocess.Popen(
                [sys.executable, "-c", CHILD, "run", *group, *forwarded, "--jobs", "1", "--test-log", log],
                stdout=subprocess.DEVNULL, stderr=output, start_new_session=True))
        deadline = time.monotonic() + timeout
        while any(child.poll() is None for child in children):
            if time.monotonic() > deadline:  # bounded: a child that hangs past every request's timeout
                forward(signal.SIGTERM, None)
                deadline = time.monotonic() + 60
            time.sleep(0.02)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:  # only reached with children still running if this parent itself failed
            if child.poll() is None:
                child.kill()
                child.wait()
    codes = []
    for group, child, output in zip(groups, children, outputs, strict=True):
        output.seek(0)
        for line in output.read().splitlines():
            if line.strip():
                print(f"[{' '.join(group)}] {line}", file=sys.stderr)
        output.close()
        codes.append(child.returncode)
    if interrupted or 130 in codes:
        return 130
    for serious in (2, 3):
        if serious in codes:
            return serious
    unexpected = [code for code in codes if code not in (0, 1, 4)]
    return unexpected[0] if unexpected else 0


def write_log_index(groups: list[list[str]], report_dir: Path) -> None:
    """test-log.html, where a one-process run keeps pytest's log, links each process's own log."""
    items = "".join(f'<li><a href="{CHILD_LOG.format(n=n)}">{CHILD_LOG.format(n=n)}</a>: {html.escape(", ".join(group))}</li>'
                    for n, group in enumerate(groups, 1))
    page = (f"<!doctype html><meta charset=utf-8><title>accord: pytest logs</title><h1>pytest logs of this run</h1>"
            f"<p>The vendors ran in {len(groups)} processes side by side; each wrote its own log:</p><ul>{items}</ul>")
    with contextlib.suppress(OSError):  # a log index is a convenience: its failure costs no report
        (report_dir / "test-log.html").write_text(page, encoding="utf-8")
