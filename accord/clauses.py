"""Tracing checks to documented clauses (as web-platform-tests and h2spec do).

A suite test names its clauses with ``@pytest.mark.clause(...)``. A test that checks several
clauses attributes each failure to its own clause through ``verify.clause(id)``, so one broken
behaviour fails one clause, not every clause the test touches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

MARKER = "clause"


class ClauseFailures(AssertionError):
    """Failures of named clauses inside one test; the test's other clauses passed."""

    def __init__(self, failures: dict[str, list[str]]) -> None:
        self.failures = failures
        lines = [f"{clause}: {message}" for clause, messages in failures.items() for message in messages]
        super().__init__("\n".join(lines))


class UnknownClause(Exception):
    pass


def marked_clauses(item: pytest.Item) -> list[str]:
    ids: list[str] = []
    for mark in item.iter_markers(MARKER):
        ids.extend(mark.args)
    return list(dict.fromkeys(ids))


class Verifier:
    """Soft, per-clause assertions: a failure is recorded against its clause and the test goes on."""

    def __init__(self, allowed: list[str]) -> None:
        self.allowed = allowed
        self.failures: dict[str, list[str]] = {}
        self.evidence: list[dict[str, Any]] = []

    def _check_allowed(self, clause_id: str) -> None:
        if clause_id not in self.allowed:
            raise UnknownClause(f"{clause_id} is not among this test's clause markers {self.allowed}")

    @contextmanager
    def clause(self, clause_id: str) -> Iterator[None]:
        self._check_allowed(clause_id)
        try:
            yield
        except AssertionError as error:
            self.failures.setdefault(clause_id, []).append(str(error) or "assertion failed")

    def fail(self, clause_id: str, message: str, evidence: list[dict[str, Any]] | None = None) -> None:
        self._check_allowed(clause_id)
        messages = self.failures.setdefault(clause_id, [])
        if message not in messages and len(messages) < 5:  # the first few cases say enough
            messages.append(message)
            self.evidence.extend(evidence or [])

    def raise_if_failed(self) -> None:
        if self.failures:
            raise ClauseFailures(self.failures)
