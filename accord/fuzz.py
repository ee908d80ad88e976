"""Spec-driven fuzzing with schemathesis, attributed to clauses and kept inside the run's records.

schemathesis generates the cases from the contract's OpenAPI document and judges the responses
with its own checks; accord decides where they go (path ids the run owns, the run tag on names),
sends them through the run's session (auth, limits, guard, evidence) and turns each failed
check into a failure of the clause it verifies. Every case runs every check (continue on
failure), so one run reports every clause an operation breaks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accord.clauses import Verifier
from accord.http import Session
from accord.printing import fast_examples

CHECKS = {
    "not_a_server_error": not_a_server_error,
    "status_code_conformance": status_code_conformance,
    "content_type_conformance": content_type_conformance,
    "response_schema_conformance": response_schema_conformance,
}


@cache
def load_schema(openapi_path: Path) -> Any:
    return schemathesis.openapi.from_path(str(openapi_path))


def operation_ids(openapi_path: Path) -> list[str]:
    """``METHOD /path`` labels of every operation, for test parametrization at collection time."""
    return [result.ok().label for result in load_schema(openapi_path).get_all_operations()]


def operation(openapi_path: Path, label: str) -> Any:
    method, path = label.split(" ", 1)
    return load_schema(openapi_path)[path][method]


def coverage_cases(op: Any, mode: str, limit: int) -> list[Any]:
    """The first ``limit`` of schemathesis' deterministic boundary cases (its coverage phase):
    enum values, empty strings, wrong types. They hit documented edges before random data does."""
    schema = op.schema
    config = schema.config.generation_for(operation=op)
    cases = schema.iter_coverage_cases(op, generation_modes=[GenerationMode(mode)], generation_config=config)
    # Its "unexpected method" probes (DELETE on a collection...) are writes the run may not make.
    return list(itertools.islice((c for c in cases if c.method.upper() == op.method.upper()), limit))


def fuzz(op: Any, session: Session, *, examples: int, boundaries: int, verify: Verifier,
         clause_of_check: dict[str, str], prepare: Callable[[Any], None],
         modes: tuple[str, ...] = ("positive", "negative")) -> int:
    """Boundary cases, then ``examples`` random cases, per generation mode; returns how many were sent."""
    from accord.evidence import evidence

    sent = 0

    def send(case: Any, mode: str) -> None:
        nonlocal sent
        prepare(case)
        log = evidence.current
        mark = log.mark() if log is not None else 0
        # schemathesis' own default timeout (10 s) would win over the run's --timeout otherwise
        response = case.call(base_url=session.base_url, session=session, timeout=session.timeout)
        sent += 1
        try:  # one call runs every check (a quarter of the validation cost of one call per check)
            case.validate_response(response, checks=list(CHECKS.values()))
            return
        except (Exception, BaseExceptionGroup) as failure:  # Failure, or FailureGroup (a BaseExceptionGroup)
            placed = by_check(failure)
        if placed is None:  # a failure more than one check reports: ask each check on its own
            placed = {}
            for name, check in CHECKS.items():
                try:
                    case.validate_response(response, checks=[check])
                except (Exception, BaseExceptionGroup) as failure:
                    placed[name] = [failure]
        exchange = log.since(mark) if log is not None else []  # made into evidence only for a failure
        for name, failures in placed.items():
            verify.fail(clause_of_check[name], _describe(failures, case, mode), exchange)

    def random_cases(mode: str) -> Callable[[], None]:
        @settings(max_examples=examples)
        @given(case=op.as_strategy(generation_mode=GenerationMode(mode)))
        def one_case(case: Any) -> None:
            send(case, mode)

        return one_case

    with fast_examples():  # each failure names its own case; printing examples would only cost time
        for mode in modes:
            for case in coverage_cases(op, mode, boundaries):
                send(case, mode)
            random_cases(mode)()
    return sent


def by_check(failure: BaseException) -> dict[str, list[BaseException]] | None:
    """schemathesis' failures grouped by the one check of ``CHECKS`` that reports each (its
    ``Failure.checks``); None when some failure could come from several of them, or none."""
    placed: dict[str, list[BaseException]] = {}
    for one in getattr(failure, "exceptions", None) or [failure]:
        names = [name for name in getattr(one, "checks", ()) if name in CHECKS]
        if len(names) != 1:
            return None
        placed.setdefault(names[0], []).append(one)
    return placed


def _describe(failures: list[BaseException], case: Any, mode: str) -> str:
    """``METHOD path (mode case): title: message`` for each failure schemathesis reported."""
    inner = [one for failure in failures for one in (getattr(failure, "exceptions", None) or [failure])]
    parts = []
    for one in inner:
        title = getattr(one, "title", None) or type(one).__name__
        message = (getattr(one, "message", None) or str(one)).strip().splitlines()
        parts.append(f"{title}: {message[0]}" if message and message[0] != title else title)
    return f"{case.method} {case.formatted_path} ({mode} case): {'; '.join(parts)}"[:600]
