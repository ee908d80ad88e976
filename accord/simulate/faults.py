"""Named, documented deviations that a simulator can be switched into.

Each fault breaks exactly one documented clause, so running a suite against a faulty simulator
proves that the suite's check for that clause can fail (the planted-fault tests).
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownFault(ValueError):
    pass


@dataclass(frozen=True)
class Fault:
    name: str
    clause: str  # the clause the fault violates; the suite must fail it
    description: str
    version: str | None = None  # the vendor version whose simulator shows the fault (None: the default)


class FaultCatalogue:
    def __init__(self, *faults: Fault) -> None:
        self._faults = {fault.name: fault for fault in faults}
        if len(self._faults) != len(faults):
            raise ValueError("fault names must be unique")

    def __iter__(self):
        return iter(self._faults.values())

    def __len__(self) -> int:
        return len(self._faults)

    def __getitem__(self, name: str) -> Fault:
        return self._faults[name]

    def names(self) -> list[str]:
        return list(self._faults)

    def select(self, names: list[str] | tuple[str, ...]) -> frozenset[str]:
        unknown = [name for name in names if name not in self._faults]
        if unknown:
            raise UnknownFault(
                f"unknown fault {unknown[0]!r}; known faults: {', '.join(sorted(self._faults))}"
            )
        return frozenset(names)
