"""The fast validator (jsonschema-rs) may stand in for the reference (jsonschema) only where they
agree: on every documented example, every invalid example, and generated valid and invalid data."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings

from accord.contracts import CONTRACTS, load_contract
from accord.mutations import violations

VENDORS = sorted(p.name for p in CONTRACTS.iterdir() if (p / "schemas").is_dir())


def agree(contract, schema: str, instance) -> None:
    reference = contract.validator(schema).is_valid(instance)
    fast = contract.fast_validator(schema).is_valid(instance)
    assert fast == reference, f"{schema}: jsonschema says {reference}, jsonschema-rs says {fast} for {instance!r}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_validators_agree_on_examples(vendor):
    contract = load_contract(vendor)
    examples = sorted((contract.directory / "examples").rglob("*.json"))
    assert examples
    for path in examples:
        example = json.loads(path.read_text())
        agree(contract, example["schema"], example["payload"])


@pytest.mark.parametrize("vendor", VENDORS)
def test_validators_agree_on_single_rule_violations(vendor):
    contract = load_contract(vendor)
    for schema in contract.schemas:
        for violation in violations(contract, schema):
            agree(contract, schema, violation.apply({"name": "accord"}))


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_validators_agree_on_generated_request_bodies(vendor, mode):
    contract = load_contract(vendor)
    forms = [name for name in contract.schemas if name.endswith("Form.json")]
    for schema in forms:
        checker(contract, schema, mode)()


def checker(contract, schema: str, mode: str):
    @settings(max_examples=40, database=None, deadline=None)
    @given(body=contract.strategy(schema, mode))
    def check(body):
        assume(not isinstance(body, bytes))  # raw non-JSON bodies are never validated
        agree(contract, schema, body)

    return check
