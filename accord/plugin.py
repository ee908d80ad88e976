"""The pytest plugin behind every suite: options, fixtures, clause verdicts, clean-up, reports.

Suites are plain pytest modules under ``suites/<vendor>/``; this plugin gives them a target, a
client, the contract and a verifier, records each test's outcome per clause with its evidence,
cleans up what the run created (also on failure and interruption), and writes the reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import sys
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from accord import http
from accord.clauses import ClauseFailures, Verifier, marked_clauses
from accord.cleanup import CleanupReport, Ledger
from accord.contracts import load_contract
from accord.errors import AccordError, ConfigError, LoginFailed, RunSafetyError, TargetError
from accord.evidence import EvidenceLog, as_evidence
from accord.hypothesis_home import use_accord_cache_dir
from accord.options import add_run_options
from accord.printing import readable_examples
from accord.profiles import PROFILES, Profile
from accord.redact import Redactor
from accord.results import TestRecord, build_results
from accord.targets import Target, check_reachable, resolve_target
from accord.terminal import cap, cap_tail, printable
from accord.vendors import all_vendors, get_vendor

EVIDENCE_KEPT = 8
RECORD_KEY = "accord-record"
VERIFIER = pytest.StashKey[Verifier]()
TARGET_ERRORS = (TargetError, OSError)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("accord", "accord conformance runs")
    add_run_options(group.addoption)  # the same options as `accord run` (accord.options)
    group.addoption("--run-id", default=None, help="id of this run (default: random)")
    group.addoption("--no-accord-report", action="store_true", help="do not write reports")


def vendor_of(path: Path) -> str | None:
    """The vendor whose suite folder holds ``path`` (accord's own or an installed vendor's)."""
    resolved = path.resolve()
    for name, suite in _suite_dirs().items():
        if resolved.is_relative_to(suite) and resolved != suite:
            return name
    return None


@cache
def _suite_dirs() -> dict[str, Path]:
    return {name: vendor.suite_path.resolve() for name, vendor in all_vendors().items()}


class Run:
    """State of one run in this process: targets, ledgers and per-clause test records."""

    def __init__(self, config: pytest.Config) -> None:
        option = config.option
        self.config = config
        self.id = option.run_id or secrets.token_hex(4)
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        self.tag = f"accord-{self.id}" + (f"-{worker}" if worker else "")
        self.seed = option.seed if option.seed is not None else 0
        self.profile: Profile = PROFILES[option.profile]
        self.read_only: bool = option.read_only
        self.started = datetime.now(UTC)
        self.clock = time.perf_counter()
        self.targets: dict[str, Target] = {}
        self.clients: dict[str, Any] = {}
        self.ledgers: dict[str, Ledger] = {}
        self.records: list[TestRecord] = []
        self.vendors: set[str] = set()
        self.problems: list[str] = []
        self.remote_cleanup: dict[str, CleanupReport] = {}
        self.remote_requests: dict[str, int] = {}
        self.selected: set[str] = set(option.clause)
        self.signal: int | None = None  # a SIGINT or SIGTERM that arrived during the run
        self.exit_code: int | None = None  # why the plugin ended the session early, for `accord run`
        self.interrupts = Interrupts(self)

    def target(self, vendor_name: str) -> Target:
        if vendor_name not in self.targets:
            option = self.config.option
            vendor = get_vendor(vendor_name)
            target = resolve_target(vendor, option.base_url, faults=tuple(option.fault), transport=option.transport,
                                    timeout=option.timeout, seed_records=option.seed_records,
                                    version=option.target_version,
                                    max_response_bytes=option.max_response_bytes,
                                    max_decoded_bytes=option.max_decoded_bytes, rate_limit=option.rate_limit)
            self.targets[vendor_name] = target.start()
        return self.targets[vendor_name]

    def client(self, vendor_name: str) -> Any:
        """The vendor's client over the run's main session, logged in before any test runs."""
        if vendor_name not in self.clients:
            target = self.target(vendor_name)
            vendor = get_vendor(vendor_name)
            ledger = Ledger(self.tag, "")
            session = target.session()
            client = vendor.client(session, ledger, target.settings, vendor.api)
            ledger.strategy = client.cleanup_strategy
            if self.read_only:
                session.write_guard = _refuse_in_read_only
            target.write_guard, target.observers = session.write_guard, session.observers
            self.ledgers[vendor_name] = ledger
            self.clients[vendor_name] = client
            try:
                session.ensure_login()
            except LoginFailed as error:
                raise ConfigError(f"{vendor_name}: {error}") from None
            target.learn_version(session)
        return self.clients[vendor_name]

    def not_applicable(self, vendor_name: str) -> dict[str, str]:
        """Clauses that do not apply in this run, with the reason: outside the target's version,
        or not selected with --clause."""
        contract = load_contract(vendor_name)
        target = self.targets.get(vendor_name)
        version = target.version if target else None
        reasons = {}
        for clause in contract.clauses.values():
            if not clause.applies_to(version):
                reasons[clause.id] = (f"not applicable: the target is checked as version {version} "
                                      f"({target.version_source}); this clause holds for {clause.versions}")
            elif self.selected and clause.id not in self.selected:
                reasons[clause.id] = "not selected in this run (--clause)"
        return reasons

    def clean_up(self) -> dict[str, CleanupReport]:
        """Removes what this process created, newest first, then sweeps by tag for leftovers."""
        reports: dict[str, CleanupReport] = {}
        http.evidence.current = None
        for vendor_name, ledger in self.ledgers.items():
            client = self.clients[vendor_name]
            client.verify_listed()
            ledger.clean()
            try:
                left = client.sweep()
            except Exception as error:  # the sweep is a safety net; its failure is reported, not raised
                left = [f"sweep by tag failed: {type(error).__name__}: {error}"]
            report = ledger.report()
            report.failed += left
            self.problems += [f"{vendor_name}: {problem}" for problem in client.problems]
            reports[vendor_name] = report
        return reports


def _refuse_in_read_only(method: str, path: str, body: Any = None) -> None:
    raise RunSafetyError(f"refused {method} {path}: this is a read-only run")


RUN = pytest.StashKey[Run]()


class Interrupts:
    """SIGINT and SIGTERM during a run: remembered on the run, then raised as an interrupt.

    The KeyboardInterrupt alone is not enough: when the signal lands in a finalizer or in code that
    catches BaseException, Python swallows it and the run would go on to exit 0; the remembered
    signal stops the run at the next test boundary. SIGINT is taken over even where the parent
    ignored it (a background job of a non-interactive shell, some CI runners): a cancelled job
    sends it, and an ignored one would leave the sandbox with what the run created."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.previous: dict[int, Any] = {}

    def __call__(self, signum: int, frame: object) -> None:
        self.run.signal = signum
        if http.in_flight.defer(signum):  # raised as soon as the request on its way is recorded
            return
        raise KeyboardInterrupt(f"signal {signum}")

    def install(self) -> None:
        for name in ("SIGINT", "SIGTERM"):
            with contextlib.suppress(ValueError, AttributeError):  # not the main thread: leave signals alone
                number = getattr(signal, name)
                self.previous[number] = signal.signal(number, self)

    def restore(self) -> None:
        for number, handler in self.previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(number, handler)
        self.previous.clear()


