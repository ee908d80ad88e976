"""Helpers for accord's own tests: run the CLI as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The example vendor is an installable package found through its entry point; putting its folder
# on the path is what installing it would do (tests/example_vendor/README.md).
EXAMPLE_VENDOR = Path(__file__).resolve().parent / "example_vendor"
if str(EXAMPLE_VENDOR) not in sys.path:
    sys.path.append(str(EXAMPLE_VENDOR))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(EXAMPLE_VENDOR)]))


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    report_dir: Path

    def results(self, vendor: str) -> dict[str, Any]:
        return json.loads((self.report_dir / f"{vendor}.json").read_text())

    def verdicts(self, vendor: str) -> dict[str, str]:
        return {c["id"]: c["verdict"] for c in self.results(vendor)["clauses"]}

    def failed(self, vendor: str) -> set[str]:
        return {cid for cid, verdict in self.verdicts(vendor).items() if verdict in ("fail", "error")}


def run_accord(*args: str, report_dir: Path, env: dict[str, str] | None = None, timeout: float = 300) -> Outcome:
    """``accord ARGS --report-dir DIR`` in a fresh process, as CI and users run it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    full_env.update(env or {})
    command = [sys.executable, "-m", "accord.cli", *args]
    if args and args[0] == "run":
        command += ["--report-dir", str(report_dir)]
    done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)
    return Outcome(done.returncode, done.stdout, done.stderr, report_dir)


@pytest.fixture
def accord(tmp_path: Path):
    def call(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Outcome:
        return run_accord(*args, report_dir=tmp_path / "reports", env=env, timeout=timeout)

    return call
