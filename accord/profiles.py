"""Run profiles: ``quick`` (the default and the CI gate) and ``full`` differ only in example counts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    property_examples: int  # generated forms per property test
    fuzz_examples: int  # generated cases per operation in the spec-driven fuzz


PROFILES = {
    "quick": Profile("quick", property_examples=12, fuzz_examples=6),
    "full": Profile("full", property_examples=100, fuzz_examples=60),
}
