"""Invalid request bodies derived from a schema's own rules, one broken rule at a time.

Random negative generation mostly produces bodies that are wrong in many ways at once, or wrong
where a vendor is documented to be lenient. Breaking one documented rule per body (a length one
past the limit, a value outside the enum, a wrong type, an unknown key, a required field left
out, null where null is not allowed) spends each request on a boundary where a validation fault
hides, and says exactly which rule the vendor ignored. A form-encoded body can say less than
JSON (every value is text; no objects, lists or null), so only rules a form can break are broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.contracts import Contract

EXTRA_KEY = "accordUnexpectedField"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
class _LeftOut:
    def __repr__(self) -> str:
        return "<left out>"


_DROP = _LeftOut()


@dataclass(frozen=True)
class Violation:
    field: str
    value: Any
    rule: str  # which rule the value breaks, for the failure message

    @property
    def drops(self) -> bool:
        """The violation leaves a required field out rather than sending a value."""
        return self.value is _DROP

    def apply(self, form: dict[str, Any]) -> dict[str, Any]:
        if self.drops:
            return {k: v for k, v in form.items() if k != self.field}
        return {**form, self.field: self.value}

    def __repr__(self) -> str:
        shown = "(left out)" if self.drops else repr(self.value)
        return f"Violation({self.field}={shown}, breaks {self.rule})"


def _candidates(node: dict[str, Any], form: bool) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    if isinstance(node.get("maxLength"), int):
        found.append(("x" * (node["maxLength"] + 1), f"maxLength {node['maxLength']}"))
    if isinstance(node.get("minLength"), int) and node["minLength"] > 0:
        found.append(("x" * (node["minLength"] - 1), f"minLength {node['minLength']}"))
    for bound, step in (("minimum", -1), ("maximum", 1)):
        if isinstance(node.get(bound), int | float):
            value = node[bound] + step
            found.append((str(value) if form else value, f"{bound} {node[bound]}"))
    if "enum" in node or any("enum" in s for s in node.get("anyOf", []) + node.get("oneOf", [])):
        found.append(("ZZ-not-allowed", "enum"))
    if "pattern" in node:
        found += [("<>", f"pattern {node['pattern']}"), ("!!", f"pattern {node['pattern']}")]
    if "format" in node:
        found.append(("not a valid value", f"format {node['format']}"))
    if form:  # text is all a form carries: the only wrong type it can send is text where a number belongs
        found.append(("not-a-number", "type"))
    else:
        found += [(12345, "type"), ({"nested": "object"}, "type"), (["list"], "type"), (None, "not nullable")]
    return found


def violations(contract: Contract, schema_name: str, exclude: frozenset[str] = frozenset(),
               media_type: str = "application/json") -> list[Violation]:
    """Every single-rule violation of the schema's properties that the schema itself rejects:
    values that break one rule, each required property left out, null where it is not allowed."""
    form = media_type in FORM_TYPES
    schema = contract.schemas[schema_name]
    validator = contract.validator(schema_name)
    base = _minimal(schema)
    found: list[Violation] = []
    for name in schema.get("required", []):
        if name not in exclude and not validator.is_valid({k: v for k, v in base.items() if k != name}):
            found.append(Violation(name, _DROP, "required"))
    for name, node in schema.get("properties", {}).items():
        if name in exclude:
            continue
        seen_rules: set[str] = set()
        for value, rule in _candidates(node, form):
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
