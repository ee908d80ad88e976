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
    """Records keyed by a server-assigned integer id; callers get copies, never live rows."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[str, Any]] = {}
        self._next_id = 1
        self._lock = threading.RLock()

    def insert(self, row: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            row = copy.deepcopy(row)
            row["id"] = self._next_id
            self._next_id += 1
            self._rows[row["id"]] = row
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
            row.update(copy.deepcopy(changes))
            return copy.deepcopy(row)

    def replace(self, row_id: int, row: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            if row_id not in self._rows:
                return None
            self._rows[row_id] = {**copy.deepcopy(row), "id": row_id}
            return copy.deepcopy(self._rows[row_id])

    def delete(self, row_id: int) -> bool:
        with self._lock:
            return self._rows.pop(row_id, None) is not None

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