def _stop_if_signalled(config: pytest.Config) -> None:
    signum = _run(config).signal
    if signum is not None:
        raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(*ids): the documented clauses a suite check verifies")
    run = Run(config)
    config.stash[RUN] = run
    from hypothesis import HealthCheck, Phase, core, settings

    phases = [p for p in Phase if p is not Phase.explain and (run.profile.shrink or p is not Phase.shrink)]
    # derandomize=False: hypothesis loads a "ci" profile when CI is set; the seed must rule there too.
    settings.register_profile("accord", deadline=None, database=None, print_blob=False, phases=phases, derandomize=False,
                              suppress_health_check=list(HealthCheck))
    settings.load_profile("accord")
    core.global_force_seed = run.seed  # what hypothesis' own --hypothesis-seed does
    run.interrupts.install()  # clean up on SIGTERM as on Ctrl-C
    use_accord_cache_dir()  # no .hypothesis/ in the user's folder; no 1 s / 200 MB first-run table
    config.pluginmanager.register(RecordCollector(run), "accord-records")


@pytest.hookimpl(tryfirst=True)
def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """An interrupt that lands mid-instruction can leave a traceback entry without a line number
    (Python 3.11); pytest's own report of the interrupt then fails with an internal error and the
    run exits 1 instead of 130. Such entries are dropped before pytest formats the traceback."""
    with contextlib.suppress(Exception):
        excinfo.traceback = excinfo.traceback.filter(has_line_number)


