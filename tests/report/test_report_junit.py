"""JUnit: one testcase per clause, parseable whatever the vendor sent, failures that say where to read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from accord.report import render_junit

from .factory import XSS_SCRIPT


def suite_of(data: dict[str, Any]) -> ET.Element:
    root = ET.fromstring(render_junit(data))
    assert root.tag == "testsuites"
    return root.find("testsuite")


def case(suite: ET.Element, cid: str) -> ET.Element:
    return next(c for c in suite.iter("testcase") if c.get("name") == cid)


def test_counts_and_properties(acme: dict[str, Any]) -> None:
    suite = suite_of(acme)
    assert suite.get("name") == "accord.acme"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == \
        ("8", "2", "1", "1")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["must_passed"] == "1" and props["must_applicable"] == "2"
    assert props["should_passed"] == "2" and props["should_applicable"] == "4"
    assert props["run_id"] == "acme-20250101T120000-ab12" and props["seed"] == "4242"
    assert props["target"] == "simulator http://127.0.0.1:50123"
    assert len(list(suite.iter("testcase"))) == len(acme["clauses"])


def test_testcase_names_and_classnames(acme: dict[str, Any]) -> None:
    suite = suite_of(acme)
    names = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert names[0] == ("accord.acme.customer.create", "acme.customer.create.returns-entity")
    assert [n for _, n in names] == [c["id"] for c in acme["clauses"]]


def test_failure_names_clause_level_and_doc_section(acme: dict[str, Any]) -> None:
    failure = case(suite_of(acme), "acme.customer.create.validates-email").find("failure")
    message = failure.get("message")
    assert "acme.customer.create.validates-email" in message and "[MUST]" in message
    assert "Create a customer <https://docs.acme.example/api#create>" in message
    assert "expected 400, received 500" in message
    assert "test_bad_email" in failure.text and "falsifying example" in failure.text
    assert "replay with: accord run acme --seed 31337" in failure.text
    assert f"500 {XSS_SCRIPT}" in failure.text, "text is escaped by XML, not altered"
    assert "\x00" not in failure.text and "\x1b" not in failure.text


def test_error_skip_and_expected_fail(acme: dict[str, Any]) -> None:
    suite = suite_of(acme)
    error = case(suite, "acme.customer.list.paginates").find("error")
    assert error is not None and "ReadTimeout" in error.get("message") and "[SHOULD]" in error.get("message")
    skipped = case(suite, "acme.auth.rejects-missing-token").find("skipped")
    assert skipped is not None and skipped.get("message") == "read-only run: skipped"
    xfail = case(suite, "acme.customer.delete.idempotent")
    assert xfail.find("failure") is None and xfail.find("error") is None and xfail.find("skipped") is None
    assert "expected failure" in xfail.find("system-out").text
    assert "remove its expectation" in case(suite, "acme.errors.problem-json").find("system-out").text
    orphan = case(suite, "acme.errors.orphan")
    assert list(orphan) == []


def test_xml_illegal_characters_are_stripped(acme: dict[str, Any]) -> None:
    acme["clauses"][1]["id"] = "acme.bad\x01id\ufffe"
    acme["clauses"][1]["tests"][0]["message"] = "nul\x00 esc\x1b vt\x0b surrogate\ud800 ok"
    failure = case(suite_of(acme), "acme.badid").find("failure")
    assert "nul esc vt surrogate ok" in failure.get("message")


def test_written_junit_file_parses(report_dir: Path) -> None:
    for name in ("acme", "bolt"):
        root = ET.parse(report_dir / f"{name}.junit.xml").getroot()
        assert root.find("testsuite").get("name") == f"accord.{name}"
