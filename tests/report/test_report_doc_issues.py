"""Known documentation issues in a vendor's report: listed after the clause verdicts with every field,
clause ids linked to their rows, escaped like everything else, and carried in <vendor>.json."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.contracts import load_contract
from accord.doc_issues import DOC_ISSUES_FILE
from accord.report import load_results, render_vendor_html, validate_results, write_reports
from accord.results import build_results

from ..conftest import EXAMPLE_VENDOR
from .factory import PAYLOADS, XSS_ATTR, XSS_IMG, copied
from .test_report_html import parse

FIELDS = ("where", "says", "other_place_says", "resolution")
RUN = {"id": "r1", "seed": 0, "profile": "quick", "target": {"kind": "simulator", "base_url": "http://127.0.0.1:1", "faults": []},
       "started_at": "2026-01-01T00:00:00+00:00", "duration_s": 1.0, "requests": 0, "read_only": False, "workers": 0}
CLEANUP = {"strategy": "none", "created": 0, "removed": 0, "neutralised": [], "failed": []}


def section(doc: str) -> str:
    """The known-issues section of a page (it is the last card of <main>)."""
    start = doc.index('<section class="card docissues" id="doc-issues">')
    return doc[start:doc.index("</section>", start) + len("</section>")]


def test_the_section_lists_every_entry_after_the_clause_verdicts(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    assert doc.index('id="doc-issues"') > doc.rindex('<article class="clause')
    part = section(doc)
    assert "Known documentation issues" in part and '<span class="count">2</span>' in part
    assert part.count('<article class="docissue"') == 2
    for issue in acme["doc_issues"]:
        assert f"<code>{html.escape(issue['id'])}</code>" in part
        for field in FIELDS:
            assert html.escape(issue[field]) in re.sub(r"<a href=[^>]*><code>|</code></a>", "", part), field
    for label in ("Where", "Says", "Another place says", "Resolution", "Clauses"):
        assert f"<dt>{label}</dt>" in part
    assert "contracts/acme/doc-issues.yaml" in part
    assert '<a href="#doc-issues">2 known</a>' in doc  # the overview points at the section


def test_clause_ids_in_an_entry_link_to_the_clause_row(acme: dict[str, Any]) -> None:
    part = section(render_vendor_html(acme))
    link = '<a href="#clause-acme.customer.create.validates-email"><code>acme.customer.create.validates-email</code></a>'
    assert part.count(link) == 2  # in the resolution and in the clauses list
    assert "acme.customer.x" in part and 'href="#clause-acme.customer.x"' not in part  # no such clause: plain text
    hrefs = [attrs["href"] for tag, attrs in parse(part).tags if tag == "a"]
    ids = {attrs.get("id") for _, attrs in parse(render_vendor_html(acme)).tags}
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)


def test_entry_text_is_escaped(acme: dict[str, Any]) -> None:
    part = section(render_vendor_html(acme))
    for payload in PAYLOADS:
        assert payload not in part
    assert html.escape(XSS_IMG) in part and html.escape(XSS_ATTR) in part
    found = parse(part)
    assert {tag for tag, _ in found.tags} <= {"section", "h2", "h3", "span", "p", "code", "article", "dl", "dt", "dd", "a"}
    assert not [name for _, attrs in found.tags for name in attrs if name.startswith("on")]
    ids = [attrs["id"] for tag, attrs in found.tags if tag == "article"]
    assert len(ids) == 2 and all(re.fullmatch(r"doc-issue-[A-Za-z0-9._-]+", i or "") for i in ids), ids


def test_none_recorded_is_said_and_older_results_show_nothing(acme: dict[str, Any]) -> None:
    acme["doc_issues"] = []
    doc = render_vendor_html(acme)
    assert "None recorded in this contract." in section(doc) and "the clause says so" in section(doc)
    assert 'href="#doc-issues"' not in doc
    del acme["doc_issues"]  # results written before the key existed
    assert 'id="doc-issues"' not in render_vendor_html(acme)


def test_the_json_carries_the_entries(tmp_path: Path, acme: dict[str, Any]) -> None:
    write_reports([acme], tmp_path)
    written = json.loads((tmp_path / "acme.json").read_text(encoding="utf-8"))
    assert written["doc_issues"] == acme["doc_issues"]
    assert load_results(tmp_path)[0]["doc_issues"] == acme["doc_issues"]


@pytest.mark.parametrize("broken", [{"resolution": None}, {"extra": "x"}, {"clauses": "acme.a"}])
def test_the_schema_holds_entries_to_their_shape(acme: dict[str, Any], broken: dict[str, Any]) -> None:
    bad = copied(acme)
    bad["doc_issues"][0].update(broken)
    bad["doc_issues"][0] = {k: v for k, v in bad["doc_issues"][0].items() if v is not None}
    with pytest.raises(ValueError, match=r"\$\.doc_issues\[0\]"):
        validate_results(bad)


@pytest.mark.parametrize("vendor", ["bokamera", "cyclesoftware", "korona", "valomnia"])
def test_a_real_contract_s_issues_reach_results_and_page(vendor: str) -> None:
    contract = load_contract(vendor)
    results = build_results(contract, [], RUN, CLEANUP, [], vendor)
    validate_results(results)
    raw = yaml.safe_load((contract.directory / DOC_ISSUES_FILE).read_text())
    assert [i["id"] for i in results["doc_issues"]] == [e["id"] for e in raw]
    part = section(render_vendor_html(results))
    assert part.count('<article class="docissue"') == len(raw)
    assert all(f"<code>{html.escape(e['id'])}</code>" in part for e in raw)


def test_a_contract_without_issues_says_none_recorded() -> None:
    results = build_results(load_contract("kimai"), [], RUN, CLEANUP, [], "Kimai")
    assert results["doc_issues"] == []
    assert "None recorded in this contract." in section(render_vendor_html(results))


def test_a_run_reports_the_vendor_s_issues(accord) -> None:
    outcome = accord("run", "cyclesoftware")
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    expected = [issue.as_dict() for issue in load_contract("cyclesoftware").doc_issues]
    assert [i["id"] for i in outcome.results("cyclesoftware")["doc_issues"]] == [i["id"] for i in expected]
    part = section((outcome.report_dir / "cyclesoftware.html").read_text(encoding="utf-8"))
    assert part.count('<article class="docissue"') == len(expected) >= 10
    assert ('<a href="#clause-cyclesoftware.customers.object.company-fields"><code>'
            "cyclesoftware.customers.object.company-fields</code></a>") in part


@pytest.fixture
def broken_vendor(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The example vendor installed from a copy whose doc-issues.yaml the test writes."""
    copy = tmp_path / "installed"
    shutil.copytree(EXAMPLE_VENDOR, copy)
    return copy / "accord_example_vendor" / "contract" / DOC_ISSUES_FILE, {"PYTHONPATH": str(copy)}