def has_line_number(entry: Any) -> bool:
    return getattr(getattr(entry, "_rawentry", None), "tb_lineno", 0) is not None


def pytest_unconfigure(config: pytest.Config) -> None:
    redact_written_log(config)  # after pytest-html wrote it at session finish
    _run(config).interrupts.restore()


def _run(config: pytest.Config) -> Run:
    return config.stash[RUN]


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every suite test names known clauses; configuration problems end the run before tests run."""
    run = _run(config)
    problems = []
    for item in items:
        vendor_name = vendor_of(item.path)
        if vendor_name is None:
            continue
        run.vendors.add(vendor_name)
        ids = marked_clauses(item)
        if not ids:
            problems.append(f"{item.nodeid}: no @pytest.mark.clause marker")
        try:
            contract = load_contract(vendor_name)
            known = contract.clauses
            _ = contract.doc_issues  # a malformed doc-issues.yaml ends the run before any test
        except AccordError as error:
            raise pytest.UsageError(str(error)) from None
        problems += [f"{item.nodeid}: unknown clause {c}" for c in ids if c not in known]
    if problems:
        raise pytest.UsageError("; ".join(problems))
    if run.selected:
        unknown = sorted(c for c in run.selected if not any(c in load_contract(v).clauses for v in run.vendors))
        if unknown:
            raise pytest.UsageError(f"--clause {unknown[0]}: no such clause; see 'accord clauses VENDOR'")
        keep = [item for item in items if vendor_of(item.path) is None or set(marked_clauses(item)) & run.selected]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    if config.option.base_url and len(run.vendors) > 1:
        raise pytest.UsageError("--base-url names one live target: run one vendor's suite with it")
    for vendor_name in sorted(run.vendors):
        try:
            check_reachable(run.target(vendor_name))
            run.client(vendor_name)  # logs in where the vendor needs it: a failed login is exit 2
        except AccordError as error:
            run.exit_code = error.exit_code  # pytest's own exit 3 means "internal error"
            pytest.exit(str(error), returncode=error.exit_code)


# --- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vendor_name(request: pytest.FixtureRequest) -> str:
    name = vendor_of(request.node.path)
    if name is None:
        raise ConfigError(f"{request.node.nodeid} is not under suites/<vendor>/")
    return name


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest, vendor_name: str) -> Target:
    return _run(request.config).target(vendor_name)


@pytest.fixture(scope="module")
def client(request: pytest.FixtureRequest, vendor_name: str) -> Any:
    return _run(request.config).client(vendor_name)


@pytest.fixture(scope="module")
def contract(vendor_name: str) -> Any:
    return load_contract(vendor_name)


@pytest.fixture(scope="module")
def profile(request: pytest.FixtureRequest) -> Profile:
    return _run(request.config).profile


@pytest.fixture(scope="module")
def run_state(request: pytest.FixtureRequest) -> Run:
    return _run(request.config)


@pytest.fixture
def verify(request: pytest.FixtureRequest) -> Verifier:
    return request.node.stash[VERIFIER]


# --- per-test bookkeeping -----------------------------------------------------------------------
def pytest_runtest_setup(item: pytest.Item) -> None:
    _stop_if_signalled(item.config)
    if vendor_of(item.path) is None:
        return
    item.stash[VERIFIER] = Verifier(marked_clauses(item))
    http.evidence.current = EvidenceLog()
    run = _run(item.config)
    not_applicable = run.not_applicable(vendor_of(item.path))
    reasons = [not_applicable[c] for c in marked_clauses(item) if c in not_applicable]
    if len(reasons) == len(marked_clauses(item)):
        pytest.skip(reasons[0])
    if run.read_only:
        contract = load_contract(vendor_of(item.path))
        if any(contract.clauses[c].writes for c in marked_clauses(item)):
            pytest.skip("not applicable: read-only run (this check creates or changes records)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    if vendor_of(item.path) is None:
        result = yield
    else:
        with readable_examples():
            result = yield
    _stop_if_signalled(item.config)
    verifier = item.stash.get(VERIFIER, None)
    if verifier is not None:
        verifier.raise_if_failed()
    return result


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def _falsifying(error: BaseException) -> str | None:
    notes = [n for leaf in _leaves(error) for n in getattr(leaf, "__notes__", [])]
    notes = [n for n in notes if "Falsifying" in n or n.startswith(("Draw", "    ", "  "))] or []
    return "\n".join(notes) or None


def _outcomes(item: pytest.Item, call: pytest.CallInfo[Any], report: pytest.TestReport) -> tuple[dict, dict]:
    ids = marked_clauses(item)
    verifier = item.stash.get(VERIFIER, None)
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return {c: "skip" for c in ids}, {c: reason.removeprefix("Skipped: ") for c in ids}
    if report.passed:
        return {c: "pass" for c in ids}, {}
    error = call.excinfo.value if call.excinfo else None
    leaves = _leaves(error) if error is not None else []
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    failures: dict[str, list[str]] = {}
    if verifier is not None:
        for clause_id, found in verifier.failures.items():
            failures.setdefault(clause_id, []).extend(found)
    hard: list[BaseException] = []
    for leaf in leaves:
        if isinstance(leaf, ClauseFailures):
            for clause_id, found in leaf.failures.items():
                failures.setdefault(clause_id, []).extend(m for m in found if m not in failures.get(clause_id, []))
        else:
            hard.append(leaf)
    kind = "fail" if any(isinstance(h, AssertionError | pytest.fail.Exception) for h in hard) else "error"
    for clause_id in ids:
        if clause_id in failures:
            outcomes[clause_id], messages[clause_id] = "fail", "\n".join(failures[clause_id])
        elif hard:
            outcomes[clause_id] = kind
            messages[clause_id] = "\n".join(_one_line(h) for h in hard)
        else:
            outcomes[clause_id] = "pass"
    return outcomes, messages


def _one_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    if not isinstance(error, AssertionError):
        text = f"{type(error).__name__}: {text}"
    return text


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    vendor_name = vendor_of(item.path)
    if vendor_name is None:
        return report
    redact_test_report(report, run_redactor(_run(item.config)))
    relevant = call.when == "call" or (report.failed or report.skipped) and call.when == "setup"
    if call.when == "teardown" and report.failed:
        relevant = True
    if not relevant:
        return report
    outcomes, messages = _outcomes(item, call, report)
    if call.when == "teardown":
        outcomes = {c: "error" for c in outcomes}
    run = _run(item.config)
    for clause_id, reason in run.not_applicable(vendor_name).items():  # a test that also checks other clauses
        if clause_id in outcomes:
            outcomes[clause_id], messages[clause_id] = "skip", reason
    limit = item.config.option.max_message_chars
    redactor = run_redactor(run)
    longrepr = redactor.text(report.longreprtext) or ""  # redacted before any cut: no half secrets
    _printable_report(report, longrepr, limit)
    verifier = item.stash.get(VERIFIER, None)
    failed = any(o in ("fail", "error") for o in outcomes.values())
    log = http.evidence.current
    # only a failure's evidence is made (redacted, formatted): passing tests pay nothing for theirs
    evidence = (verifier.evidence if verifier and verifier.evidence else log.last(EVIDENCE_KEPT) if failed and log else [])
    record = TestRecord(
        nodeid=item.nodeid, vendor=vendor_name, outcomes=outcomes, messages=messages,
        duration_s=report.duration,
        details=cap_tail(longrepr, limit) if failed else None,
        falsifying_example=cap(_falsifying(call.excinfo.value), limit) if failed and call.excinfo else None,
        seed=run.seed,
        evidence=[as_evidence(e) for e in evidence[-EVIDENCE_KEPT:]] if failed else [],
    )
    record.messages = {k: cap(redactor.text(v), limit) for k, v in record.messages.items()}
    record.falsifying_example = redactor.text(record.falsifying_example)
    report.user_properties.append((RECORD_KEY, json.dumps(record.as_dict())))
    return report


def _printable_report(report: pytest.TestReport, longrepr: str, limit: int) -> None:
    """What pytest prints of a suite test (its traceback, captured output), made printable and
    capped: a vendor's strings are in there, and may hold control sequences or megabytes.
    ``longrepr`` is the report's text, redacted."""
    if report.longrepr is not None and not report.skipped:
        shown = printable(cap_tail(longrepr, 4 * limit) or "")
        if shown != report.longreprtext:
            report.longrepr = shown
    report.sections = [(title, printable(cap_tail(content, 4 * limit) or "")) for title, content in report.sections]


