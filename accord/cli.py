"""``accord run | serve | faults | clauses``: the front door.

Exit codes of ``accord run`` (DESIGN.md): 0 every MUST clause passed, 1 a clause failed, 2 usage
or configuration error (one line naming the fix), 3 the target could not be reached, 4 the run
left records it created on the target (a clause failure still wins: 1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord import __version__
from accord.contracts import ROOT, load_contract
from accord.errors import (
    EXIT_CLAUSE_FAILED,
    EXIT_LEFT_BEHIND,
    EXIT_OK,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    AccordError,
    ConfigError,
)
from accord.expectations import load_expectations
from accord.options import add_run_options, run_argv
from accord.report import write_index
from accord.split import default_jobs, plan, run_groups, write_log_index
from accord.targets import check_reachable, resolve_target
from accord.terminal import printable, printable_streams
from accord.vendors import all_vendors, get_vendor


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run vendors' conformance suites and write reports")
    run.add_argument("vendors", nargs="*", metavar="VENDOR", help="vendors to run (default: all)")
    add_run_options(run.add_argument)  # the same options as plain pytest on the suites (accord.options)
    run.add_argument("--jobs", type=int, default=None, metavar="N",
                     help="processes the vendors are split over (default: one per vendor, at most one per core; "
                          "1: all in one process)")
    run.add_argument("--workers", type=int, default=0, help="pytest-xdist workers within each process (default none)")
    run.add_argument("--test-log", default="test-log.html", help=argparse.SUPPRESS)  # a split run's children
    run.add_argument("--verbose", "-v", action="store_true", help="show pytest's per-test output")

    serve = commands.add_parser("serve", help="serve a vendor simulator on 127.0.0.1")
    serve.add_argument("vendor", metavar="VENDOR")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument("--fault", action="append", default=[], metavar="NAME", help="switch a fault on (repeatable)")
    serve.add_argument("--seed-records", type=int, default=0, help="customers that exist before any request")
    serve.add_argument("--version", dest="target_version", metavar="VERSION",
                       help="the vendor version to imitate, where the simulator knows several")

    faults = commands.add_parser("faults", help="list the simulators' fault catalogues")
    faults.add_argument("vendor", nargs="?", metavar="VENDOR")
    clauses = commands.add_parser("clauses", help="list a vendor's clauses with their doc sections")
    clauses.add_argument("vendor", metavar="VENDOR")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"run": cmd_run, "serve": cmd_serve, "faults": cmd_faults, "clauses": cmd_clauses}[args.command](args)
    except AccordError as error:
        print(printable(f"accord: {error}"), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK


# --- run ----------------------------------------------------------------------------------------
def preflight(args: argparse.Namespace) -> list[str]:
    """Every configuration problem, and an unreachable target, before a single test runs."""
    vendors = list(dict.fromkeys(args.vendors)) or list(all_vendors())
    if len(vendors) != len(args.vendors) and args.vendors:
        raise ConfigError("a vendor is named twice; name each vendor once")
    for name in vendors:
        get_vendor(name)
    if args.base_url and len(vendors) != 1:
        raise ConfigError("--base-url names one live target: give exactly one VENDOR with it")
    if args.workers < 0:
        raise ConfigError("--workers must be 0 (serial) or more")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs must be 1 (one process) or more")
    if args.max_message_chars < 100:
        raise ConfigError("--max-message-chars must be at least 100")
    check_report_dir(Path(args.report_dir))
    for name in vendors:
        target = resolve_target(get_vendor(name), args.base_url, faults=tuple(args.fault), transport=args.transport,
                                timeout=args.timeout, version=args.target_version,
                                max_response_bytes=args.max_response_bytes, max_decoded_bytes=args.max_decoded_bytes,
                                rate_limit=args.rate_limit)
        if args.expectations:
            load_expectations(args.expectations, name)
        check_reachable(target)
    return vendors


def check_report_dir(path: Path) -> None:
    """Creates the report folder and writes a probe file in it: a folder the reports cannot go
    to is found before the run, not after it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(f"--report-dir {str(path)!r} cannot hold the reports ({reason}); "
                          "give a writable folder") from None


def pytest_args(args: argparse.Namespace, vendors: list[str]) -> list[str]:
    argv = [str(get_vendor(name).suite_path) for name in vendors]
    # Only the plugins a run needs: every installed pytest11 plugin would otherwise be imported and
    # have its whole package assertion-rewritten (2.6 s when bytecode cannot be cached).
    argv = ["--disable-plugin-autoload", "-p", "accord.plugin", "-p", "pytest_metadata.plugin", "-p", "pytest_html.plugin",
            *(["-p", "xdist.plugin", "-p", "xdist.looponfail"] if args.workers else []), *argv]
    # no:unraisableexception: its two full garbage collections at the end cost ~0.3 s a run
    # (benchmarks/RESULTS.md, profile); an unraisable exception still reaches stderr through
    # Python's own hook. `python -m pytest` on the suites keeps the plugin.
    argv += ["--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), "-p", "no:cacheprovider",
             "-p", "no:unraisableexception", *run_argv(args)]
    argv += ["-q", "--no-header", "--tb=short"] if args.verbose else ["-q", "--no-header", "--tb=no"]
    # pytest-html's log of the test run itself (captured output, tracebacks), beside accord's clause reports
    argv += [f"--html={Path(args.report_dir) / Path(args.test_log).name}", "--self-contained-html"]
    if args.workers:
        argv += ["-n", str(args.workers)]
    return argv


class RunOutcome:
    """A pytest plugin of this one call: what the run's own plugin learnt about how it ended."""

    exit_code: int | None = None
    signal: int | None = None

    def pytest_unconfigure(self, config: Any) -> None:
        from accord.plugin import RUN

        run = config.stash.get(RUN, None)
        if run is not None:
            self.exit_code, self.signal = run.exit_code, run.signal


