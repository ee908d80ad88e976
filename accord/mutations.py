"""Invalid request bodies derived from a schema's own rules, one broken rule at a time.

Random negative generation mostly produces bodies that are wrong in many ways at once, or wrong
where a vendor is documented to be lenient. Breaking one documented rule per body (a length one
past the limit, a value outside the enum, a wrong type, an unknown key) spends each request on a
boundary where a validation fault hides, and says exactly which rule the vendor ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.contracts import Contract


@dataclass(frozen=True)
class Violation:
    field: str
    value: Any
    rule: str  # which rule the value breaks, for the failure message

    def apply(self, form: dict[str, Any]) -> dict[str, Any]:
        return {**form, self.field: self.value}


EXTRA_KEY = "accordUnexpectedField"


def _candidates(node: dict[str, Any]) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    if isinstance(node.get("maxLength"), int):
        found.append(("x" * (node["maxLength"] + 1), f"maxLength {node['maxLength']}"))
    if isinstance(node.get("minLength"), int) and node["minLength"] > 0:
        found.append(("x" * (node["minLength"] - 1), f"minLength {node['minLength']}"))
    for bound, step in (("minimum", -1), ("maximum", 1)):
        if isinstance(node.get(bound), int | float):
            found.append((node[bound] + step, f"{bound} {node[bound]}"))
    if "enum" in node or any("enum" in s for s in node.get("anyOf", []) + node.get("oneOf", [])):
        found.append(("ZZ-not-allowed", "enum"))
    if "pattern" in node:
        found += [("<>", f"pattern {node['pattern']}"), ("!!", f"pattern {node['pattern']}")]
    if "format" in node:
        found.append(("not a valid value", f"format {node['format']}"))
    found += [(12345, "type"), ({"nested": "object"}, "type"), (["list"], "type")]
    return found


def violations(contract: Contract, schema_name: str, exclude: frozenset[str] = frozenset()) -> list[Violation]:
    """Every single-rule violation of the schema's properties that the schema itself rejects."""
    schema = contract.schemas[schema_name]
    validator = contract.validator(schema_name)
    base = {name: value for name, value in _minimal(schema).items()}
    found: list[Violation] = []
    for name, node in schema.get("properties", {}).items():
        if name in exclude:
            continue
        seen_rules: set[str] = set()
        for value, rule in _candidates(node):
            if rule in seen_rules:
                continue
            if not validator.is_valid({**base, name: value}):
                seen_rules.add(rule)
                found.append(Violation(name, value, rule))
    if schema.get("additionalProperties") is False:
        found.append(Violation(EXTRA_KEY, "field", "additionalProperties false"))
    return found


def _minimal(schema: dict[str, Any]) -> dict[str, Any]:
    """Placeholder values for required properties, so the base form fails only on the violation."""
    return {name: "accord" for name in schema.get("required", [])}
