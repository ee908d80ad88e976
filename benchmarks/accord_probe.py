"""A pytest plugin the benchmarks load into accord's own runs to count what happens inside them.

Loaded without touching accord: ``PYTHONPATH=benchmarks PYTEST_PLUGINS=accord_probe`` (pytest
reads that variable also when ``accord run`` calls ``pytest.main``), switched on by
``ACCORD_PROBE_OUT=<file.json>``, for the vendor ``ACCORD_PROBE_VENDOR`` names. It wraps a few accord
functions with counters and writes, when the run ends:

- ``requests``: requests sent through accord's HTTP session, per test node id (fixtures count
  for the test that uses them), plus ``(clean-up)`` for the end-of-run clean-up;
- ``cases``: generated cases per test: every case ``accord.fuzz.fuzz`` sent (boundary and random)
  and every example a property test (``test_properties.py``) ran (hypothesis' ``execute_once``);
- ``failures``: every failing check in order, with the request count at that moment: a failed
  fuzz check (``Verifier.fail``), a failed soft check (``verify.clause``), a failing test; each
  with the test's node id and the clause (``*`` for a failing test as a whole);
  ``first_failure`` is the first of them;
- ``seeding_s``: time the simulator spent creating its pre-existing records (its construction);
- ``kinds``: cases and seconds per kind of generated case: ``fuzz boundary`` (schemathesis'
  coverage-phase cases accord sends first: their generation and sending), ``fuzz random`` (the rest
  of ``fuzz``: hypothesis drawing from schemathesis' strategies, and sending), ``property`` (the
  property tests, from their start to their end: generation, requests, read-backs, clean-up of each);
- ``fuzzed_operations``: the operations (``METHOD /path``) ``fuzz`` ran on.

``ACCORD_PROBE_NO_SHRINK=1`` turns hypothesis' shrinking off, so that a failing property test
stops at its first failing example (plus hypothesis' one replay of it) instead of spending more
requests on minimising it. It changes nothing before the first failure.

``ACCORD_PROBE_ALL_BOUNDARIES=1`` makes the full profile take every distinct boundary case of
schemathesis' coverage phase instead of its first 40 per operation and mode: the same cases
schemathesis' coverage phase sends, for a per-case comparison on the same work.

Overhead: one counter increment per request and per case; the wall-time benchmark does not load it.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

OUT = os.environ.get("ACCORD_PROBE_OUT")
VENDOR = os.environ.get("ACCORD_PROBE_VENDOR", "")


class State:
    def __init__(self) -> None:
        self.current = "(collection)"
        self.total = 0
        self.requests: Counter[str] = Counter()
        self.cases: Counter[str] = Counter()
        self.failures: list[dict[str, Any]] = []
        self.failed_tests: list[str] = []
        self.seeding_s = 0.0
        # per kind of generated case: [cases, seconds] (fuzz boundary = schemathesis' coverage phase,
        # fuzz random = its fuzzing phase; property = accord's property tests, which schemathesis has not)
        self.fuzzed: set[str] = set()  # labels (METHOD /path) of the operations fuzz() ran on
        self.kinds: dict[str, list[float]] = {"fuzz boundary": [0, 0.0], "fuzz random": [0, 0.0], "property": [0, 0.0]}

    def failure(self, clause: str, how: str) -> None:
        self.failures.append({"requests": self.total, "test": self.current, "clause": clause, "how": how})


STATE = State()


def _install() -> None:
    from accord import clauses, fuzz, http
    from accord.vendors import get_vendor

    vendor = get_vendor(VENDOR)
    simulator_class = vendor.simulator

    request = http.Session.request

    @functools.wraps(request)
    def counted_request(self, method, url, *args, **kwargs):
        STATE.total += 1
        STATE.requests[STATE.current] += 1
        return request(self, method, url, *args, **kwargs)

    http.Session.request = counted_request

    run_fuzz = fuzz.fuzz
    boundary_cases = fuzz.coverage_cases

    @functools.wraps(boundary_cases)
    def timed_boundary_cases(*args, **kwargs):
        """Times the boundary cases' generation and sending: fuzz() sends them as it iterates."""
        def sending():
            started, count = time.perf_counter(), 0
            for case in boundary_cases(*args, **kwargs):
                count += 1
                yield case
            STATE.kinds["fuzz boundary"][0] += count
            STATE.kinds["fuzz boundary"][1] += time.perf_counter() - started

        return sending()

    fuzz.coverage_cases = timed_boundary_cases

    @functools.wraps(run_fuzz)
    def counted_fuzz(*args, **kwargs):
        STATE.fuzzed.add(args[0].label)
        boundary_before = list(STATE.kinds["fuzz boundary"])
        started = time.perf_counter()
        sent = run_fuzz(*args, **kwargs)
        spent = time.perf_counter() - started
        STATE.cases[STATE.current] += sent
        STATE.kinds["fuzz random"][0] += sent - (STATE.kinds["fuzz boundary"][0] - boundary_before[0])
        STATE.kinds["fuzz random"][1] += spent - (STATE.kinds["fuzz boundary"][1] - boundary_before[1])
        return sent

    fuzz.fuzz = counted_fuzz

    fail = clauses.Verifier.fail

    @functools.wraps(fail)
    def noted_fail(self, clause_id, message, evidence=None):
        STATE.failure(clause_id, "fuzz check failed")
        return fail(self, clause_id, message, evidence)

    clauses.Verifier.fail = noted_fail

    soft = clauses.Verifier.clause

    @contextmanager
    def noted_clause(self, clause_id):
        with soft(self, clause_id):
            try:
                yield
            except AssertionError:
                STATE.failure(clause_id, "soft check failed")
                raise

    clauses.Verifier.clause = noted_clause

    from hypothesis import core

    execute_once = core.StateForActualGivenExecution.execute_once

    @functools.wraps(execute_once)
    def one_example(self, *args, **kwargs):
        """hypothesis runs each example of a @given function through this, whichever test defines it."""
        if "test_properties.py" in STATE.current:
            STATE.cases[STATE.current] += 1
            STATE.kinds["property"][0] += 1
        return execute_once(self, *args, **kwargs)

    core.StateForActualGivenExecution.execute_once = one_example

    init = simulator_class.__init__

    @functools.wraps(init)
    def timed_init(self, *args, **kwargs):
        started = time.perf_counter()
        init(self, *args, **kwargs)
        STATE.seeding_s += time.perf_counter() - started

    simulator_class.__init__ = timed_init


