"""The benchmark scripts stay runnable for every vendor: they are measured by hand, so nothing
else would notice a script that no longer imports, or a vendor the scripts cannot read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from accord.vendors import all_vendors

from .conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
ALL_VENDORS = {"gate.py"}  # measures every vendor at once: no --vendor
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name not in {"common.py", "accord_probe.py", *ALL_VENDORS})
VENDORS = sorted(all_vendors())


@pytest.fixture(scope="module")
def common():
    """benchmarks/common.py, imported as the scripts import it (it sets a SIGTERM handler for
    them, which this process gets back afterwards)."""
    sigterm = signal.getsignal(signal.SIGTERM)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import common as module

        yield module
    finally:
        sys.path.remove(str(BENCHMARKS))
        signal.signal(signal.SIGTERM, sigterm)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_starts_and_asks_for_a_vendor(script):
    helped = subprocess.run([sys.executable, str(BENCHMARKS / script), "--help"], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert helped.returncode == 0, helped.stderr
    assert "--vendor" in helped.stdout
    bare = subprocess.run([sys.executable, str(BENCHMARKS / script)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert bare.returncode == 2 and "--vendor" in bare.stderr, bare.stderr


def test_the_gate_script_starts():
    helped = subprocess.run([sys.executable, str(BENCHMARKS / "gate.py"), "--help"], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert helped.returncode == 0 and "--runs" in helped.stdout, helped.stderr


def test_the_gate_counts_the_memory_of_every_process_of_a_run():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from gate import tree_rss_mb
    finally:
        sys.path.remove(str(BENCHMARKS))
    alone = tree_rss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(64 * 1024 * 1024); time.sleep(5)"])
    try:
        deadline = time.monotonic() + 4
        while tree_rss_mb(os.getpid()) < alone + 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_rss_mb(os.getpid()) >= alone + 60, "a child's memory was not counted"
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_scripts_can_read_every_vendor(common, vendor):
    from accord.simulate.server import SimulatorServer

    bench = common.BenchVendor(vendor)
    assert bench.openapi.is_file() and bench.suites.is_dir()
    with SimulatorServer(bench.declared.simulator()) as server:  # a vendor whose auth logs in needs one
        assert bench.auth_headers(server.base_url), "the simulator's test credentials give no auth headers"
    env = bench.credentials_env()
    assert env and all(name.startswith(f"ACCORD_{vendor.upper()}_") for name in env)
    assert len(list(bench.catalogue)) and bench.sample_requests()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_section_is_written_per_vendor(common, tmp_path, monkeypatch, vendor):
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# results\n\n<!-- BEGIN {vendor}/scale -->\nold\n<!-- END {vendor}/scale -->\n\n"
                       "<!-- BEGIN another/scale -->\nkept\n<!-- END another/scale -->\n")
    monkeypatch.setattr(common, "RESULTS", results)
    common.write_section(common.BenchVendor(vendor), "scale", "new")
    common.write_section(common.BenchVendor(vendor), "budget", "appended")
    text = results.read_text()
    assert f"<!-- BEGIN {vendor}/scale -->\nnew\n<!-- END {vendor}/scale -->" in text and "old" not in text
    assert "kept" in text and text.rstrip().endswith(f"appended\n<!-- END {vendor}/budget -->")