# --- redaction: one path (accord.redact.Redactor) for everything written or printed ---------------
def run_redactor(run: Run) -> Redactor:
    """A redactor for every secret this process knows: each target's secret credentials and what
    its sessions learnt with them (a login's session value). Sessions a check opened with made-up
    credentials are left out: their values are no secret, and masking their fragments would mask
    ordinary words of the report. The xdist controller starts no target, so it reads the
    credentials the way the workers did."""
    redactor = Redactor()
    for vendor_name in sorted(run.vendors | set(run.targets)):
        target = run.targets.get(vendor_name)
        if target is None:
            option = run.config.option
            try:
                target = resolve_target(get_vendor(vendor_name), option.base_url, faults=tuple(option.fault),
                                        transport=option.transport, timeout=option.timeout)
            except AccordError:
                continue
        real = {value for field, value in target.credentials.items() if target._is_secret(field)}
        redactor.add(*real)
        with contextlib.suppress(KeyError, TypeError, ValueError):  # the credentials above are masked anyway
            redactor.add(*target.vendor.auth(target.credentials).secrets)
        for session in target._sessions:
            if real & set(session.auth.secrets):
                redactor.add(*session.auth.secrets)
    return redactor


def redact_test_report(report: pytest.TestReport, redactor: Redactor) -> None:
    """pytest's own account of a test (the traceback, captured output) as the terminal, pytest-html's
    log and xdist's controller will show it: masked before any of them reads it."""
    text = report.longreprtext
    if text:
        masked = redactor.text(text)
        if masked != text:
            report.longrepr = masked  # plain text from here on: a traceback object would show the secret
    report.sections = [(title, redactor.text(content) or "") for title, content in report.sections]


