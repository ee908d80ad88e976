"""Spec-driven fuzzing with schemathesis, attributed to clauses and kept inside the run's records.

schemathesis generates the cases from the contract's OpenAPI document and judges the responses
with its own checks; accord decides where they go (path ids the run owns, the run tag on names),
sends them through the run's session (auth, limits, guard, evidence) and turns each failed
check into a failure of the clause it verifies. Every case runs every check (continue on
failure), so one run reports every clause an operation breaks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.errors import SerializationNotPossible
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accord.clauses import Verifier
from accord.errors import RunSafetyError
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
    """The OpenAPI document as schemathesis reads it, without generated security parameters: the
    run's session authenticates every request itself, and generated credentials (an Authorization
    header, a session cookie) would be thrown away or, worse, sent in place of the run's."""
    schema = schemathesis.openapi.from_path(str(openapi_path))
    schema.config.generation.update(with_security_parameters=False)
    return schema


def operation_ids(openapi_path: Path) -> list[str]:
    """``METHOD /path`` labels of every operation, for test parametrization at collection time."""
    return [result.ok().label for result in load_schema(openapi_path).get_all_operations()]


def operation(openapi_path: Path, label: str) -> Any:
    method, path = label.split(" ", 1)
    return load_schema(openapi_path)[path][method]


def coverage_cases(op: Any, mode: str, limit: int, prepare: Callable[[Any], None],
                   seen: set[str] | None = None) -> Iterator[Any]:
    """Up to ``limit`` requests from schemathesis' deterministic boundary cases (its coverage phase):
    enum values, empty strings, wrong types. They hit documented edges before random data does.
    Each case is prepared (pointed at the run's records) before it is compared with the requests in
    ``seen``: boundary values of a path id all become the run's own id, and one such request is enough."""
    schema = op.schema
    config = schema.config.generation_for(operation=op)
    cases = schema.iter_coverage_cases(op, generation_modes=[GenerationMode(mode)], generation_config=config)
    seen = set() if seen is None else seen
    taken = 0
    if limit <= 0:
        return
    for case in cases:
        # Its "unexpected method" probes (DELETE on a collection...) are writes the run may not make.
        if case.method.upper() != op.method.upper():
            continue
        if first_time(case, prepare, seen):
            taken += 1
            yield case
            if taken >= limit:  # before the next case: one can take schemathesis seconds to make
                return


def first_time(case: Any, prepare: Callable[[Any], None], seen: set[str]) -> bool:
    """Prepares ``case`` and tells whether its request is not among ``seen`` (adding it)."""
    prepare(case)
    key = request_key(case)
    if key in seen:
        return False
    seen.add(key)
    return True


def request_key(case: Any) -> str:
    """What a prepared case sends, as one comparable string."""
    parts = [case.method, case.path_parameters, case.query, case.headers, case.cookies, case.body, case.media_type]
    try:
        return json.dumps(parts, sort_keys=True, default=repr)
    except (TypeError, ValueError):  # keys of mixed types: repr still tells requests apart
        return repr(parts)


def fuzz(op: Any, session: Session, *, examples: int, boundaries: int, verify: Verifier,
         clause_of_check: dict[str, str], prepare: Callable[[Any], None],
         path_parameters: dict[str, Any] | None = None,
         modes: tuple[str, ...] = ("positive", "negative")) -> int:
    """Boundary cases, then ``examples`` random cases, per generation mode; returns how many were sent.

    ``path_parameters``: the values ``prepare`` gives path parameters (the run's own ids). They are
    fixed before generation, so no random case is spent on a path id that ``prepare`` replaces: an
    operation with nothing else to vary gets one positive case and no negative one. A request
    already sent (after ``prepare``) is not sent again, whichever mode or kind of case made it.
    """
    from accord.evidence import evidence

    sent, refused = 0, []
    names = {parameter.name for parameter in op.path_parameters}
    fixed = {name: value for name, value in (path_parameters or {}).items() if name in names}
    seen: set[str] = set()

    def send(case: Any, mode: str) -> None:
        nonlocal sent
        log = evidence.current
        mark = log.mark() if log is not None else 0
        try:  # schemathesis' own default timeout (10 s) would win over the run's --timeout otherwise
            response = case.call(base_url=session.base_url, session=session, timeout=session.timeout)
        except RunSafetyError as refusal:  # a body prepare could not point at the run's records (a
            refused.append(refusal)  # content-type probe sends it as text): the guard keeps it unsent
            return
        except SerializationNotPossible:  # a media type schemathesis cannot write (image/bmp): no request
            return
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
        @given(case=op.as_strategy(generation_mode=GenerationMode(mode), path_parameters=fixed or None))
        def one_case(case: Any) -> None:
            if first_time(case, prepare, seen):
                send(case, mode)

        return one_case

    with fast_examples():  # each failure names its own case; printing examples would only cost time
        for mode in modes:
            for case in coverage_cases(op, mode, boundaries, prepare, seen):
                send(case, mode)
            try:
                random_cases(mode)()
            except Unsatisfiable:  # negative mode with every part fixed: nothing the run sends can be wrong
                if mode == "positive":
                    raise
    if refused and not sent:  # every case refused: prepare does not point this operation at the run's records
        raise refused[-1]
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