SPLIT_RUN_TIMEOUT_S = 6 * 3600  # a split run's children are stopped (and clean up) after this


def cmd_run(args: argparse.Namespace) -> int:
    import pytest

    vendors = preflight(args)
    report_dir = Path(args.report_dir)
    started = time.time()
    jobs = args.jobs if args.jobs is not None else default_jobs(vendors)
    if jobs > 1 and len(vendors) > 1 and not args.workers:  # vendors over processes (accord/split.py)
        forwarded = run_argv(args) + (["--verbose"] if args.verbose else [])
        groups = plan(vendors, jobs, report_dir)
        code = run_groups(groups, forwarded, SPLIT_RUN_TIMEOUT_S)
        if code in (EXIT_USAGE, EXIT_UNREACHABLE):
            return code
        write_index(report_dir)
        write_log_index(groups, report_dir)
        return verdict(vendors, report_dir, started, interrupted=code == 130, unexpected=code not in (0, 130))
    outcome = RunOutcome()
    with printable_streams():  # nothing a vendor sent reaches the terminal as a control sequence
        code = pytest.main(pytest_args(args, vendors), plugins=[outcome])
    if outcome.exit_code is not None:
        return outcome.exit_code
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
        print("accord: the suites could not run (see the error above)", file=sys.stderr)
        return EXIT_USAGE
    return verdict(vendors, report_dir, started,
                   interrupted=code == pytest.ExitCode.INTERRUPTED or outcome.signal is not None)


def verdict(vendors: list[str], report_dir: Path, started: float, *, interrupted: bool, unexpected: bool = False) -> int:
    """One line per vendor from its results, and the run's exit code."""
    gate = EXIT_CLAUSE_FAILED if unexpected else EXIT_OK
    for name in vendors:
        path = report_dir / f"{name}.json"
        if not path.is_file() or path.stat().st_mtime < started - 1:
            print(f"accord: {name}: no results were written to {path}", file=sys.stderr)
            gate = EXIT_CLAUSE_FAILED
            continue
        results = json.loads(path.read_text())
        print(printable(summary_line(results, report_dir)))
        if not results["summary"]["passed"]:
            gate = EXIT_CLAUSE_FAILED
        elif results["cleanup"]["failed"] and gate == EXIT_OK:
            gate = EXIT_LEFT_BEHIND
    if interrupted:
        print("accord: interrupted; what ran is in the reports, and the run cleaned up after itself", file=sys.stderr)
        return 130
    print(f"index: {report_dir / 'index.html'}")
    return gate


def summary_line(results: dict, report_dir: Path) -> str:
    summary, name = results["summary"], results["vendor"]["name"]
    must, should = summary["must"], summary["should"]
    failing = [c["id"] for c in results["clauses"] if c["verdict"] in ("fail", "error")]
    verdict = "PASS" if summary["passed"] else "FAIL"
    line = (f"{name}: {verdict}  MUST {must['passed']}/{must['applicable']}  SHOULD {should['passed']}/"
            f"{should['applicable']}  {results['run']['requests']} requests, {results['run']['duration_s']:.1f}s"
            f"  -> {report_dir / (name + '.html')}")
    left = results["cleanup"]["failed"]
    if left:
        line += f"\n  left behind on the target: {len(left)} record(s) the run created: " + "; ".join(left[:3]) + (
            f" (+{len(left) - 3} more)" if len(left) > 3 else "")
    if failing:
        line += "\n  failed: " + ", ".join(failing[:12]) + (f" (+{len(failing) - 12} more)" if len(failing) > 12 else "")
    return line


# --- serve, faults, clauses ----------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from accord.simulate.server import SimulatorServer
    from accord.targets import build_simulator

    vendor = get_vendor(args.vendor)
    if args.target_version and not vendor.versions:
        raise ConfigError(f"{vendor.name}: its simulator imitates one version only; drop --version")
    simulator = build_simulator(vendor, tuple(args.fault), args.seed_records, args.target_version)
    try:
        server = SimulatorServer(simulator, port=args.port).start()
    except OSError as error:
        raise ConfigError(f"cannot listen on 127.0.0.1:{args.port} ({error.strerror}); choose another --port") from None
    print(f"{vendor.title} simulator at {server.base_url}" + (f" with faults: {', '.join(args.fault)}" if args.fault else ""))
    print("test credentials (use them as the environment of 'accord run --base-url'):")
    print(f"  export {vendor.env_name('BASE_URL')}={server.base_url}")
    for name, value in {**simulator.credentials, **vendor.simulator_settings}.items():
        print(f"  export {vendor.env_name(name)}={value}")
    print("Ctrl-C stops it.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return EXIT_OK


def cmd_faults(args: argparse.Namespace) -> int:
    vendors = [get_vendor(args.vendor)] if args.vendor else list(all_vendors().values())
    for vendor in vendors:
        catalogue = vendor.simulator.catalogue
        print(f"{vendor.name}: {len(catalogue)} faults")
        for fault in catalogue:
            print(f"  {fault.name:<28} breaks {fault.clause}\n  {'':<28} {fault.description}")
    return EXIT_OK


def cmd_clauses(args: argparse.Namespace) -> int:
    vendor = get_vendor(args.vendor)
    contract = load_contract(vendor.name)
    titles = {s["anchor"]: s["title"] for s in contract.documentation()["sections"]}
    for anchor, title in titles.items():
        clauses = [c for c in contract.clauses.values() if c.section == anchor]
        if clauses:
            print(f"{title}  [#{anchor}]")
            for clause in clauses:
                print(f"  {clause.level:<6} {clause.id}\n         {clause.summary}")
    return EXIT_OK


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