def redact_written_log(config: pytest.Config) -> None:
    """pytest-html writes its log (``--html``, reports/test-log.html) after the run; mask it in place."""
    path = getattr(config.option, "htmlpath", None)
    if not path or hasattr(config, "workerinput") or RUN not in config.stash:
        return
    log = Path(path)
    if log.is_file():
        try:
            run_redactor(_run(config)).file(log)
        except OSError as error:
            print(f"accord: could not redact {log} ({error.strerror}); delete it before sharing", file=sys.stderr)


class RecordCollector:
    """Collects each test's clause record as its report arrives (in a worker, or from the workers
    on the xdist controller), into the run it belongs to."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for key, value in report.user_properties:
            if key == RECORD_KEY:
                record = TestRecord.from_dict(json.loads(value))
                self.run.vendors.add(record.vendor)
                self.run.records = [r for r in self.run.records if r.nodeid != record.nodeid] + [record]


def pytest_runtest_teardown(item: pytest.Item) -> None:
    http.evidence.current = None


# --- end of run ---------------------------------------------------------------------------------
def _worker_output(config: pytest.Config) -> dict[str, Any] | None:
    return getattr(config, "workeroutput", None)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest-xdist may not be loaded
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: collect each worker's clean-up report and request count."""
    output = getattr(node, "workeroutput", {}) or {}
    run = _run(node.config)
    for vendor_name, data in json.loads(output.get("accord", "{}")).items():
        report = CleanupReport(data["cleanup"]["strategy"])
        report.merge(CleanupReport(**data["cleanup"]))
        run.remote_cleanup.setdefault(vendor_name, CleanupReport(report.strategy)).merge(report)
        run.remote_requests[vendor_name] = run.remote_requests.get(vendor_name, 0) + data["requests"]
        run.vendors.add(vendor_name)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    run = _run(config)
    cleanups = run.clean_up()
    requests_made = {name: target.request_count for name, target in run.targets.items()}
    for target in run.targets.values():
        target.stop()
    worker_output = _worker_output(config)
    if worker_output is not None:
        worker_output["accord"] = json.dumps({
            name: {"cleanup": report.as_dict(), "requests": requests_made.get(name, 0)}
            for name, report in cleanups.items()
        })
        return
    if exitstatus == pytest.ExitCode.INTERRUPTED or run.signal is not None:
        run.problems.append("the run was interrupted; clauses that did not run are errors")
    if not run.vendors or config.option.no_accord_report:
        return
    write_run_reports(run, cleanups, requests_made)


