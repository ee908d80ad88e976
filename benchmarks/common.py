"""Shared helpers for the benchmark scripts: measured subprocesses, servers, medians, RESULTS.md.

Every benchmark runs what a user runs (the ``accord`` CLI, ``pytest``, ``schemathesis``) in a
fresh process and measures it from outside: wall time from spawn to exit, and peak RSS from
``os.wait4`` (the rusage of exactly that child and the descendants it waited for). Servers are
started on 127.0.0.1 only, and every one is stopped by its own process id when a script ends.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The accord checkout under test: this one, or a frozen copy (ACCORD_BENCH_ROOT, see README.md) so
# that every number refers to one commit while others keep committing to this one.
ROOT = Path(os.environ.get("ACCORD_BENCH_ROOT") or HERE.parent).resolve()
# Always first, wherever the scripts run from: an editable install points at the working tree, which
# a script run from inside the frozen copy would otherwise import (and measure) instead.
sys.path.insert(0, str(ROOT))
RESULTS = HERE / "RESULTS.md"
PYCACHE = Path(tempfile.gettempdir()) / "accord-bench-pycache"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


# `kill PID` then unwinds like Ctrl-C: servers and measured processes are stopped on the way out.
signal.signal(signal.SIGTERM, _interrupt)


def bench_env(extra: dict[str, str] | None = None, *, bytecode_cache: bool = True) -> dict[str, str]:
    """The environment every measured process gets.

    Byte-code caching is on by default (as on a developer machine or a CI runner after the first
    run), but the caches go to a temp folder (PYTHONPYCACHEPREFIX) so benchmarks write nothing in
    the repository. ``bytecode_cache=False`` reproduces shells that set PYTHONDONTWRITEBYTECODE=1:
    accord's modules, and the modules pytest rewrites (its plugins': schemathesis), are compiled
    from source on every run; site-packages keep the .pyc files pip wrote.
    No ACCORD_* variable leaks in from the caller's shell.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "PYTEST_", "HYPOTHESIS_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    if not bytecode_cache:  # only the .pyc files pip wrote into site-packages are used
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        del env["PYTHONPYCACHEPREFIX"]
    env.update(extra or {})
    # the checkout under test comes before the installed (editable) accord package, which may be another tree
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def probe_env(out: Path, vendor: BenchVendor, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment that loads benchmarks/accord_probe.py into the pytest run ``accord run`` starts."""
    return bench_env({"PYTHONPATH": str(HERE), "PYTEST_PLUGINS": "accord_probe", "ACCORD_PROBE_OUT": str(out),
                      "ACCORD_PROBE_VENDOR": vendor.name, **(extra or {})})


# --- the vendor under measurement -------------------------------------------------------------------
@dataclass(frozen=True)
class BenchVendor:
    """What the benchmarks need of one vendor, all read from what the vendor declares to accord
    (its Vendor, simulator and contract), so that every vendor is measured by the same scripts."""

    name: str

    @property
    def declared(self) -> Any:
        from accord.vendors import get_vendor

        return get_vendor(self.name)

    @property
    def title(self) -> str:
        return self.declared.title

    @property
    def openapi(self) -> Path:
        from accord.contracts import load_contract

        return load_contract(self.name).openapi_path

    @property
    def suites(self) -> Path:
        return self.declared.suite_path

    @property
    def catalogue(self) -> Any:
        return self.declared.simulator.catalogue

    def version_of(self, fault: str) -> str | None:
        """The vendor version whose simulator shows ``fault`` (None: the default), as the power test plants it."""
        return None if fault == "(none)" else self.catalogue[fault].version

    def version_args(self, fault: str) -> list[str]:
        """``--target-version V`` for a fault of an older (or newer) version's behaviour, else nothing."""
        version = self.version_of(fault)
        return ["--target-version", version] if version else []

    def simulator(self, **kwargs: Any) -> Any:
        return self.declared.simulator(**kwargs)

    def sample_requests(self) -> dict[str, tuple[str, str, str, bytes]]:
        """The simulator's representative requests (its ``sample_requests``), by label."""
        samples = self.declared.simulator.sample_requests
        if not samples:
            raise SystemExit(f"{self.name}: its simulator declares no sample_requests (see accord/simulate/app.py)")
        return samples

    def credentials_env(self) -> dict[str, str]:
        """``ACCORD_<VENDOR>_*`` for the simulator's fixed test credentials (what `accord serve` prints)."""
        vendor = self.declared
        values = {**vendor.simulator.credentials, **vendor.simulator_settings}
        return {vendor.env_name(name): value for name, value in values.items()}

    def test_credentials(self, version: str | None = None) -> dict[str, str]:
        """The simulator's fixed test credentials, of ``version``'s simulator where given (Kimai
        before 2.14 has no access tokens: its simulator's credentials are the header pair)."""
        if version is None:
            return dict(self.declared.simulator.credentials)
        from accord.targets import build_simulator

        return dict(build_simulator(self.declared, version=version).credentials)

    def auth_headers(self, base_url: str | None = None, version: str | None = None) -> dict[str, str]:
        """The headers the vendor's auth puts on a request with the simulator's test credentials:
        what a tool without accord's auth strategies (schemathesis, wrk) must send itself. A vendor
        whose auth logs in first logs in at ``base_url`` (a running simulator) for its cookie."""
        import requests

        from accord.http import Session

        strategy = self.declared.auth(self.test_credentials(version))
        if strategy.needs_login:
            if base_url is None:
                raise SystemExit(f"{self.name}: its auth logs in first; give the simulator's base URL")
            Session(base_url, strategy).ensure_login()
        prepared = strategy(requests.Request("GET", "http://127.0.0.1/").prepare())
        return dict(prepared.headers)

    def simulator_headers(self, simulator: Any) -> dict[str, str]:
        """``auth_headers`` for a simulator called in-process (``simulator.handle``): a vendor whose
        auth logs in first logs in over a short-lived loopback server in front of that simulator,
        whose session then holds for in-process calls too."""
        if not self.declared.auth(self.declared.simulator.credentials).needs_login:
            return self.auth_headers()
        from accord.simulate.server import SimulatorServer

        with SimulatorServer(simulator) as server:
            return self.auth_headers(server.base_url)

    def results(self, report_dir: Path) -> dict:
        """The vendor's results file (``<vendor>.json``) that ``accord run`` wrote in ``report_dir``."""
        return run_json(report_dir / f"{self.name}.json")


def vendor_option(parser: argparse.ArgumentParser, *, allow_all: bool = False) -> None:
    from accord.vendors import all_vendors

    choices = sorted(all_vendors()) + (["all"] if allow_all else [])
    parser.add_argument("--vendor", required=True, choices=choices,
                        help="the vendor to measure" + (" ('all': one `accord run` of every vendor)" if allow_all else ""))


# --- a quiet machine -------------------------------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def machine_cpu_s() -> float:
    """CPU seconds all processes have used since boot (/proc/stat, idle and iowait excluded)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICK


def process_cpu_s(pid: int) -> float:
    """CPU seconds of one running process and of the children it has waited for (/proc/PID/stat)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
    return 0.0


def busy_cores(interval: float = 0.5) -> float:
    """How many CPU cores all processes kept busy over ``interval`` seconds."""
    before = machine_cpu_s()
    time.sleep(interval)
    return (machine_cpu_s() - before) / interval


OTHER_LOAD: list[float] = []  # cores other processes kept busy during each accepted measured run


class OtherLoad:
    """Cores that processes other than this one, its children and ``ours`` kept busy during a block.

        with OtherLoad([server_pid]) as load: ...work...
        load.cores  # e.g. 0.02
    """

    def __init__(self, ours: Sequence[int] = ()) -> None:
        self.ours, self.cores = list(ours), 0.0

    def _own(self) -> float:
        import resource

        mine = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        return sum(u.ru_utime + u.ru_stime for u in mine) + sum(process_cpu_s(pid) for pid in self.ours)

    def __enter__(self) -> OtherLoad:
        self._machine, self._mine, self._started = machine_cpu_s(), self._own(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        others = (machine_cpu_s() - self._machine) - (self._own() - self._mine)
        self.cores = max(0.0, others) / max(time.perf_counter() - self._started, 1e-9)


def wait_until_quiet(threshold: float = 0.25, max_wait: float = 180) -> float:
    """Waits, at most ``max_wait`` seconds, until other processes leave the CPUs (nearly) idle."""
    deadline = time.monotonic() + max_wait
    busy = busy_cores()
    while busy > threshold and time.monotonic() < deadline:
        time.sleep(2)
        busy = busy_cores()
    return busy


def quiet_note() -> str:
    """How much other work shared the machine with the measured runs (it is timed as ours)."""
    if not OTHER_LOAD:
        return ""
    return (f"Other processes on the machine during the accepted runs: median {median(OTHER_LOAD):.2f} cores busy, "
            f"max {max(OTHER_LOAD):.2f} (a run during which they kept more than 0.15 cores busy was repeated, "
            f"up to 3 times).")


# --- measured processes ----------------------------------------------------------------------------
@dataclass
class Measured:
    argv: list[str]
    code: int | None  # None when the run hit its time limit and was killed
    wall_s: float
    peak_rss_mb: float
    cpu_s: float
    stdout: str = ""
    stderr: str = ""
    other_cores: float = 0.0  # cores kept busy by processes other than this one (and `ours`) meanwhile
    attempts: int = 1  # runs it took to get one without other load (measure(quiet=True))

    @property
    def timed_out(self) -> bool:
        return self.code is None


def measure(argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 600,
            cwd: Path = ROOT, quiet: bool = False, ours: Sequence[int] = ()) -> Measured:
    """Runs ``argv`` to completion (or kills its process group after ``timeout`` seconds).

    ``quiet=True`` is for timed runs: wait (bounded) for an idle machine first, and repeat the run
    (up to 3 times) when other processes kept more than 0.15 cores busy during it. ``ours`` are
    pids whose CPU counts as part of the measured work (a simulator serving the measured client).
    """
    for attempt in range(1, 4 if quiet else 2):
        if quiet:
            wait_until_quiet()
        result = _measure_once(argv, env, timeout, cwd, ours)
        result.attempts = attempt
        if not quiet or result.other_cores <= 0.15:
            break
        print(f"    (other processes kept {result.other_cores:.2f} cores busy during that run: repeating it)",
              flush=True)
    if quiet:
        OTHER_LOAD.append(result.other_cores)
    return result


def _measure_once(argv: Sequence[str], env: dict[str, str] | None, timeout: float, cwd: Path,
                  ours: Sequence[int]) -> Measured:
    machine_before, ours_before = machine_cpu_s(), sum(process_cpu_s(pid) for pid in ours)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), cwd=cwd, env=env or bench_env(), stdout=out, stderr=err,
                                   start_new_session=True)
        deadline = started + timeout
        code: int | None = None
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    wall = time.perf_counter() - started
                    code = os.waitstatus_to_exitcode(status)
                    process.returncode = code
                    break
                if time.perf_counter() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(process.pid, 0)
                    process.returncode = -9
                    wall = time.perf_counter() - started
                    break
                time.sleep(0.005)
        except BaseException:  # interrupted: take the measured process (and its group) down too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
        cpu = usage.ru_utime + usage.ru_stime
        others = machine_cpu_s() - machine_before - cpu - (sum(process_cpu_s(pid) for pid in ours) - ours_before)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in kilobytes on Linux
        return Measured(list(argv), code, wall, usage.ru_maxrss / 1024, cpu, out.read(), err.read(),
                        max(0.0, others) / max(wall, 1e-9))


