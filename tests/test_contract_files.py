"""Every vendor's contract files are well-formed, consistent with each other, and usable by the tools.

Generic over contracts/<vendor>/: the JSON Schemas are valid 2020-12 schemas whose relative
"$ref"s resolve; openapi.yaml is valid OpenAPI 3.1 and loads in schemathesis, which can generate a
case for every operation (and, in positive mode, request bodies that the contract's own schemas
accept); the documented examples validate against the schema they name and the invalid ones do
not; and no schema file is left unreferenced.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import jsonschema
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
VENDORS = sorted(path.name for path in CONTRACTS.iterdir() if (path / "schemas").is_dir())
EXAMPLE_KEYS = {"schema", "source", "payload"}


def schema_files(vendor: str) -> list[Path]:
    return sorted((CONTRACTS / vendor / "schemas").glob("*.json"))


def example_files(vendor: str, invalid: bool) -> list[Path]:
    folder = CONTRACTS / vendor / "examples" / ("invalid" if invalid else "")
    return sorted(folder.glob("*.json"))


def ids(paths: list[tuple[str, Path]]) -> list[str]:
    return [f"{vendor}/{path.name}" for vendor, path in paths]


@cache
def schemas(vendor: str) -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in schema_files(vendor)}


@cache
def registry(vendor: str) -> Registry:
    """Each schema under its file name, so relative refs ("CustomerMeta.json") resolve."""
    return Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas(vendor).items()
    )


def validator(vendor: str, name: str) -> jsonschema.Draft202012Validator:
    """A validator for ``File.json`` or ``File.json#/json/pointer``, with format checking on."""
    return jsonschema.Draft202012Validator(
        {"$ref": name},
        registry=registry(vendor),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def openapi_path(vendor: str) -> Path:
    return CONTRACTS / vendor / "openapi.yaml"


@cache
def loaded(vendor: str) -> Any:
    return schemathesis.openapi.from_path(str(openapi_path(vendor)))


def operations() -> list[tuple[str, str]]:
    found = []
    for vendor in VENDORS:
        if openapi_path(vendor).is_file():
            found += [(vendor, result.ok().label) for result in loaded(vendor).get_all_operations()]
    return found


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


SCHEMAS = [(vendor, path) for vendor in VENDORS for path in schema_files(vendor)]
VALID = [(vendor, path) for vendor in VENDORS for path in example_files(vendor, invalid=False)]
INVALID = [(vendor, path) for vendor in VENDORS for path in example_files(vendor, invalid=True)]
OPERATIONS = operations()


def test_there_is_something_to_check():
    assert VENDORS, "no contracts/<vendor>/schemas folder found"
    assert SCHEMAS and VALID and INVALID and OPERATIONS


@pytest.mark.parametrize(("vendor", "path"), SCHEMAS, ids=ids(SCHEMAS))
def test_schema_is_valid_2020_12(vendor, path):
    schema = json.loads(path.read_text())
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert schema.get("$id") == path.name, "$id must be the file name, so relative refs resolve"
    for key in ("title", "description"):
        assert isinstance(schema.get(key), str) and schema[key].strip(), f"{key} is missing"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("vendor", "path"), SCHEMAS, ids=ids(SCHEMAS))
def test_schema_refs_resolve(vendor, path):
    resolver = registry(vendor).resolver(base_uri=path.name)
    for ref in refs(json.loads(path.read_text())):
        # accord.contracts bundles the schemas into one OpenAPI document by rewriting "X.json" to
        # "#/components/schemas/X": a "#/..." pointer inside a schema would point into that document.
        assert ref.endswith(".json") and "#" not in ref, f"{ref}: only whole-file refs ('Other.json') bundle"
        resolver.lookup(ref)  # raises Unresolvable


@pytest.mark.parametrize("vendor", [v for v in VENDORS if openapi_path(v).is_file()])
def test_openapi_is_valid_3_1(vendor):
    path = openapi_path(vendor)
    spec = yaml.safe_load(path.read_text())
    assert str(spec.get("openapi", "")).startswith("3.1")
    validate(spec, base_uri=path.resolve().as_uri(), cls=OpenAPIV31SpecValidator)


