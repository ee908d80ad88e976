"""Which printer hypothesis uses for falsifying examples, per kind of test.

schemathesis, once set up, swaps hypothesis' example printer for one that prints nothing (its
coverage phase runs faster without it), and the swap holds for every hypothesis test in the
process. A falsifying example is what a report reader needs most from a property test, so
accord's property tests run with hypothesis' own printer and only the fuzz keeps the fast one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any


@cache
def _printers() -> tuple[Any, Any]:
    """(hypothesis' own printer, schemathesis' fast one), after schemathesis has made its swap."""
    from hypothesis import core
    from hypothesis.vendor import pretty
    from schemathesis.generation.hypothesis import setup

    setup()
    fast = core.RepresentationPrinter
    core.RepresentationPrinter = pretty.RepresentationPrinter
    return pretty.RepresentationPrinter, fast


@contextmanager
def _printer(which: int) -> Iterator[None]:
    from hypothesis import core

    wanted = _printers()[which]
    saved, core.RepresentationPrinter = core.RepresentationPrinter, wanted
    try:
        yield
    finally:
        core.RepresentationPrinter = saved


def readable_examples() -> Any:
    """Falsifying examples printed in full (accord's property tests)."""
    return _printer(0)


def fast_examples() -> Any:
    """schemathesis' printer, which prints nothing (the fuzz: its failures carry their own case)."""
    return _printer(1)