if OUT:
    _install()

if OUT and os.environ.get("ACCORD_PROBE_ALL_BOUNDARIES") == "1":
    import dataclasses

    from accord import profiles

    profiles.PROFILES["full"] = dataclasses.replace(profiles.PROFILES["full"], fuzz_boundaries=1_000_000)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if OUT and os.environ.get("ACCORD_PROBE_NO_SHRINK") == "1":
        from hypothesis import Phase, settings

        settings.register_profile("accord-probe", parent=settings.get_profile("accord"),
                                  phases=[Phase.explicit, Phase.reuse, Phase.generate])
        settings.load_profile("accord-probe")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    STATE.current = item.nodeid
    started = time.perf_counter()
    try:
        yield
    finally:
        if "test_properties.py" in item.nodeid:
            STATE.kinds["property"][1] += time.perf_counter() - started
        STATE.current = "(between tests)"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        STATE.failure("*", f"test failed ({report.when})")
        if report.nodeid not in STATE.failed_tests:
            STATE.failed_tests.append(report.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    STATE.current = "(clean-up)"


def pytest_unconfigure(config: pytest.Config) -> None:
    if not OUT:
        return
    Path(OUT).write_text(json.dumps({
        "total_requests": STATE.total,
        "requests": dict(STATE.requests),
        "cases": dict(STATE.cases),
        "first_failure": STATE.failures[0] if STATE.failures else None,
        "failures": STATE.failures,
        "failed_tests": STATE.failed_tests,
        "seeding_s": round(STATE.seeding_s, 3),
        "fuzzed_operations": sorted(STATE.fuzzed),
        "kinds": {kind: {"cases": int(n), "seconds": round(s, 3)} for kind, (n, s) in STATE.kinds.items()},
    }, indent=1))