def write_run_reports(run: Run, cleanups: dict[str, CleanupReport], requests_made: dict[str, int]) -> None:
    from accord.expectations import load_expectations
    from accord.report import write_reports

    option = run.config.option
    workers = int(getattr(option, "numprocesses", 0) or 0)
    results = []
    for vendor_name in sorted(run.vendors):
        vendor = get_vendor(vendor_name)
        contract = load_contract(vendor_name)
        cleanup = cleanups.get(vendor_name) or CleanupReport("")
        if vendor_name in run.remote_cleanup:
            remote = run.remote_cleanup[vendor_name]
            cleanup.strategy = cleanup.strategy or remote.strategy
            cleanup.merge(remote)
        target = run.targets.get(vendor_name)
        described = target.describe() if target else _describe_unstarted(run, vendor_name)
        run_info = {
            "id": run.id, "seed": run.seed, "profile": run.profile.name, "target": described,
            "started_at": run.started.isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - run.clock, 3),
            "requests": requests_made.get(vendor_name, 0) + run.remote_requests.get(vendor_name, 0),
            "read_only": run.read_only, "workers": workers, "expectations": option.expectations,
        }
        expectations = load_expectations(option.expectations, vendor_name) if option.expectations else None
        records = [r for r in run.records if r.vendor == vendor_name]
        limit = option.max_message_chars  # a record's id or label is the target's text too: capped like a message
        cleaned = {k: [cap(v, limit) for v in value] if isinstance(value, list) else value
                   for k, value in cleanup.as_dict().items()}
        results.append(run_redactor(run).value(build_results(contract, records, run_info, cleaned,
                                                             [cap(p, limit) for p in run.problems], vendor.title, expectations,
                                                             run.not_applicable(vendor_name))))
    write_reports(results, Path(option.report_dir))


def _describe_unstarted(run: Run, vendor_name: str) -> dict[str, Any]:
    option = run.config.option
    kind = "live" if option.base_url else "simulator"
    return {"kind": kind, "base_url": option.base_url or "(not started)", "faults": list(option.fault),
            "version": option.target_version, "version_source": "option" if option.target_version else "unknown"}
