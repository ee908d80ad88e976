"""Thread-safe in-memory tables for simulator state.

The loopback server answers on several threads at once; every read and write goes through one
lock per table so concurrent suites (pytest-xdist, parallel users) see consistent records.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from typing import Any


class Table:
    """Records keyed by a server-assigned integer id; callers get copies, never live rows.

    ``indexed`` fields get a value -> ids index, so that ``find`` (a vendor's unique-number check,
    the next free number) costs the same with 100,000 seeded records as with 10; a scan per
    lookup made seeding quadratic.
    """

    def __init__(self, indexed: tuple[str, ...] = ()) -> None:
        self._rows: dict[int, dict[str, Any]] = {}
        self._next_id = 1
        self._lock = threading.RLock()
        self._index: dict[str, dict[Any, set[int]]] = {field: {} for field in indexed}

    def _unindex(self, row: dict[str, Any]) -> None:
        for field, ids in self._index.items():
            holders = ids.get(row.get(field))
            if holders is not None:
                holders.discard(row["id"])
                if not holders:
                    del ids[row.get(field)]

    def _reindex(self, row: dict[str, Any]) -> None:
        for field, ids in self._index.items():
            value = row.get(field)
            if value is not None:
                ids.setdefault(value, set()).add(row["id"])

    def find(self, field: str, value: Any) -> list[dict[str, Any]]:
        """Rows whose indexed ``field`` equals ``value`` (None is never indexed: no rows)."""
        with self._lock:
            return [copy.deepcopy(self._rows[row_id]) for row_id in sorted(self._index[field].get(value, ()))]

    def insert(self, row: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            row = copy.deepcopy(row)
            row["id"] = self._next_id
            self._next_id += 1
            self._rows[row["id"]] = row
            self._reindex(row)
            return copy.deepcopy(row)

    def get(self, row_id: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._rows.get(row_id)
            return copy.deepcopy(row) if row is not None else None

    def update(self, row_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            row = self._rows.get(row_id)
            if row is None:
                return None
            self._unindex(row)
            row.update(copy.deepcopy(changes))
            self._reindex(row)
            return copy.deepcopy(row)

    def replace(self, row_id: int, row: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            if row_id not in self._rows:
                return None
            self._unindex(self._rows[row_id])
            self._rows[row_id] = {**copy.deepcopy(row), "id": row_id}
            self._reindex(self._rows[row_id])
            return copy.deepcopy(self._rows[row_id])

    def delete(self, row_id: int) -> bool:
        with self._lock:
            row = self._rows.pop(row_id, None)
            if row is not None:
                self._unindex(row)
            return row is not None

    def select(self, where: Callable[[dict[str, Any]], bool] = lambda row: True) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(row) for row in self._rows.values() if where(row)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.select())

    def snapshot(self) -> dict[int, dict[str, Any]]:
        """A deep copy of every row, for tests that prove pre-existing data was not touched."""
        with self._lock:
            return copy.deepcopy(self._rows)
