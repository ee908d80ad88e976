"""The ledger of what a run created, and its clean-up: do no harm on shared sandboxes.

Every record the run creates is entered here the moment the target confirms it, and read back
for the run's tag before the run first writes to it (``accord.client``). Clean-up walks the
ledger newest first, so dependants (a customer's rates) go before what they hang on, and it also
runs when tests fail, when the target misbehaves, and on interruption.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REMOVED = "removed"
Key = tuple[Any, ...]


@dataclass
class Entry:
    kind: str
    key: Key
    label: str
    remove: Callable[[], str]  # returns REMOVED or "neutralised: <how>"; raises when it cannot
    parent: tuple[str, Key] | None = None  # removing the parent removes this too
    done: str | None = None
    error: str | None = None


@dataclass
class CleanupReport:
    strategy: str
    created: int = 0
    removed: int = 0
    neutralised: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # records the run left behind: their own exit code

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
        self._entries: dict[tuple[str, Key], Entry] = {}
        self._absent: set[tuple[str, Key]] = set()
        self._verified: set[tuple[str, Key]] = set()
        self._disowned: list[str] = []
        self._lock = threading.RLock()

    def add(self, kind: str, key: Key, label: str, remove: Callable[[], str],
            parent: tuple[str, Key] | None = None) -> None:
        with self._lock:
            self._entries.setdefault((kind, key), Entry(kind, key, label, remove, parent))

    def owns(self, kind: str, key: Key) -> bool:
        with self._lock:
            return (kind, key) in self._entries or (kind, key) in self._absent

    def key_of(self, kind: str, key: Key) -> Key | None:
        """The ledger's key for a record named by ``key``: the same key, or the key of the same
        record id under another parent; None when the run does not own it."""
        with self._lock:
            if (kind, key) in self._entries or (kind, key) in self._absent:
                return key
            return next((k for (c, k) in [*self._entries, *self._absent] if c == kind and k[-1:] == key[-1:]), None)

    def entry(self, kind: str, key: Key) -> Entry | None:
        with self._lock:
            return self._entries.get((kind, key))

    def mark_absent(self, kind: str, key: Key) -> None:
        """A key the run proved free (a 404 on read): writing to it cannot touch anyone's record."""
        with self._lock:
            self._absent.add((kind, key))

    def is_absent(self, kind: str, key: Key) -> bool:
        with self._lock:
            return (kind, key) in self._absent and (kind, key) not in self._entries

    def mark_verified(self, kind: str, key: Key) -> None:
        """The record was read back carrying the run's tag: it is the run's own."""
        with self._lock:
            self._verified.add((kind, key))

    def is_verified(self, kind: str, key: Key) -> bool:
        with self._lock:
            return (kind, key) in self._verified

    def disown(self, kind: str, key: Key, why: str) -> None:
        """The target named this record as created by the run, but the run cannot prove it: never
        touch it, and name it in the report for a person to check."""
        with self._lock:
            entry = self._entries.pop((kind, key), None)
            if entry is not None:
                self._disowned.append(f"{entry.label}: {why}; not touched, left for you to check")

    def mark_removed(self, kind: str, key: Key) -> None:
        """A test removed the record itself: nothing left to clean."""
        with self._lock:
            entry = self._entries.get((kind, key))
            if entry is not None and entry.done is None:
                entry.done = REMOVED

    def entries(self, kind: str | None = None) -> list[Entry]:
        with self._lock:
            return [e for e in self._entries.values() if kind is None or e.kind == kind]

    def clean_one(self, entry: Entry) -> None:
        parent = self._entries.get(entry.parent) if entry.parent else None
        if entry.done is None and parent is not None and parent.done == REMOVED:
            entry.done = REMOVED
        if entry.done is None:
            try:
                entry.done = entry.remove()
                entry.error = None
            except Exception as error:  # clean-up must go on past one failure
                entry.error = f"{type(error).__name__}: {error}"

    def clean(self) -> CleanupReport:
        """Parents first, newest first; a child whose parent was removed went with it (no request),
        one whose parent was only neutralised is removed on its own."""
        entries = list(reversed(self.entries()))
        for entry in [e for e in entries if e.parent is None] + [e for e in entries if e.parent is not None]:
            self.clean_one(entry)
        return self.report()

    def report(self) -> CleanupReport:
        report = CleanupReport(self.strategy, created=len(self._entries), failed=list(self._disowned))
        for entry in self.entries():
            if entry.done == REMOVED:
                report.removed += 1
            elif entry.done is not None:
                report.neutralised.append(f"{entry.label}: {entry.done}")
            else:
                report.failed.append(f"{entry.label}: {entry.error or 'not removed'}")
        return report
