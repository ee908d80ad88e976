"""A vendor's contract as data: clauses, schemas, OpenAPI document, and what is derived from them.

Validators are compiled once per schema and cached; hypothesis strategies come from
schemathesis' generator (STACK-NOTES: faster than hypothesis-jsonschema and free of its
hypothesis pin), fed a one-operation OpenAPI document that bundles the contract's schemas.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from accord.doc_issues import DOC_ISSUES_FILE, DocIssue, load_doc_issues
from accord.errors import ConfigError
from accord.yamlfiles import read_yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
LEVELS = ("MUST", "SHOULD", "MAY")


@dataclass(frozen=True)
class Clause:
    id: str
    level: str
    group: str
    section: str
    summary: str
    source: str
    operation: str
    writes: bool
    drift: str | None = None
    versions: str | None = None  # PEP 440 specifiers of the target versions the clause holds for; None: all
    versions_source: str | None = None  # where the version range comes from

    def applies_to(self, version: str | None) -> bool:
        """Whether the clause holds for a target of ``version`` (an unknown version: it does)."""
        if self.versions is None or version is None:
            return True
        from packaging.specifiers import SpecifierSet
        from packaging.version import InvalidVersion, Version

        try:
            return Version(version) in SpecifierSet(self.versions)
        except InvalidVersion:
            return True


class Contract:
    def __init__(self, vendor: str, directory: Path | None = None) -> None:
        self.vendor = vendor
        self.directory = directory or CONTRACTS / vendor
        if not self.directory.is_dir():
            raise ConfigError(f"no contract for {vendor!r}: expected the folder {self.directory}")

    # --- documentation and clauses ---------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, Any]:
        meta = read_yaml(self.directory / "contract.yaml")
        if not isinstance(meta, dict) or not isinstance(meta.get("sections"), list) or "documentation" not in meta:
            raise ConfigError(f"{self.directory / 'contract.yaml'}: expected a mapping with 'documentation' and a "
                              "list of 'sections'")
        return meta

    @cached_property
    def clauses(self) -> dict[str, Clause]:
        path = self.directory / "clauses.yaml"
        raw = read_yaml(path) or []
        if not isinstance(raw, list):
            raise ConfigError(f"{path}: expected a list of clauses, found a {type(raw).__name__}")
        clauses: dict[str, Clause] = {}
        anchors = {section.get("anchor") for section in self.meta["sections"] if isinstance(section, dict)}
        for number, entry in enumerate(raw, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise ConfigError(f"{path}: entry {number}: expected a mapping with an 'id' (and level, section, summary)")
            clause = Clause(**{k: entry.get(k) for k in Clause.__dataclass_fields__})
            problem = (
                "duplicate id" if clause.id in clauses
                else f"level {clause.level!r} is not one of {LEVELS}" if clause.level not in LEVELS
                else f"section {clause.section!r} is not in contract.yaml" if clause.section not in anchors
                else f"id does not start with '{self.vendor}.'" if not clause.id.startswith(self.vendor + ".")
                else f"versions {clause.versions!r} is not a PEP 440 specifier set" if not _valid_specifiers(clause.versions)
                else None
            )
            if problem:
                raise ConfigError(f"{self.directory / 'clauses.yaml'}: clause {clause.id}: {problem}")
            clauses[clause.id] = clause
        return clauses

    @cached_property
    def doc_issues(self) -> list[DocIssue]:
        """Known issues of the vendor's documentation and how the contract resolves each
        (doc-issues.yaml; none when the file is absent). A malformed file is a ConfigError."""
        return load_doc_issues(self.directory / DOC_ISSUES_FILE, self.clauses)

    def documentation(self) -> dict[str, Any]:
        doc = self.meta["documentation"]
        sections = [
            {"anchor": s["anchor"], "title": s["title"], "url": s.get("url") or f"{doc['url']}#{s['anchor']}"}
            for s in self.meta["sections"]
        ]
        return {"title": doc["title"], "url": doc["url"], "sections": sections}

    # --- schemas ----------------------------------------------------------------------------------
    @cached_property
    def schemas(self) -> dict[str, dict[str, Any]]:
        return {path.name: json.loads(path.read_text()) for path in sorted((self.directory / "schemas").glob("*.json"))}

    @cached_property
    def _valid_examples(self) -> list[dict[str, Any]]:
        return [json.loads(path.read_text()) for path in sorted((self.directory / "examples").glob("*.json"))]

    def examples(self, schema_name: str) -> list[dict[str, Any]]:
        """The documented valid payloads for ``schema_name`` (examples/*.json naming it), in file
        order. Property tests send them before any generated case: the vendor's own examples are
        where its documented behaviour is certain, and a fault there must not hinge on the seed."""
        return [document["payload"] for document in self._valid_examples if document.get("schema") == schema_name]

    @cached_property
    def registry(self) -> Registry:
        return Registry().with_resources(
            (name, Resource.from_contents(schema)) for name, schema in self.schemas.items()
        )

    @cache  # noqa: B019 - one contract object per vendor lives for the whole run
    def validator(self, schema_name: str) -> jsonschema.protocols.Validator:
        schema = self.schemas[schema_name]
        return jsonschema.Draft202012Validator(
            schema, registry=self.registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )

    @cache  # noqa: B019
    def fast_validator(self, schema_name: str) -> Any:
        """jsonschema-rs (a schemathesis dependency), ~150x faster; tests/test_contract_validators.py
        proves it agrees with the reference validator on the contract's examples and generated data."""
        import jsonschema_rs

        registry = jsonschema_rs.Registry(list(self.schemas.items()))
        return jsonschema_rs.validator_for(self.schemas[schema_name], registry=registry, validate_formats=True)

    def errors(self, schema_name: str, instance: Any) -> list[str]:
        """Every way ``instance`` breaks the schema, as one line each (path: message).

        The fast validator answers "valid" for the common case; the reference validator (jsonschema)
        words the errors, and where only the fast one objects its own words are used."""
        try:
            if self.fast_validator(schema_name).is_valid(instance):
                return []
        except ValueError:  # not a JSON value (bytes, say): only the reference judges it
            pass
        found = sorted(self.validator(schema_name).iter_errors(instance), key=lambda e: list(e.absolute_path))
        if not found:
            return [f"(fast validator) {e.message}" for e in self.fast_validator(schema_name).iter_errors(instance)]
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in found]

    # --- generation -------------------------------------------------------------------------------
    def bundled(self) -> dict[str, dict[str, Any]]:
        """The schemas with file references rewritten to ``#/components/schemas/<name>``."""

        def rewrite(node: Any) -> Any:
            if isinstance(node, dict):
                out = {k: rewrite(v) for k, v in node.items() if k not in ("$id", "$schema")}
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.endswith(".json"):
                    out["$ref"] = f"#/components/schemas/{ref.removesuffix('.json')}"
                return out
            if isinstance(node, list):
                return [rewrite(v) for v in node]
            return node

        return {name.removesuffix(".json"): rewrite(schema) for name, schema in self.schemas.items()}

    @cached_property
    def openapi(self) -> dict[str, Any]:
        return read_yaml(self.openapi_path)

    def media_types(self, schema_name: str) -> list[str]:
        """The request media types the contract's OpenAPI document declares for bodies of
        ``schema_name``, in document order; JSON when no operation names the schema."""
        ref = schema_name if schema_name.endswith(".json") else schema_name + ".json"
        found: list[str] = []
        for item in (self.openapi.get("paths") or {}).values():
            for operation in item.values():
                content = ((operation or {}).get("requestBody") or {}).get("content") or {} if isinstance(operation, dict) else {}
                for media_type, spec in content.items():
                    schema = (spec or {}).get("schema") or {}
                    if str(schema.get("$ref", "")).split("#")[0].endswith(ref) and media_type not in found:
                        found.append(media_type)
        return found or ["application/json"]

    @cache  # noqa: B019
    def strategy(self, schema_name: str, mode: str = "positive", media_type: str = "application/json") -> Any:
        """Hypothesis strategy of request bodies valid (positive) or invalid (negative) for a schema,
        generated for ``media_type`` (a form body holds no nested objects or lists)."""
        import schemathesis
        from schemathesis import GenerationMode

        name = schema_name.removesuffix(".json")
        document = {
            "openapi": "3.1.0",
            "info": {"title": f"{self.vendor} {name}", "version": "1"},
            "paths": {"/body": {"post": {
                "requestBody": {"required": True, "content": {media_type: {
                    "schema": {"$ref": f"#/components/schemas/{name}"}}}},
                "responses": {"200": {"description": "ok"}},
            }}},
            "components": {"schemas": self.bundled()},
        }
        operation = schemathesis.openapi.from_dict(document)["/body"]["POST"]
        generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
        return operation.as_strategy(generation_mode=generation).map(lambda case: case.body)

    @cached_property
    def openapi_path(self) -> Path:
        return self.directory / "openapi.yaml"


def _valid_specifiers(text: str | None) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(text or "")
    except InvalidSpecifier:
        return False
    return True


@cache
def load_contract(vendor: str) -> Contract:
    """The contract of a vendor accord knows (its declared folder), else ``contracts/<vendor>``."""
    from accord.vendors import all_vendors

    declared = all_vendors().get(vendor)
    return Contract(vendor, declared.contract_path if declared else None)