def run_json(path: Path) -> dict:
    return json.loads(path.read_text())


# --- servers ---------------------------------------------------------------------------------------
@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    lines: list[str] = field(default_factory=list)

    def stop(self, timeout: float = 10) -> None:
        """SIGINT (what Ctrl-C sends; `accord serve` stops cleanly on it), then SIGKILL if needed."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)


@contextlib.contextmanager
def serve(argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[Server]:
    """Starts a simulator process that prints its base URL (``accord serve`` or simserver.py) and
    stops it, by its own pid, when the block ends."""
    process = subprocess.Popen(list(argv), cwd=ROOT, env=env or bench_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    server = Server(process, "")
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"{argv[0]} exited before printing its URL: {''.join(server.lines)}")
            server.lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+[^\s]*", line)  # with the API's base path
            if found:
                server.base_url = found.group(0)
                break
        if not server.base_url:
            raise RuntimeError(f"no base URL from {' '.join(argv)} within {timeout}s")
        yield server
    finally:
        server.stop()


def accord_serve(vendor: BenchVendor, *args: str, env: dict[str, str] | None = None
                 ) -> contextlib.AbstractContextManager[Server]:
    return serve([sys.executable, "-m", "accord.cli", "serve", vendor.name, *args], env=env)


def accord_cli(*args: str) -> list[str]:
    """``accord ...`` through its console script next to this interpreter (what `pip install` made;
    a pyenv shim in front of it would add ~60 ms of bash per call)."""
    script = Path(sys.executable).parent / "accord"
    if script.is_file():
        return [sys.executable, str(script), *args]
    return [sys.executable, "-c", "import sys; from accord.cli import main; sys.exit(main())", *args]


# --- numbers and tables ----------------------------------------------------------------------------
def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if values else "-"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# --- machine and results file ----------------------------------------------------------------------
def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def versions() -> dict[str, str]:
    found = {}
    for name in ("accord", "pytest", "hypothesis", "schemathesis", "requests", "jsonschema"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def git_commit() -> str:
    if (ROOT / ".commit").is_file():  # a frozen copy made as README.md shows
        return (ROOT / ".commit").read_text().strip() + " (frozen copy)"
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "accord", "suites", "contracts"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return commit + (" (+ uncommitted changes in accord/, suites/ or contracts/)" if dirty else "")
    return "unknown"


def machine_line() -> str:
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return (f"{os.cpu_count()} CPUs ({cpu_model()}){memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def calibration() -> float:
    """A fixed pure-Python workload, in million loop iterations per second (best of 5): shows how
    fast this (virtual) machine was when a section was measured, since shared hosts drift."""
    best = 0.0
    for _ in range(5):
        started, total = time.perf_counter(), 0
        for i in range(1_000_000):
            total += i % 7
        best = max(best, 1 / (time.perf_counter() - started))
    return best


def stamp() -> str:
    """One line saying when, where and on what code a section was measured."""
    pins = ", ".join(f"{k} {v}" for k, v in versions().items())
    return (f"_Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine_line()}; "
            f"commit {git_commit()}; {pins}; machine speed then: {calibration():.1f} M loop iterations/s "
            f"(benchmarks/common.py calibration)._")


def write_section(vendor: BenchVendor, name: str, body: str) -> None:
    """Replaces the vendor's ``name`` section of RESULTS.md (between its markers), or appends it."""
    name = f"{vendor.name}/{name}"
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
    print(f"wrote section {name!r} of {RESULTS}")


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)
