"""Run profiles: ``quick`` (the default and the CI gate) and ``full`` differ only in example counts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    property_examples: int  # generated forms per property test
    fuzz_examples: int  # random cases per operation and generation mode in the spec-driven fuzz
    fuzz_boundaries: int  # schemathesis coverage-phase cases per operation and mode, before the random ones
    shrink: bool  # minimise falsifying examples: clearer reports, but each step is a request to the target


PROFILES = {
    "quick": Profile("quick", property_examples=12, fuzz_examples=2, fuzz_boundaries=3, shrink=False),
    "full": Profile("full", property_examples=100, fuzz_examples=50, fuzz_boundaries=40, shrink=True),
}
