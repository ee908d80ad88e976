"""The ledger of what a run created, and its clean-up: do no harm on shared sandboxes.

Every record the run creates is entered here the moment the target confirms it. Clean-up walks
the ledger newest first, so dependants (a customer's rates) go before what they hang on, and it
also runs when tests fail, when the target misbehaves, and on interruption.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REMOVED = "removed"


@dataclass
class Entry:
    kind: str
    key: tuple[Any, ...]
    label: str
    remove: Callable[[], str]  # returns REMOVED or "neutralised: <how>"; raises when it cannot
    parent: tuple[str, tuple[Any, ...]] | None = None  # removing the parent removes this too
    done: str | None = None


@dataclass
class CleanupReport:
    strategy: str
    created: int = 0
    removed: int = 0
    neutralised: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "created": self.created, "removed": self.removed,
                "neutralised": list(self.neutralised), "failed": list(self.failed)}

    def merge(self, other: CleanupReport) -> None:
        self.created += other.created
        self.removed += other.removed
        self.neutralised += other.neutralised
        self.failed += other.failed


class Ledger:
    def __init__(self, tag: str, strategy: str = "") -> None:
        self.tag = tag
        self.strategy = strategy
        self._entries: dict[tuple[str, tuple[Any, ...]], Entry] = {}
        self._absent: set[tuple[str, tuple[Any, ...]]] = set()
        self._lock = threading.RLock()

    def add(self, kind: str, key: tuple[Any, ...], label: str, remove: Callable[[], str],
            parent: tuple[str, tuple[Any, ...]] | None = None) -> None:
        with self._lock:
            self._entries.setdefault((kind, key), Entry(kind, key, label, remove, parent))

    def owns(self, kind: str, key: tuple[Any, ...]) -> bool:
        with self._lock:
            return (kind, key) in self._entries or (kind, key) in self._absent

    def mark_absent(self, kind: str, key: tuple[Any, ...]) -> None:
        """A key the run proved free (a 404 on read): writing to it cannot touch anyone's record."""
        with self._lock:
            self._absent.add((kind, key))

    def mark_removed(self, kind: str, key: tuple[Any, ...]) -> None:
        """A test removed the record itself: nothing left to clean."""
        with self._lock:
            entry = self._entries.get((kind, key))
            if entry is not None and entry.done is None:
                entry.done = REMOVED

    def entries(self, kind: str | None = None) -> list[Entry]:
        with self._lock:
            return [e for e in self._entries.values() if kind is None or e.kind == kind]

    def clean(self) -> CleanupReport:
        """Parents first, newest first; a child whose parent was removed went with it (no request),
        one whose parent was only neutralised is removed on its own."""
        report = CleanupReport(self.strategy, created=len(self._entries))
        entries = list(reversed(self.entries()))
        ordered = [e for e in entries if e.parent is None] + [e for e in entries if e.parent is not None]
        for entry in ordered:
            parent = self._entries.get(entry.parent) if entry.parent else None
            if entry.done is None and parent is not None and parent.done == REMOVED:
                entry.done = REMOVED
            if entry.done is None:
                try:
                    entry.done = entry.remove()
                except Exception as error:  # clean-up must go on past one failure
                    report.failed.append(f"{entry.label}: {type(error).__name__}: {error}")
                    continue
            if entry.done == REMOVED:
                report.removed += 1
            else:
                report.neutralised.append(f"{entry.label}: {entry.done}")
        return report