@pytest.mark.parametrize("vendor", [v for v in VENDORS if openapi_path(v).is_file()])
def test_every_schema_is_referenced(vendor):
    spec = yaml.safe_load(openapi_path(vendor).read_text())
    used = {urldefrag(ref).url.removeprefix("schemas/") for ref in refs(spec)}
    for name, schema in schemas(vendor).items():
        used |= {urldefrag(ref).url for ref in refs(schema)} - {"", name}
    unused = sorted(set(schemas(vendor)) - used)
    assert not unused, f"schemas referenced neither by openapi.yaml nor by another schema: {unused}"
    missing = sorted(u for u in used if u.endswith(".json") and u not in schemas(vendor))
    assert not missing, f"references to schema files that do not exist: {missing}"


@pytest.mark.parametrize(("vendor", "label"), OPERATIONS, ids=[f"{v}:{label}" for v, label in OPERATIONS])
def test_operation_generates_cases(vendor, label):
    """schemathesis can build cases; positive request bodies satisfy the contract's own schema."""
    method, path = label.split(" ", 1)
    operation = loaded(vendor)[path][method]
    body_schema = None
    if operation.body:
        media = next(iter(operation.body))
        ref = media.definition.get("schema", {}).get("$ref", "")
        if ref.startswith("schemas/"):
            body_schema = validator(vendor, ref.removeprefix("schemas/"))
    seen = []

    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def generate(case):
        seen.append(case)
        if body_schema is not None:
            problems = [e.message for e in body_schema.iter_errors(case.body)]
            assert not problems, f"generated body {case.body!r} breaks its own schema: {problems}"

    generate()
    assert seen, f"{label}: no case generated"


@pytest.mark.parametrize(("vendor", "path"), VALID, ids=ids(VALID))
def test_example_validates(vendor, path):
    example = json.loads(path.read_text())
    assert set(example) == EXAMPLE_KEYS, f"keys must be {sorted(EXAMPLE_KEYS)}"
    assert example["source"].strip()
    errors = validator(vendor, example["schema"]).iter_errors(example["payload"])
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    assert not problems, problems


@pytest.mark.parametrize(("vendor", "path"), INVALID, ids=ids(INVALID))
def test_invalid_example_fails(vendor, path):
    example = json.loads(path.read_text())
    assert set(example) == EXAMPLE_KEYS | {"why"}, f"keys must be {sorted(EXAMPLE_KEYS | {'why'})}"
    assert example["source"].strip() and example["why"].strip()
    assert not validator(vendor, example["schema"]).is_valid(example["payload"]), (
        f"{path.name} should break {example['schema']}: {example['why']}"
    )


@pytest.mark.parametrize("vendor", VENDORS)
def test_examples_cover_the_payloads(vendor):
    """Examples name existing schemas, and every payload openapi.yaml refers to has at least one."""
    files = example_files(vendor, invalid=False) + example_files(vendor, invalid=True)
    named = {json.loads(path.read_text())["schema"] for path in files}
    unknown = sorted(n for n in named if urldefrag(n).url not in schemas(vendor))
    assert not unknown, f"examples name schemas that do not exist: {unknown}"
    if not openapi_path(vendor).is_file():
        return
    spec = yaml.safe_load(openapi_path(vendor).read_text())
    payloads = {urldefrag(r).url.removeprefix("schemas/") for r in refs(spec) if r.startswith("schemas/")}
    without = sorted(payloads - {urldefrag(n).url for n in named})
    assert not without, f"payload schemas without any example: {without}"


def test_contract_examples_are_the_documented_valid_payloads_of_one_schema(tmp_path):
    """What property tests send first: only valid examples, only of the schema asked for, in file order."""
    from accord.contracts import Contract

    for folder in ("schemas", "examples/invalid"):
        (tmp_path / folder).mkdir(parents=True)
    write = lambda path, schema, payload: (tmp_path / path).write_text(  # noqa: E731
        json.dumps({"schema": schema, "payload": payload}))
    write("examples/Form.b.json", "Form.json", {"name": "b"})
    write("examples/Form.a.json", "Form.json", {"name": "a"})
    write("examples/Other.json", "Other.json", {"x": 1})
    write("examples/invalid/Form.bad.json", "Form.json", {"name": 5})
    assert Contract("example", tmp_path).examples("Form.json") == [{"name": "a"}, {"name": "b"}]
    assert Contract("example", tmp_path).examples("Missing.json") == []
