"""Every vendor's doc-issues.yaml loads, each entry has the keys a report shows, and every clause id
its text names exists; a malformed file is refused in one line naming the file and the entry."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from accord.contracts import Contract, load_contract
from accord.doc_issues import DOC_ISSUES_FILE, REQUIRED, load_doc_issues
from accord.errors import ConfigError
from accord.vendors import all_vendors

from .conftest import EXAMPLE_VENDOR

WITH_ISSUES = sorted(name for name, vendor in all_vendors().items() if (vendor.contract_path / DOC_ISSUES_FILE).is_file())
GOOD = {"id": "a", "where": "page A", "says": "x", "other_place_says": "y", "resolution": "z"}


def test_the_vendors_that_record_doc_issues_are_found():
    assert len(WITH_ISSUES) >= 4, WITH_ISSUES


@pytest.mark.parametrize("vendor", WITH_ISSUES)
def test_every_entry_loads_with_the_required_keys(vendor):
    contract = load_contract(vendor)
    raw = yaml.safe_load((contract.directory / DOC_ISSUES_FILE).read_text())
    assert [entry["id"] for entry in raw] == [issue.id for issue in contract.doc_issues]
    for entry in raw:
        assert set(REQUIRED) <= set(entry), entry.get("id")
        assert all(isinstance(entry[key], str) and entry[key].strip() for key in REQUIRED), entry["id"]


@pytest.mark.parametrize("vendor", WITH_ISSUES)
def test_clause_ids_named_in_the_text_exist(vendor):
    """A resolution that names a clause points the reader at it (the report links it): a renamed or
    removed clause must not leave the entry pointing at nothing."""
    contract = load_contract(vendor)
    own = {issue.id for issue in contract.doc_issues}
    named = {(issue.id, found) for issue in contract.doc_issues
             for text in (issue.where, issue.says, issue.other_place_says, issue.resolution)
             for found in re.findall(rf"(?<![\w.-]){re.escape(vendor)}\.[\w.-]*[\w-]", text)}
    assert not {(entry, cid) for entry, cid in named if cid not in contract.clauses and cid not in own}


def test_a_contract_without_the_file_has_none():
    assert not (load_contract("kimai").directory / DOC_ISSUES_FILE).exists()
    assert load_contract("kimai").doc_issues == []


@pytest.fixture
def contract_dir(tmp_path: Path) -> Path:
    """A copy of the example vendor's contract, to break."""
    target = tmp_path / "contract"
    shutil.copytree(EXAMPLE_VENDOR / "accord_example_vendor" / "contract", target)
    return target


@pytest.mark.parametrize(("text", "names"), [
    ("- id: a\n  where: [x\n", "not valid YAML at line 3"),
    ("id: a\n", "expected a list of entries"),
    ("- just text\n", "entry #1: expected a mapping"),
    (yaml.safe_dump([GOOD, {**GOOD, "id": "b", "resolution": None}]), "entry b: resolution must be non-empty text"),
    (yaml.safe_dump([{k: v for k, v in GOOD.items() if k not in ("says", "resolution")}]),
     "entry a: missing keys says, resolution"),
    (yaml.safe_dump([{k: v for k, v in GOOD.items() if k != "id"}]), "entry #1: missing key id"),
    (yaml.safe_dump([{**GOOD, "where": 11.4}]), "entry a: where must be non-empty text"),
    (yaml.safe_dump([GOOD, GOOD]), "entry a: duplicate id"),
    (yaml.safe_dump([{**GOOD, "clauses": ["acme.no.such"]}]), "entry a: clauses names 'acme.no.such'"),
    (yaml.safe_dump([{**GOOD, "clauses": "acme.auth.session-required"}]), "entry a: clauses must be a list"),
])
def test_a_malformed_file_is_one_line_naming_file_and_entry(contract_dir, text, names):
    (contract_dir / DOC_ISSUES_FILE).write_text(text)
    with pytest.raises(ConfigError) as caught:
        _ = Contract("acme", contract_dir).doc_issues
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{contract_dir / DOC_ISSUES_FILE}: ")
    assert names in message


def test_a_good_file_loads_in_order_with_its_clauses(contract_dir):
    entries = [GOOD, {**GOOD, "id": "b", "clauses": ["acme.auth.session-required"], "note": "kept for its readers"}]
    (contract_dir / DOC_ISSUES_FILE).write_text(yaml.safe_dump(entries))
    issues = Contract("acme", contract_dir).doc_issues
    assert [i.as_dict() for i in issues] == [{**GOOD, "clauses": []},
                                             {**GOOD, "id": "b", "clauses": ["acme.auth.session-required"]}]
    (contract_dir / DOC_ISSUES_FILE).write_text("")
    assert load_doc_issues(contract_dir / DOC_ISSUES_FILE, set()) == []