@pytest.mark.parametrize(("text", "names"), [
    ("- id: sample\n  where: x\n  says: y\n  other_place_says: z\n", "entry sample: missing key resolution"),
    ("- id: sample\n  where: [x\n", "not valid YAML at line 3"),
])
def test_a_malformed_file_ends_the_run_in_one_line(accord, broken_vendor, text: str, names: str) -> None:
    path, env = broken_vendor
    path.write_text(text)
    outcome = accord("run", "acme", env=env)
    lines = outcome.stderr.strip().splitlines()
    assert outcome.code == 2 and len(lines) == 1 and "Traceback" not in outcome.stderr, outcome.stderr
    assert lines[0].startswith(f"accord: {path}: {names}")
    assert outcome.stdout.strip() == "", "no test should run against a contract that cannot be read"
    assert not (outcome.report_dir / "acme.json").exists()


@pytest.mark.parametrize(("name", "text", "names"), [
    ("clauses.yaml", "- id: acme.x\n  level: [MUST\n", "not valid YAML at line 3"),
    ("clauses.yaml", "just words\n", "expected a list of clauses, found a str"),
    ("clauses.yaml", "- 42\n", "entry 1: expected a mapping with an 'id'"),
    ("contract.yaml", "documentation: {title: x, url: y}\n", "expected a mapping with 'documentation' and a list of 'sections'"),
])
def test_a_malformed_clauses_or_contract_file_ends_the_run_in_one_line(accord, broken_vendor, name, text, names):
    """Every YAML file of a contract is read the same way: one line naming the file, exit 2."""
    path = broken_vendor[0].with_name(name)
    path.write_text(text)
    outcome = accord("run", "acme", env=broken_vendor[1])
    lines = outcome.stderr.strip().splitlines()
    assert outcome.code == 2 and len(lines) == 1 and "Traceback" not in outcome.stderr, outcome.stderr
    assert lines[0].startswith(f"accord: {path}: {names}"), lines[0]
